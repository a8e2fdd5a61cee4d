/*
 * api_gar.c - single sign-on through the GAR: GET /api/gar/metadata (our
 * SAML metadata), GET /api/gar/login (redirect to the GAR) and the
 * assertion consumer POST /api/gar/acs (a form the GAR posts).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "form.h"
#include "gar/gar.h"
#include "gar/gar_routes.h"
#include "edge/http/http_reply.h"
#include "log.h"
#include "gar/saml.h"
#include "account/session.h"

static void api_gar_metadata(orga_req *req);
static void api_gar_login(orga_req *req);
static void api_gar_acs(orga_req *req);

const orga_route orga_gar_routes[] = {
	ORGA_ROUTE("GET", "/api/gar/metadata", api_gar_metadata),
	ORGA_ROUTE("GET", "/api/gar/login", api_gar_login),
	/* The GAR's browser posts its answer here: a form, no session. */
	{"POST", "/api/gar/acs", api_gar_acs, ORGA_BODY_FORM, NULL},
	ORGA_ROUTE_END,
};

static const char api_gar_off[] =
    "La connexion par le GAR n'est pas configurée.";

/*
 * Answers status with a small French page (the browser came here by a
 * navigation, not from our UI): title, text and a link back to back_to
 * (a checked path).
 */
static void
api_gar_page(orga_req *req, unsigned status, const char *title,
    const char *text, const char *back_to)
{
	struct MHD_Response *resp;
	com_buf b;
	com_err rv;
	char *html;

	com_buf_init(&b, 16 * 1024);
	rv = com_buf_append_str(&b, "<!DOCTYPE html>\n<html lang=\"fr\">\n"
	    "<head><meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	if (rv == COM_OK)
		rv = com_html_escape(&b, title);
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, " – Orga</title>\n"
		    "<link rel=\"stylesheet\" href=\"/css/orga.css\">\n"
		    "</head>\n<body>\n<main>\n<h1>");
	if (rv == COM_OK)
		rv = com_html_escape(&b, title);
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, "</h1>\n<p>");
	if (rv == COM_OK)
		rv = com_html_escape(&b, text);
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, "</p>\n<p><a href=\"");
	if (rv == COM_OK)
		rv = com_html_escape(&b, back_to);
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, "\">Revenir à Orga</a></p>\n"
		    "<p>Besoin d'aide ? Écrivez à <a href=\"mailto:");
	/* The help contact of every error page (ORGA_HELP_EMAIL). */
	for (int i = 0; i < 2 && rv == COM_OK; i++) {
		rv = com_html_escape(&b, req->app->cfg.help_email);
		if (rv == COM_OK)
			rv = com_buf_append_str(&b, i == 0 ? "\">" : "</a>.</p>\n"
			    "</main>\n</body>\n</html>\n");
	}
	html = rv == COM_OK ? com_buf_steal(&b) : NULL;
	com_buf_fini(&b);
	if (html == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "gar page");
		return;
	}
	resp = MHD_create_response_from_buffer(strlen(html), html,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(html);
		orga_http_reply_internal(req, COM_ENOMEM, "gar page");
		return;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/html; charset=utf-8");
	orga_http_reply_response(req, status, resp);
}

/* A refused or failed GAR login: 403 (or 503 when ours), reason logged. */
static void
api_gar_failed(orga_req *req, unsigned status, const char *reason,
    const char *back_to)
{
	com_log_info("gar: login refused: %s", reason);
	api_gar_page(req, status, "Connexion par le GAR",
	    status == 503 ? "La connexion par le GAR a échoué : le service "
	    "est momentanément indisponible. Réessayez dans quelques "
	    "instants." : "La connexion par le GAR a échoué. Reconnectez-vous "
	    "depuis votre ENT ou contactez votre enseignant.", back_to);
}

/* A 303 to location (a path of ours), with the pending Set-Cookie. */
static void
api_gar_redirect(orga_req *req, const char *location)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "gar redirect");
		return;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
	        location) != MHD_YES) {
		MHD_destroy_response(resp);
		orga_http_reply_internal(req, COM_ENOMEM, "gar redirect");
		return;
	}
	orga_http_reply_response(req, 303, resp);
}

static void
api_gar_metadata(orga_req *req)
{
	struct MHD_Response *resp;
	const char *xml;
	size_t len;

	if (req->app->saml == NULL) {
		orga_http_reply_error(req, 503, "GAR_NOT_CONFIGURED", NULL,
		    "%s", api_gar_off);
		return;
	}
	xml = orga_saml_metadata(req->app->saml, &len);
	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)xml,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "gar metadata");
		return;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/samlmetadata+xml");
	orga_http_reply_response(req, 200, resp);
}

static void
api_gar_login(orga_req *req)
{
	char return_to[ORGA_GAR_RETURN_TO_MAX];
	char request_id[ORGA_SAML_ID_MAX];
	char *url = NULL;
	PGconn *db;
	com_err rv;

	orga_gar_return_to(orga_req_query(req, "returnTo"), return_to,
	    sizeof(return_to));
	if (req->app->saml == NULL) {
		com_log_info("gar: login asked while the GAR is off");
		api_gar_page(req, 503, "Connexion par le GAR", api_gar_off,
		    return_to);
		return;
	}
	rv = orga_saml_authn_request(req->app->saml, return_to, &url,
	    request_id);
	if (rv != COM_OK) {
		api_gar_failed(req, 503, "AuthnRequest could not be built",
		    return_to);
		return;
	}
	rv = orga_req_db(req, &db);
	if (rv == COM_OK)
		rv = orga_gar_request_save(db, request_id, return_to);
	if (rv != COM_OK) {
		free(url);
		api_gar_failed(req, 503, "AuthnRequest not saved", return_to);
		return;
	}
	com_log_debug("gar: login started (SP-initiated)");
	/* The GAR is another origin: a plain 303 there. */
	{
		struct MHD_Response *resp = MHD_create_response_from_buffer(0,
		    (void *)"", MHD_RESPMEM_PERSISTENT);

		if (resp == NULL || MHD_add_response_header(resp,
		                        MHD_HTTP_HEADER_LOCATION, url) !=
		                        MHD_YES) {
			if (resp != NULL)
				MHD_destroy_response(resp);
			free(url);
			orga_http_reply_internal(req, COM_ENOMEM, "gar login");
			return;
		}
		free(url);
		orga_http_reply_response(req, 303, resp);
	}
}

/* Opens a session for user_id as POST /api/session does (cookie). */
static com_err
api_gar_session(orga_req *req, PGconn *db, int64_t user_id)
{
	char token[ORGA_SESSION_TOKEN_LEN + 1];
	char cookie[256];
	const char *old;
	orga_session s;
	com_err rv;

	/* Logging in over another session ends it (as POST /api/session);
	 * the GAR's cross-site POST usually carries no cookie at all. */
	old = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
	    ORGA_SESSION_COOKIE);
	if (old != NULL && orga_session_token_ok(old)) {
		rv = orga_session_delete(db, old);
		if (rv != COM_OK)
			return rv;
	}
	rv = orga_session_create(db, user_id, token, &s);
	if (rv == COM_OK)
		rv = orga_session_cookie(token, req->app->secure_cookies,
		    cookie, sizeof(cookie));
	if (rv == COM_OK)
		orga_req_set_cookie(req, cookie);
	return rv;
}

static void
api_gar_acs(orga_req *req)
{
	char return_to[ORGA_GAR_RETURN_TO_MAX] = "/";
	orga_gar_login_result *res = NULL;
	orga_saml_identity *id = NULL;
	const char *body = req->body.data != NULL ? req->body.data : "";
	const char *why = NULL;
	com_buf saml, relay;
	PGconn *db;
	com_err rv;

	com_buf_init(&saml, ORGA_HTTP_MAX_FORM);
	com_buf_init(&relay, ORGA_GAR_RETURN_TO_MAX - 1);
	rv = com_form_value(body, req->body.len, "RelayState", &relay);
	if (rv == COM_OK)
		orga_gar_return_to(com_buf_str(&relay), return_to,
		    sizeof(return_to));
	if (req->app->saml == NULL) {
		com_log_info("gar: response posted while the GAR is off");
		api_gar_page(req, 503, "Connexion par le GAR", api_gar_off,
		    return_to);
		goto out;
	}
	rv = com_form_value(body, req->body.len, "SAMLResponse", &saml);
	if (rv != COM_OK || saml.len == 0) {
		api_gar_failed(req, 403, "no SAMLResponse field", return_to);
		goto out;
	}
	id = calloc(1, sizeof(*id));
	res = calloc(1, sizeof(*res));
	if (id == NULL || res == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "gar acs");
		goto out;
	}
	rv = orga_saml_verify(req->app->saml, com_buf_str(&saml), time(NULL),
	    id, &why);
	if (rv == COM_EAUTH) {
		api_gar_failed(req, 403, why, return_to);
		goto out;
	}
	if (rv != COM_OK) {
		api_gar_failed(req, 503, com_strerror(rv), return_to);
		goto out;
	}
	rv = orga_req_db(req, &db);
	if (rv == COM_OK)
		rv = orga_gar_login(db, id, res);
	switch (rv) {
	case COM_OK:
		break;
	case COM_ECONFLICT:
		api_gar_failed(req, 403, "assertion replayed", return_to);
		goto out;
	case COM_EPERM:
		api_gar_failed(req, 403, "InResponseTo names no pending "
		    "request of ours", return_to);
		goto out;
	default:
		api_gar_failed(req, 503, com_strerror(rv), return_to);
		goto out;
	}
	/* A response to our request goes where that request said. */
	if (res->return_to[0] != '\0')
		orga_gar_return_to(res->return_to, return_to,
		    sizeof(return_to));
	rv = api_gar_session(req, db, res->user_id);
	if (rv != COM_OK) {
		api_gar_failed(req, 503, "session not created", return_to);
		goto out;
	}
	com_log_info("gar: user %" PRId64 " logged in%s%s%s", res->user_id,
	    res->created ? " (new account)" : "",
	    res->renamed ? " (names updated)" : "",
	    id->in_response_to[0] != '\0' ? "" : " (unsolicited)");
	api_gar_redirect(req, return_to);
out:
	free(id);
	free(res);
	com_buf_fini(&saml);
	com_buf_fini(&relay);
}
