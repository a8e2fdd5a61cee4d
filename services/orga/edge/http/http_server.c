/*
 * http.c - the public HTTP edge on libmicrohttpd: daemon set-up, request
 * contexts, the route tables (buffered JSON and streamed uploads), the
 * callers (session or bearer token), and the one way to answer.
 */
#include "edge/http/http_server.h"

#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "account/account.h"
#include "config.h"
#include "health.h"
#include "http_request.h"
#include "learners/imports.h"
#include "log.h"
#include "secret.h"
#include "account/tokens.h"

struct orga_req_cleanup {
	orga_req_cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

struct orga_http {
	orga_app *app;
	struct MHD_Daemon *mhd;
	size_t max_json;
	int64_t max_upload;   /* ORGA_IMPORT_MAX_BYTES */
	char web_root[PATH_MAX];
};

static atomic_ulong http_req_seq;
static atomic_ulong http_errors[6];

static void http_healthz(orga_req *req);

static const orga_route http_routes[] = {
	{"GET", "/healthz", http_healthz},
	{NULL, NULL, NULL},
};

static const orga_route *const http_tables[] = {
	http_routes,
	orga_api_account_routes,
	orga_api_terms_routes,
	orga_api_invitation_routes,
	orga_api_org_routes,
	orga_api_import_routes,
	orga_api_learners_routes,
	orga_api_tokens_routes,
	orga_api_team_routes,
	orga_api_campaigns_routes,
	orga_api_gar_routes,
	orga_api_student_routes,
};

static const orga_route *const http_form_tables[] = {
	orga_api_gar_form_routes,
};

static const orga_stream_route *const http_stream_tables[] = {
	orga_api_import_stream_routes,
};

static long long
http_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

unsigned long
orga_http_error_count(unsigned cls)
{
	return cls < 6 ? atomic_load(&http_errors[cls]) : 0;
}

/* --- request context ------------------------------------------------- */

void *
orga_req_alloc(orga_req *req, size_t size)
{
	void *p = calloc(1, size > 0 ? size : 1);

	if (p == NULL)
		return NULL;
	if (orga_req_defer(req, free, p) != COM_OK)
		return NULL;
	return p;
}

com_err
orga_req_defer(orga_req *req, void (*fn)(void *), void *ptr)
{
	orga_req_cleanup *c = malloc(sizeof(*c));

	if (c == NULL) {
		fn(ptr);
		return COM_ENOMEM;
	}
	c->fn = fn;
	c->ptr = ptr;
	c->next = req->cleanups;
	req->cleanups = c;
	return COM_OK;
}

const char *
orga_req_header(orga_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
orga_req_query(orga_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

bool
orga_req_query_has(orga_req *req, const char *name)
{
	const char *value = NULL;
	size_t size = 0;

	return MHD_lookup_connection_value_n(req->conn, MHD_GET_ARGUMENT_KIND,
	           name, strlen(name), &value, &size) == MHD_YES;
}

bool
orga_req_is_write(const orga_req *req)
{
	return strcmp(req->method, "POST") == 0 ||
	    strcmp(req->method, "PUT") == 0 ||
	    strcmp(req->method, "PATCH") == 0 ||
	    strcmp(req->method, "DELETE") == 0;
}

void
orga_req_set_cookie(orga_req *req, const char *value)
{
	snprintf(req->set_cookie, sizeof(req->set_cookie), "%s", value);
}

static void
http_req_release_db(orga_req *req)
{
	if (req->db != NULL) {
		com_db_pool_release(req->app->db, req->db);
		req->db = NULL;
	}
}

static orga_req *
http_req_new(orga_http *h, struct MHD_Connection *conn, const char *url,
    const char *method)
{
	orga_req *req = calloc(1, sizeof(*req));

	if (req == NULL)
		return NULL;
	req->app = h->app;
	req->conn = conn;
	req->method = method;
	req->url = url;
	req->web_root = h->web_root;
	req->number = atomic_fetch_add(&http_req_seq, 1) + 1;
	req->started_us = http_now_us();
	req->content_length = -1;
	req->stream_max = h->max_upload;
	com_buf_init(&req->body, h->max_json);
	return req;
}

static void
http_req_free(orga_req *req)
{
	orga_req_cleanup *c;

	if (req == NULL)
		return;
	http_req_release_db(req);
	while (req->cleanups != NULL) {
		c = req->cleanups;
		req->cleanups = c->next;
		c->fn(c->ptr);
		free(c);
	}
	if (req->held != NULL)
		MHD_destroy_response(req->held);
	json_decref(req->json);
	com_buf_fini(&req->body);
	free(req);
}

static void
http_log_context(const orga_req *req)
{
	char ctx[32];

	snprintf(ctx, sizeof(ctx), "req=%" PRIu64, req->number);
	com_log_set_context(ctx);
}

/* --- replies ----------------------------------------------------------- */

void
orga_http_reply_response(orga_req *req, unsigned status,
    struct MHD_Response *resp)
{
	if (req->replied) {
		/* A handler bug: two answers. Keep the first. */
		com_log_err("http: second reply %u dropped", status);
		MHD_destroy_response(resp);
		return;
	}
	orga_static_security_headers(resp);
	if (MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL) ==
	    NULL)
		(void)MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (req->set_cookie[0] != '\0')
		(void)MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_SET_COOKIE, req->set_cookie);
	if (req->receiving) {
		/* libmicrohttpd takes a reply only before or after the
		 * body: hold it until the body has been read. */
		req->held = resp;
		req->held_status = status;
		req->replied = true;
		req->status = status;
		return;
	}
	if (MHD_queue_response(req->conn, status, resp) != MHD_YES)
		com_log_warn("http: could not queue the %u response", status);
	MHD_destroy_response(resp);
	req->replied = true;
	req->status = status;
}

static void
http_reply_text(orga_req *req, unsigned status, const char *text)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);

	if (resp == NULL) {
		req->replied = true; /* nothing else to try: drop */
		req->status = status;
		return;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json; charset=utf-8");
	orga_http_reply_response(req, status, resp);
}

/* Static bodies for when memory runs out while building the real one. */
static const char http_enomem_body[] =
    "{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":"
    "\"Une erreur interne est survenue. R\xc3\xa9" "essayez plus tard.\"}}";

void
orga_http_reply_json(orga_req *req, unsigned status, json_t *body)
{
	struct MHD_Response *resp;
	char *text;

	if (body == NULL) {
		com_log_err("http: reply %u: no body (out of memory)", status);
		http_reply_text(req, 500, http_enomem_body);
		return;
	}
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text == NULL) {
		http_reply_text(req, 500, http_enomem_body);
		return;
	}
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		http_reply_text(req, 500, http_enomem_body);
		return;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json; charset=utf-8");
	orga_http_reply_response(req, status, resp);
}

static void
http_count_error(orga_req *req, unsigned status, const char *code,
    const char *field)
{
	unsigned cls = status / 100;

	if (cls < 6)
		atomic_fetch_add(&http_errors[cls], 1);
	com_log(status >= 500 ? COM_LOG_WARN : COM_LOG_INFO,
	    "http: %s %s -> %u %s%s%s", req->method,
	    req->route != NULL ? req->route : req->url, status, code,
	    field != NULL ? " field=" : "", field != NULL ? field : "");
}

void
orga_http_reply_error(orga_req *req, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	http_count_error(req, status, code, field);
	orga_http_reply_json(req, status,
	    orga_http_error_body(code, field, message, NULL));
}

void
orga_http_reply_errors(orga_req *req, unsigned status, json_t *errors)
{
	const json_t *first = json_array_get(errors, 0);

	http_count_error(req, status,
	    first != NULL ? orga_json_string(first, "code") : "?",
	    first != NULL ? orga_json_string(first, "field") : NULL);
	orga_http_reply_json(req, status,
	    orga_http_error_body(NULL, NULL, NULL, errors));
}

void
orga_http_reply_internal(orga_req *req, com_err err, const char *what)
{
	com_log_err("http: %s failed: %s", what, com_strerror(err));
	if (err == COM_EDB)
		orga_http_reply_error(req, 503, "SERVICE_UNAVAILABLE", NULL,
		    "Le service est momentanément indisponible. "
		    "Réessayez dans quelques instants.");
	else
		orga_http_reply_error(req, 500, "INTERNAL_ERROR", NULL,
		    "Une erreur interne est survenue. "
		    "Réessayez plus tard.");
}

/* --- loaders ----------------------------------------------------------- */

com_err
orga_req_db(orga_req *req, PGconn **out)
{
	PGconn *db;
	com_err rv;

	if (req->db == NULL) {
		rv = com_db_pool_acquire(req->app->db, &db);
		if (rv != COM_OK)
			return rv == COM_ENOMEM ? rv : COM_EDB;
		req->db = db;
	}
	*out = req->db;
	return COM_OK;
}

PGconn *
orga_req_db_or_reply(orga_req *req)
{
	PGconn *db;
	com_err rv;

	rv = orga_req_db(req, &db);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "database connection");
		return NULL;
	}
	return db;
}

json_t *
orga_req_json_or_reply(orga_req *req)
{
	json_error_t jerr;

	if (req->json != NULL)
		return req->json;
	req->json = json_loadb(req->body.data != NULL ? req->body.data : "",
	    req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->json == NULL || !json_is_object(req->json)) {
		json_decref(req->json);
		req->json = NULL;
		orga_http_reply_error(req, 400, "BAD_JSON", NULL,
		    "La requête est mal formée : un objet JSON est attendu.");
		return NULL;
	}
	return req->json;
}

com_err
orga_req_session(orga_req *req, const orga_session **out)
{
	const char *cookie;
	PGconn *db;
	com_err rv;

	if (req->session_loaded) {
		*out = req->has_session ? &req->session : NULL;
		return COM_OK;
	}
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
	    ORGA_SESSION_COOKIE);
	if (cookie == NULL || !orga_session_token_ok(cookie)) {
		req->session_loaded = true;
		*out = NULL;
		return COM_OK;
	}
	snprintf(req->cookie_token, sizeof(req->cookie_token), "%s", cookie);
	if (req->db == NULL) {
		rv = com_db_pool_acquire(req->app->db, &db);
		if (rv != COM_OK)
			return COM_EDB;
		req->db = db;
	}
	rv = orga_session_lookup(req->db, cookie, &req->session);
	if (rv != COM_OK && rv != COM_ENOTFOUND)
		return rv;
	req->session_loaded = true;
	req->has_session = rv == COM_OK;
	*out = req->has_session ? &req->session : NULL;
	return COM_OK;
}

const orga_session *
orga_req_session_or_reply(orga_req *req)
{
	const orga_session *s;
	const char *csrf;
	char cookie[256];
	com_err rv;

	rv = orga_req_session(req, &s);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "session lookup");
		return NULL;
	}
	if (s == NULL) {
		if (req->cookie_token[0] != '\0' &&
		    orga_session_cookie(NULL, req->app->secure_cookies, cookie,
		        sizeof(cookie)) == COM_OK)
			orga_req_set_cookie(req, cookie); /* a stale cookie */
		orga_http_reply_error(req, 401, "NOT_AUTHENTICATED", NULL,
		    "Vous devez vous connecter pour continuer.");
		return NULL;
	}
	if (orga_req_is_write(req)) {
		csrf = orga_req_header(req, "X-CSRF-Token");
		if (csrf == NULL || !com_secret_equal(csrf, s->csrf_token)) {
			orga_http_reply_error(req, 403, "CSRF_INVALID", NULL,
			    "Votre session ne permet pas cette action. "
			    "Rechargez la page puis réessayez.");
			return NULL;
		}
	}
	return s;
}

int64_t
orga_req_caller_or_reply(orga_req *req)
{
	char secret[ORGA_TOKEN_LEN + 1];
	const orga_session *s;
	const char *auth, *token;
	int64_t user_id;
	PGconn *db;
	size_t len;
	com_err rv;

	if (req->caller_id > 0)
		return req->caller_id;
	auth = orga_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL) {
		s = orga_req_session_or_reply(req);
		if (s == NULL)
			return 0;
		req->caller_id = s->user_id;
		return req->caller_id;
	}
	rv = orga_token_bearer(auth, &token, &len);
	if (rv == COM_OK && len == ORGA_TOKEN_LEN) {
		memcpy(secret, token, len);
		secret[len] = '\0';
		db = orga_req_db_or_reply(req);
		if (db == NULL)
			return 0;
		rv = orga_token_lookup(db, secret, &user_id);
		if (rv != COM_OK && rv != COM_ENOTFOUND) {
			orga_http_reply_internal(req, rv, "token lookup");
			return 0;
		}
	} else {
		rv = COM_ENOTFOUND;
	}
	if (rv != COM_OK) {
		orga_http_reply_error(req, 401, "TOKEN_INVALID", NULL,
		    "Le jeton d'accès est invalide ou a été révoqué. "
		    "Créez-en un nouveau dans votre espace.");
		return 0;
	}
	req->caller_id = user_id;
	req->by_token = true;
	return user_id;
}

bool
orga_req_member_or_reply(orga_req *req, const orga_session *s,
    int64_t org_id, orga_role *role)
{
	return orga_req_user_member_or_reply(req, s->user_id, org_id, role);
}

bool
orga_req_user_member_or_reply(orga_req *req, int64_t user_id,
    int64_t org_id, orga_role *role)
{
	orga_role r = ORGA_ROLE_NONE;
	PGconn *db = orga_req_db_or_reply(req);
	com_err rv;

	if (db == NULL)
		return false;
	rv = orga_membership_role(db, org_id, user_id, &r);
	if (rv != COM_OK && rv != COM_ENOTFOUND) {
		orga_http_reply_internal(req, rv, "membership check");
		return false;
	}
	if (rv == COM_ENOTFOUND || r == ORGA_ROLE_NONE) {
		orga_http_reply_error(req, 404, "ORGANIZATION_NOT_FOUND", NULL,
		    "Cette organisation est introuvable.");
		return false;
	}
	*role = r;
	return true;
}

/* --- routes ------------------------------------------------------------ */

static void
http_healthz(orga_req *req)
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

static bool
http_method_is(const orga_req *req, const char *route_method)
{
	if (strcmp(req->method, route_method) == 0)
		return true;
	return strcmp(route_method, "GET") == 0 &&
	    strcmp(req->method, "HEAD") == 0;
}

/* Answers 415 or 413 when a body-carrying request is not acceptable. */
static bool
http_body_ok_or_reply(orga_req *req)
{
	bool needs_json = strcmp(req->method, "POST") == 0 ||
	    strcmp(req->method, "PUT") == 0 ||
	    strcmp(req->method, "PATCH") == 0 ||
	    (strcmp(req->method, "DELETE") == 0 && req->body.len > 0);

	/* An upload client's body-less POST (confirm, cancel): the JSON
	 * content type guards cookies against forms, not tokens. */
	if (req->body.len == 0 &&
	    orga_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION) != NULL)
		needs_json = false;

	if (req->body_too_large) {
		orga_http_reply_error(req, 413, "BODY_TOO_LARGE", NULL,
		    "La requête est trop volumineuse.");
		return false;
	}
	if (needs_json && !orga_http_content_type_json(
	                      orga_req_header(req, "Content-Type"))) {
		orga_http_reply_error(req, 415, "CONTENT_TYPE_INVALID", NULL,
		    "La requête doit être envoyée en JSON "
		    "(Content-Type: application/json).");
		return false;
	}
	return true;
}

/* The form route of the request's path (any method), or NULL. */
static const orga_route *
http_form_match(const orga_req *req, int64_t *ids, int *nids)
{
	for (size_t t = 0;
	     t < sizeof(http_form_tables) / sizeof(http_form_tables[0]); t++)
		for (const orga_route *r = http_form_tables[t];
		     r->method != NULL; r++)
			if (orga_http_route_match(r->pattern, req->url, ids,
			        ORGA_ROUTE_MAX_IDS, nids))
				return r;
	return NULL;
}

/* Runs a form route: 413 / 415 instead of the JSON rules. */
static void
http_form_dispatch(orga_req *req, const orga_route *r, const int64_t *ids,
    int nids)
{
	req->route = r->pattern;
	memcpy(req->ids, ids, sizeof(req->ids));
	req->nids = nids;
	if (req->body_too_large) {
		orga_http_reply_error(req, 413, "BODY_TOO_LARGE", NULL,
		    "La requête est trop volumineuse.");
		return;
	}
	if (!orga_http_content_type_is(orga_req_header(req, "Content-Type"),
	        "application/x-www-form-urlencoded")) {
		orga_http_reply_error(req, 415, "CONTENT_TYPE_INVALID", NULL,
		    "La requête doit être un formulaire (Content-Type: "
		    "application/x-www-form-urlencoded).");
		return;
	}
	r->handler(req);
}

static void
http_dispatch(orga_req *req)
{
	bool path_known = false;
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	const orga_route *form;
	int nids;

	form = http_form_match(req, ids, &nids);
	if (form != NULL) {
		if (http_method_is(req, form->method)) {
			http_form_dispatch(req, form, ids, nids);
			return;
		}
		path_known = true;
	}

	for (size_t t = 0; t < sizeof(http_stream_tables) /
	                           sizeof(http_stream_tables[0]);
	     t++)
		for (const orga_stream_route *r = http_stream_tables[t];
		     r->method != NULL; r++)
			if (orga_http_route_match(r->pattern, req->url, ids,
			        ORGA_ROUTE_MAX_IDS, &nids))
				path_known = true;

	for (size_t t = 0; t < sizeof(http_tables) / sizeof(http_tables[0]);
	     t++) {
		for (const orga_route *r = http_tables[t]; r->method != NULL;
		     r++) {
			if (!orga_http_route_match(r->pattern, req->url, ids,
			        ORGA_ROUTE_MAX_IDS, &nids))
				continue;
			path_known = true;
			if (!http_method_is(req, r->method))
				continue;
			req->route = r->pattern;
			memcpy(req->ids, ids, sizeof(ids));
			req->nids = nids;
			if (http_body_ok_or_reply(req))
				r->handler(req);
			return;
		}
	}
	if (path_known) {
		orga_http_reply_error(req, 405, "METHOD_NOT_ALLOWED", NULL,
		    "Cette méthode n'est pas permise ici.");
		return;
	}
	if (strncmp(req->url, "/api/", 5) == 0 || strcmp(req->url, "/api") == 0) {
		orga_http_reply_error(req, 404, "NOT_FOUND", NULL,
		    "Cette adresse n'existe pas.");
		return;
	}
	orga_static_serve(req);
}

/* --- streamed bodies ---------------------------------------------------- */

/* Finds the stream route of the request; false when it has none. */
static bool
http_stream_match(orga_req *req)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	int nids;

	for (size_t t = 0; t < sizeof(http_stream_tables) /
	                           sizeof(http_stream_tables[0]);
	     t++) {
		for (const orga_stream_route *r = http_stream_tables[t];
		     r->method != NULL; r++) {
			if (strcmp(req->method, r->method) != 0 ||
			    !orga_http_route_match(r->pattern, req->url, ids,
			        ORGA_ROUTE_MAX_IDS, &nids))
				continue;
			req->stream = r;
			req->route = r->pattern;
			memcpy(req->ids, ids, sizeof(ids));
			req->nids = nids;
			return true;
		}
	}
	return false;
}

/* The 413 of a body over the limit; also the job's error sentence. */
static void
http_stream_too_large_text(const orga_req *req, char *out, size_t size)
{
	char limit[64];

	orga_http_size_text(req->stream_max, limit, sizeof(limit));
	snprintf(out, size, "Le fichier est trop volumineux : la taille "
	    "maximale acceptée est de %s.", limit);
}

/* Ends an open stream early: the route releases what it holds. */
static void
http_stream_abort(orga_req *req, const char *why)
{
	if (!req->stream_open)
		return;
	req->stream_open = false;
	req->stream->abort(req, why);
	http_req_release_db(req);
}

/* Called with the headers: the size known up front, then begin. */
static void
http_stream_begin(orga_req *req)
{
	char text[160];
	bool ok;

	if (req->content_length > req->stream_max) {
		http_stream_too_large_text(req, text, sizeof(text));
		orga_http_reply_error(req, 413, "FILE_TOO_LARGE", NULL, "%s",
		    text);
		return;
	}
	ok = req->stream->begin(req);
	http_req_release_db(req);
	if (!ok) {
		if (!req->replied)
			orga_http_reply_internal(req, COM_EINVAL, "begin");
		return;
	}
	if (req->replied) {
		/* A route bug: answered yet went on. Keep the answer. */
		com_log_err("http: %s answered and accepted", req->route);
		req->stream_open = true;
		http_stream_abort(req, "Une erreur interne est survenue.");
		return;
	}
	req->stream_open = true;
	req->receiving = true;
	com_buf_fini(&req->body);
	com_buf_init(&req->body, ORGA_HTTP_STREAM_BLOCK);
}

/* Hands the buffered block to the route; false when the stream ended. */
static bool
http_stream_flush(orga_req *req)
{
	bool ok;

	ok = req->stream->data(req, req->body.data, req->body.len);
	http_req_release_db(req);
	com_buf_reset(&req->body);
	if (!ok) {
		req->stream_open = false;
		if (!req->replied)
			orga_http_reply_internal(req, COM_EINVAL, "data");
	}
	return ok;
}

/* Called with each piece of body libmicrohttpd read (16-32 KiB). */
static void
http_stream_data(orga_req *req, const char *data, size_t len)
{
	char text[160];
	size_t take;

	if (!req->stream_open)
		return; /* answered already: drop the rest */
	if ((int64_t)len > req->stream_max - req->stream_bytes) {
		http_stream_too_large_text(req, text, sizeof(text));
		http_stream_abort(req, text);
		orga_http_reply_error(req, 413, "FILE_TOO_LARGE", NULL, "%s",
		    text);
		return;
	}
	req->stream_bytes += (int64_t)len;
	while (len > 0) {
		take = req->body.max - req->body.len;
		if (take > len)
			take = len;
		if (com_buf_append(&req->body, data, take) != COM_OK) {
			http_stream_abort(req, "Une erreur interne est "
			    "survenue pendant l'envoi du fichier.");
			orga_http_reply_internal(req, COM_ENOMEM, "upload");
			return;
		}
		data += take;
		len -= take;
		if (req->body.len == req->body.max && !http_stream_flush(req))
			return;
	}
}

/* Called once the whole body was read: last block, end, held reply. */
static void
http_stream_finish(orga_req *req)
{
	req->receiving = false;
	if (req->held != NULL) {
		if (MHD_queue_response(req->conn, req->held_status,
		        req->held) != MHD_YES)
			com_log_warn("http: could not queue the %u response",
			    req->held_status);
		MHD_destroy_response(req->held);
		req->held = NULL;
		return;
	}
	if (req->replied)
		return; /* answered with the headers */
	if (req->stream_open) {
		if (req->body.len > 0 && !http_stream_flush(req))
			return;
		req->stream_open = false;
		req->stream->end(req);
		http_req_release_db(req);
	}
	if (!req->replied)
		orga_http_reply_internal(req, COM_EINVAL, "end");
}

/* --- libmicrohttpd glue ------------------------------------------------ */

/* The Content-Length header as a number; -1 when absent. */
static int64_t
http_content_length(orga_req *req)
{
	const char *clen = orga_req_header(req,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	int64_t v = 0;

	if (clen == NULL)
		return -1;
	for (const char *p = clen; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1; /* libmicrohttpd refuses these itself */
		if (v > (INT64_MAX - 9) / 10)
			return INT64_MAX;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	orga_http *h = cls;
	orga_req *req = *con_cls;

	(void)version;
	if (req == NULL) {
		req = http_req_new(h, conn, url, method);
		if (req == NULL)
			return MHD_NO;
		*con_cls = req;
		http_log_context(req);
		req->content_length = http_content_length(req);
		if (strcmp(method, "POST") == 0 &&
		    http_form_match(req, req->ids, &req->nids) != NULL) {
			/* A form route: its own, larger body limit. */
			com_buf_fini(&req->body);
			com_buf_init(&req->body, ORGA_HTTP_MAX_FORM);
		}
		if (http_stream_match(req)) {
			http_stream_begin(req);
		} else if (req->content_length > (int64_t)req->body.max) {
			/* Refuse before reading (and before 100-continue). */
			req->body_too_large = true;
			orga_http_reply_error(req, 413, "BODY_TOO_LARGE", NULL,
			    "La requête est trop volumineuse.");
		}
		com_log_set_context(NULL);
		return MHD_YES;
	}
	http_log_context(req);
	if (*upload_data_size > 0) {
		if (req->stream != NULL)
			http_stream_data(req, upload_data, *upload_data_size);
		else if (!req->replied && !req->body_too_large &&
		    com_buf_append(&req->body, upload_data,
		        *upload_data_size) != COM_OK)
			req->body_too_large = true;
		*upload_data_size = 0;
		com_log_set_context(NULL);
		return MHD_YES;
	}
	if (req->stream != NULL) {
		http_stream_finish(req);
	} else if (!req->replied) {
		http_dispatch(req);
		http_req_release_db(req);
		if (!req->replied)
			orga_http_reply_internal(req, COM_EINVAL, "handler");
	}
	com_log_set_context(NULL);
	return MHD_YES;
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	orga_req *req = *con_cls;

	(void)cls;
	(void)conn;
	if (req == NULL)
		return;
	http_log_context(req);
	http_stream_abort(req, "L'envoi du fichier a été interrompu avant "
	    "la fin. Envoyez-le de nouveau.");
	com_log_info("http: %s %s %u %lldms%s", req->method,
	    req->route != NULL ? req->route : req->url, req->status,
	    (http_now_us() - req->started_us) / 1000,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	com_log_set_context(NULL);
	http_req_free(req);
	*con_cls = NULL;
}

static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t len;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	com_log_warn("http: libmicrohttpd: %s", line);
}

static com_err
http_settings(orga_http *h, long *threads, long *max_conn, long *timeout)
{
	long max_json, max_upload;
	com_err rv;

	rv = com_env_long("ORGA_HTTP_THREADS", 4, 1, 256, threads);
	if (rv == COM_OK)
		rv = com_env_long("ORGA_HTTP_MAX_CONNECTIONS", 512, 4, 100000,
		    max_conn);
	if (rv == COM_OK)
		rv = com_env_long("ORGA_HTTP_TIMEOUT_S", 30, 1, 3600, timeout);
	if (rv == COM_OK)
		rv = com_env_long("ORGA_HTTP_MAX_JSON", 64 * 1024, 1024,
		    64L * 1024 * 1024, &max_json);
	if (rv == COM_OK)
		rv = com_env_long("ORGA_IMPORT_MAX_BYTES",
		    (long)ORGA_IMPORT_DEFAULT_MAX_BYTES, 1024, LONG_MAX,
		    &max_upload);
	if (rv != COM_OK)
		return rv;
	if (*max_conn < *threads)
		*max_conn = *threads;
	h->max_json = (size_t)max_json;
	h->max_upload = (int64_t)max_upload;
	return COM_OK;
}

com_err
orga_http_start(orga_app *app, orga_http **out)
{
	struct addrinfo hints, *ai = NULL;
	char host[256], port[8];
	long threads, max_conn, timeout;
	unsigned flags;
	orga_http *h;
	com_err rv;
	int gai;

	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return COM_ENOMEM;
	h->app = app;
	rv = http_settings(h, &threads, &max_conn, &timeout);
	if (rv != COM_OK)
		goto out;
	if (realpath(app->web_dir, h->web_root) == NULL) {
		com_log_warn("http: web dir %s not found: serving the API only",
		    app->web_dir);
		h->web_root[0] = '\0';
	}
	rv = orga_http_addr_split(app->http_addr, host, sizeof(host), port,
	    sizeof(port));
	if (rv != COM_OK) {
		com_log_err("http: ORGA_HTTP_ADDR %s is not host:port",
		    app->http_addr);
		goto out;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	gai = getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &ai);
	if (gai != 0 || ai == NULL) {
		com_log_err("http: cannot resolve %s: %s", app->http_addr,
		    gai_strerror(gai));
		rv = COM_EINVAL;
		goto out;
	}
	json_object_seed(0);
	orga_account_init();
	flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->mhd = MHD_start_daemon(flags, (uint16_t)strtoul(port, NULL, 10),
	    NULL, NULL, http_access, h,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conn,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_END);
	if (h->mhd == NULL) {
		com_log_err("http: cannot listen on %s", app->http_addr);
		rv = COM_EIO;
		goto out;
	}
	com_log_notice("http: listening on %s (%ld threads, JSON up to %zu "
	    "bytes, uploads up to %" PRId64 " bytes)", app->http_addr,
	    threads, h->max_json, h->max_upload);
	*out = h;
	h = NULL;
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	free(h);
	return rv;
}

void
orga_http_stop(orga_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	com_log_notice("http: stopped (%lu client errors, %lu server "
	    "errors answered)", orga_http_error_count(4),
	    orga_http_error_count(5));
	free(h);
}
