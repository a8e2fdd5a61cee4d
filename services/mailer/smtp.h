/*
 * smtp.h - hands a rendered message over: to an SMTP relay through
 * libcurl when SMTP_URL is set, else to an .eml file under
 * $ORGA_VAR/mail/ (development and tests).
 */
#ifndef MAIL_SMTP_H
#define MAIL_SMTP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "mime.h"

/* A short, fixed reason stored in outbox.last_error (no personal data). */
#define MAIL_ERROR_SIZE 160

typedef struct mail_transport {
	char smtp_url[512];       /* SMTP_URL; "" means .eml files */
	char user[256];           /* SMTP_USER; "" when unset */
	char password[256];       /* SMTP_PASSWORD; "" when unset */
	bool starttls;            /* SMTP_STARTTLS=1 */
	char from_addr[MAIL_ADDR_SIZE]; /* address part of MAIL_FROM */
	char mail_dir[600];       /* $ORGA_VAR/mail */
	/* Set by the signal handler: an SMTP transfer in progress is
	   abandoned (the row stays pending). May be NULL. */
	volatile sig_atomic_t *stop;
} mail_transport;

/*
 * mail_transport_init reads SMTP_URL, SMTP_USER, SMTP_PASSWORD,
 * SMTP_STARTTLS and MAIL_FROM (via com_env_str) into t, which the caller
 * owns. var_dir is $ORGA_VAR. COM_EINVAL (logged) for a malformed value.
 */
com_err mail_transport_init(mail_transport *t, const char *var_dir,
    volatile sig_atomic_t *stop) COM_MUSTCHECK;

/*
 * mail_transport_send delivers msg (len bytes, CRLF lines) to rcpt, for
 * the outbox row id (a decimal string naming the .eml file). On failure
 * writes a short reason into why (MAIL_ERROR_SIZE bytes) and returns
 * COM_EPEER/COM_ETIMEDOUT (relay), COM_EIO (file), COM_EBUSY (stopped by
 * the stop flag: not the relay's fault). Blocks up to about 40 s; call
 * from one thread at a time per transport (curl handles are not shared).
 */
com_err mail_transport_send(const mail_transport *t, const char *id,
    const char *rcpt, const char *msg, size_t len,
    char why[MAIL_ERROR_SIZE]) COM_MUSTCHECK;

/*
 * mail_dir_create makes path and its missing parents (mode 0755), like
 * mkdir -p. COM_EIO (logged) on failure.
 */
com_err mail_dir_create(const char *path) COM_MUSTCHECK;

#endif
