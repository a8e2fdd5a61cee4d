/*
 * outbox.h - the delivery loop: claims due outbox rows one at a time
 * (FOR UPDATE SKIP LOCKED, so several mailers share the queue), renders,
 * sends, and records the outcome in the transaction holding the row.
 */
#ifndef MAIL_OUTBOX_H
#define MAIL_OUTBOX_H

#include <signal.h>

#include <libpq-fe.h>

#include "err.h"
#include "smtp.h"
#include "template.h"

/* After this many failed attempts a row is given up ('failed'). */
#define MAIL_ATTEMPTS_MAX 50

/* Settings of the loop; strings and transport are owned by the caller
 * and must outlive the outbox. */
typedef struct mail_outbox_opts {
	const char *conninfo;   /* DATABASE_URL */
	const char *from;       /* MAIL_FROM, as configured */
	const char *help;       /* ORGA_HELP_EMAIL, in the mails' footer */
	long poll_ms;           /* MAILER_POLL_MS: longest idle wait */
	long retry_base_ms;     /* MAILER_RETRY_BASE_MS */
	long retry_max_ms;      /* MAILER_RETRY_MAX_MS */
	const mail_transport *transport;
	const mail_templates *templates; /* from mail_templates_load */
	volatile sig_atomic_t *stop; /* set by the signal handler */
} mail_outbox_opts;

typedef struct mail_outbox mail_outbox;

/*
 * mail_outbox_new prepares the loop (no connection yet). Free with
 * mail_outbox_free once mail_outbox_run has returned.
 */
com_err mail_outbox_new(const mail_outbox_opts *opts, mail_outbox **out)
    COM_MUSTCHECK;

/* mail_outbox_free closes the connection and frees ob; NULL is a no-op. */
void mail_outbox_free(mail_outbox *ob);

/*
 * mail_outbox_run connects (retrying quietly while PostgreSQL is away),
 * then drains due rows and waits for a wake-up, the poll interval or the
 * next retry, until *opts->stop is set (seen within about 250 ms, or
 * when the SMTP transfer in progress is abandoned). Runs on one thread.
 */
void mail_outbox_run(mail_outbox *ob);

/* mail_outbox_wake ends the current wait; any thread, never blocks long. */
void mail_outbox_wake(mail_outbox *ob);

/*
 * mail_backoff_ms is the delay before the next try of a row that has
 * failed attempts times (>= 1): base_ms doubled for each attempt after
 * the first, at most max_ms. Pure; never overflows.
 */
long mail_backoff_ms(int attempts, long base_ms, long max_ms);

/*
 * mail_db_open opens one PostgreSQL connection without retrying or
 * logging (connect timeout 5 s). On COM_OK the caller PQfinish()es *out;
 * else COM_EDB, COM_ENOMEM.
 */
com_err mail_db_open(const char *conninfo, PGconn **out) COM_MUSTCHECK;

#endif
