/*
 * health.c - is every part of the stack answering (GET /healthz), and whom
 * to ask for help (GET /api/help, for the UI's error pages).
 */
#include "health.h"

#include "edge/http/http_reply.h"
#include "importer.pb-c.h"
#include "log.h"
#include "mailer.pb-c.h"
#include "rpc.h"

#define ORGA_HEALTH_TIMEOUT_MS 1000

static bool
orga_health_ask(const char *url, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc)
{
	ProtobufCMessage *reply = NULL;
	com_err rv;

	rv = com_rpc_call_url(url, ORGA_HEALTH_TIMEOUT_MS, req, reply_desc,
	    &reply);
	if (rv != COM_OK)
		return false;
	protobuf_c_message_free_unpacked(reply, NULL);
	return true;
}

void
orga_health_check(orga_app *app, orga_health *out)
{
	Orga__HealthRequest health = ORGA__HEALTH_REQUEST__INIT;
	Orga__MailerRequest mreq = ORGA__MAILER_REQUEST__INIT;
	Orga__ImporterRequest ireq = ORGA__IMPORTER_REQUEST__INIT;
	PGconn *conn;

	out->database = false;
	if (com_db_pool_acquire(app->db, &conn) == COM_OK) {
		out->database = com_db_ping(conn);
		com_db_pool_release(app->db, conn);
	}
	mreq.body_case = ORGA__MAILER_REQUEST__BODY_HEALTH;
	mreq.health = &health;
	out->mailer = orga_health_ask(app->cfg.mailer_rpc_url, &mreq.base,
	    &orga__mailer_reply__descriptor);
	ireq.body_case = ORGA__IMPORTER_REQUEST__BODY_HEALTH;
	ireq.health = &health;
	out->importer = orga_health_ask(app->cfg.importer_rpc_url, &ireq.base,
	    &orga__importer_reply__descriptor);
}

bool
orga_health_ok(const orga_health *h)
{
	return h->database && h->mailer && h->importer;
}

static void
health_route(orga_req *req)
{
	orga_health h;
	bool ok;
	json_t *body;

	orga_health_check(req->app, &h);
	ok = orga_health_ok(&h);
	body = json_pack("{s:s,s:b,s:b,s:b}", "status",
	    ok ? "ok" : "unavailable", "database", h.database, "mailer",
	    h.mailer, "importer", h.importer);
	if (!ok)
		com_log_warn("http: health: database=%d mailer=%d importer=%d",
		    h.database, h.mailer, h.importer);
	orga_http_reply_json(req, ok ? 200 : 503, body);
}

static void
help_route(orga_req *req)
{
	orga_http_reply_json(req, 200,
	    json_pack("{s:s}", "email", req->app->cfg.help_email));
}

const orga_route orga_health_routes[] = {
	ORGA_ROUTE("GET", "/healthz", health_route),
	ORGA_ROUTE("GET", "/api/help", help_route),
	ORGA_ROUTE_END,
};
