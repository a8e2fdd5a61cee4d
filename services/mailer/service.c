/*
 * service.c - answers MailerRequest: health (with a database ping on a
 * connection of its own, the loop's is not shared) and wake.
 */
#include "service.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"
#include "mailer.pb-c.h"
#include "rpc.h"

struct mail_service {
	com_rpc_server *server;
	const char *conninfo;
	mail_outbox *outbox;
	pthread_mutex_t lock;  /* guards conn */
	PGconn *conn;          /* health pings only; NULL until needed */
};

/* mail_service_db_ok pings PostgreSQL, reconnecting when needed. */
static bool
mail_service_db_ok(mail_service *s)
{
	PGresult *res;
	bool ok = false;

	pthread_mutex_lock(&s->lock);
	if (s->conn != NULL && PQstatus(s->conn) != CONNECTION_OK) {
		PQfinish(s->conn);
		s->conn = NULL;
	}
	if (s->conn == NULL && mail_db_open(s->conninfo, &s->conn) != COM_OK)
		s->conn = NULL;
	if (s->conn != NULL) {
		/* PQexec, not com_db_exec: an outage is not worth a log. */
		res = PQexec(s->conn, "SELECT 1");
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
	}
	pthread_mutex_unlock(&s->lock);
	return ok;
}

static com_err
mail_service_handle(void *arg, const uint8_t *data, size_t len,
    com_buf *reply_buf)
{
	mail_service *s = arg;
	Orga__MailerRequest *req;
	Orga__MailerReply reply = ORGA__MAILER_REPLY__INIT;
	Orga__HealthReply health = ORGA__HEALTH_REPLY__INIT;
	Orga__WakeReply wake = ORGA__WAKE_REPLY__INIT;
	Orga__RpcError error = ORGA__RPC_ERROR__INIT;
	com_err rv;

	req = orga__mailer_request__unpack(NULL, len, data);
	if (req == NULL) {
		com_log_warn("rpc: undecodable request (%zu bytes)", len);
		return COM_EPROTO;
	}
	switch (req->body_case) {
	case ORGA__MAILER_REQUEST__BODY_HEALTH:
		health.service = "mailer";
		health.version = MAIL_VERSION;
		health.pid = (int32_t)getpid();
		health.database_ok = mail_service_db_ok(s);
		reply.body_case = ORGA__MAILER_REPLY__BODY_HEALTH;
		reply.health = &health;
		break;
	case ORGA__MAILER_REQUEST__BODY_WAKE:
		mail_outbox_wake(s->outbox);
		com_log_debug("rpc: wake");
		reply.body_case = ORGA__MAILER_REPLY__BODY_WAKE;
		reply.wake = &wake;
		break;
	default:
		error.code = "EINVAL";
		error.message = "Requête inconnue du service d'envoi de mails.";
		reply.error = &error;
		break;
	}
	rv = com_rpc_pack(&reply.base, reply_buf);
	orga__mailer_request__free_unpacked(req, NULL);
	return rv;
}

com_err
mail_service_start(const char *url, int nworkers, const char *conninfo,
    mail_outbox *ob, mail_service **out)
{
	mail_service *s;
	com_err rv;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return COM_ENOMEM;
	s->conninfo = conninfo;
	s->outbox = ob;
	pthread_mutex_init(&s->lock, NULL);
	rv = com_rpc_server_start(url, nworkers, mail_service_handle, s,
	    &s->server);
	if (rv != COM_OK) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return rv;
	}
	*out = s;
	return COM_OK;
}

void
mail_service_stop(mail_service *s)
{
	if (s == NULL)
		return;
	com_rpc_server_stop(s->server);
	if (s->conn != NULL)
		PQfinish(s->conn);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
