/*
 * service.h - the mailer's RPC endpoint (MailerRequest over nng REP):
 * health answers whether the database does, wake ends the delivery
 * loop's wait.
 */
#ifndef MAIL_SERVICE_H
#define MAIL_SERVICE_H

#include "err.h"
#include "outbox.h"

#define MAIL_VERSION "0.1.0"

typedef struct mail_service mail_service;

/*
 * mail_service_start listens on url with nworkers threads. conninfo is
 * used for the health check's own connection (opened on demand); ob is
 * woken by wake requests. Both are borrowed and must outlive the
 * service. Stop and free with mail_service_stop.
 */
com_err mail_service_start(const char *url, int nworkers,
    const char *conninfo, mail_outbox *ob, mail_service **out)
    COM_MUSTCHECK;

/* mail_service_stop closes the socket, joins the workers, frees s. */
void mail_service_stop(mail_service *s);

#endif
