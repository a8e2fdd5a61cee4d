/*
 * http_server.c - the public HTTP edge on libmicrohttpd: daemon set-up,
 * the life of a request, and the one dispatch loop over the route tables
 * main.c hands in (buffered JSON, forms, streamed uploads). It knows no
 * domain: routes come from the tables, answers from http_reply.c.
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

#include "config.h"
#include "edge/http/http_reply.h"
#include "edge/http/http_request.h"
#include "edge/http/http_static.h"
#include "edge/http/http_stream.h"
#include "log.h"

struct orga_http {
	orga_app *app;
	const orga_route *const *tables;
	struct MHD_Daemon *mhd;
	size_t max_json;
	int64_t max_upload;   /* ORGA_IMPORT_MAX_BYTES */
	char web_root[PATH_MAX];
};

static atomic_ulong http_req_seq;

static long long
http_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static orga_req *
http_req_new(orga_http *h, struct MHD_Connection *conn, const char *url,
    const char *method)
{
	orga_req *req = orga_req_new(h->app, conn, url, method, h->max_json);

	if (req == NULL)
		return NULL;
	req->web_root = h->web_root;
	req->number = atomic_fetch_add(&http_req_seq, 1) + 1;
	req->started_us = http_now_us();
	req->stream_max = h->max_upload;
	return req;
}

static void
http_log_context(const orga_req *req)
{
	char ctx[32];

	snprintf(ctx, sizeof(ctx), "req=%" PRIu64, req->number);
	com_log_set_context(ctx);
}

/* --- routes ------------------------------------------------------------ */
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

/*
 * The route of the request's path and method (GET also serves HEAD), or
 * NULL; *path_known tells whether some route has that path.
 */
static const orga_route *
http_route_find(const orga_http *h, orga_req *req, int64_t *ids, int *nids,
    bool *path_known)
{
	*path_known = false;
	for (const orga_route *const *t = h->tables; *t != NULL; t++) {
		for (const orga_route *r = *t; r->method != NULL; r++) {
			if (!orga_http_route_match(r->pattern, req->url, ids,
			        ORGA_ROUTE_MAX_IDS, nids))
				continue;
			*path_known = true;
			if (http_method_is(req, r->method))
				return r;
		}
	}
	return NULL;
}

/* A form route's body: 413 / 415 instead of the JSON rules. */
static bool
http_form_ok_or_reply(orga_req *req)
{
	if (req->body_too_large) {
		orga_http_reply_error(req, 413, "BODY_TOO_LARGE", NULL,
		    "La requête est trop volumineuse.");
		return false;
	}
	if (!orga_http_content_type_is(orga_req_header(req, "Content-Type"),
	        "application/x-www-form-urlencoded")) {
		orga_http_reply_error(req, 415, "CONTENT_TYPE_INVALID", NULL,
		    "La requête doit être un formulaire (Content-Type: "
		    "application/x-www-form-urlencoded).");
		return false;
	}
	return true;
}

/* Runs the route of a buffered request once its body has been read. */
static void
http_dispatch(const orga_http *h, orga_req *req)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	const orga_route *r;
	bool path_known, ok;
	int nids = 0;

	r = http_route_find(h, req, ids, &nids, &path_known);
	if (r != NULL && r->body != ORGA_BODY_STREAM) {
		req->route = r->pattern;
		memcpy(req->ids, ids, sizeof(ids));
		req->nids = nids;
		ok = r->body == ORGA_BODY_FORM ? http_form_ok_or_reply(req)
		                               : http_body_ok_or_reply(req);
		if (ok)
			r->handler(req);
		return;
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

/*
 * With the headers: a form route gets its larger body limit, a stream
 * route is recorded in req->stream. Returns the route, or NULL.
 */
static const orga_route *
http_route_at_headers(const orga_http *h, orga_req *req)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	const orga_route *r;
	bool path_known;
	int nids = 0;

	r = http_route_find(h, req, ids, &nids, &path_known);
	if (r == NULL)
		return NULL;
	if (r->body == ORGA_BODY_FORM) {
		com_buf_fini(&req->body);
		com_buf_init(&req->body, ORGA_HTTP_MAX_FORM);
	} else if (r->body == ORGA_BODY_STREAM) {
		req->stream = r;
		req->route = r->pattern;
		memcpy(req->ids, ids, sizeof(ids));
		req->nids = nids;
	}
	return r;
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
		(void)http_route_at_headers(h, req);
		if (req->stream != NULL) {
			orga_http_stream_begin(req);
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
			orga_http_stream_data(req, upload_data, *upload_data_size);
		else if (!req->replied && !req->body_too_large &&
		    com_buf_append(&req->body, upload_data,
		        *upload_data_size) != COM_OK)
			req->body_too_large = true;
		*upload_data_size = 0;
		com_log_set_context(NULL);
		return MHD_YES;
	}
	if (req->stream != NULL) {
		orga_http_stream_finish(req);
	} else if (!req->replied) {
		http_dispatch(h, req);
		orga_req_db_release(req);
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
	orga_http_stream_abort(req, "L'envoi du fichier a été interrompu avant "
	    "la fin. Envoyez-le de nouveau.");
	com_log_info("http: %s %s %u %lldms%s", req->method,
	    req->route != NULL ? req->route : req->url, req->status,
	    (http_now_us() - req->started_us) / 1000,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	com_log_set_context(NULL);
	orga_req_free(req);
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
	long max_json;
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
	if (rv != COM_OK)
		return rv;
	if (*max_conn < *threads)
		*max_conn = *threads;
	h->max_json = (size_t)max_json;
	h->max_upload = (int64_t)h->app->import_max_bytes;
	return COM_OK;
}

com_err
orga_http_start(orga_app *app, const orga_route *const *tables,
    orga_http **out)
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
	h->tables = tables;
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

