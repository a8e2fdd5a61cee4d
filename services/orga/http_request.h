/*
 * http_request.h - the per-request context of the HTTP edge and the helpers
 * route files (api_*.c, static.c) share: replies, errors, and the
 * "..._or_reply" loaders that either return a value or have answered.
 */
#ifndef ORGA_HTTP_REQUEST_H
#define ORGA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>

#include "app.h"
#include "buf.h"
#include "err.h"
#include "organization.h"
#include "session.h"

#define ORGA_ROUTE_MAX_IDS 4

typedef struct orga_req orga_req;

/*
 * A route handler answers through the reply helpers below. If it returns
 * without answering, the dispatcher answers 500. It runs on a
 * libmicrohttpd pool thread and may block on PostgreSQL.
 */
typedef void (*orga_handler)(orga_req *req);

typedef struct orga_route {
	const char *method;   /* "GET" (also serves HEAD), "POST", "DELETE" */
	const char *pattern;  /* "/api/organizations/{id}/members" */
	orga_handler handler;
} orga_route;

/* Route tables, each ended by an entry whose method is NULL. */
extern const orga_route orga_api_account_routes[];
extern const orga_route orga_api_terms_routes[];
extern const orga_route orga_api_invitation_routes[];
extern const orga_route orga_api_org_routes[];

typedef struct orga_req_cleanup orga_req_cleanup;

/*
 * One request in flight. Created by http.c when the headers arrive, freed
 * when libmicrohttpd reports the request complete; everything hung on it
 * (orga_req_alloc, orga_req_defer, the parsed body, the session) lives
 * until then. Only its connection's thread touches it.
 */
struct orga_req {
	orga_app *app;
	struct MHD_Connection *conn;
	const char *method;       /* libmicrohttpd's, lives with the request */
	const char *url;          /* path, decoded, without the query */
	const char *web_root;     /* realpath of app->web_dir, or "" */
	uint64_t number;          /* for log lines: "req=N" */
	const char *route;        /* matched pattern, for logs; or NULL */
	int64_t ids[ORGA_ROUTE_MAX_IDS]; /* the {id} segments, in order */
	int nids;
	com_buf body;             /* the request body, bounded */
	bool body_too_large;
	json_t *json;             /* parsed body (owned), or NULL */
	PGconn *db;               /* held from app->db, or NULL */
	bool session_loaded;
	bool has_session;
	orga_session session;
	char cookie_token[ORGA_SESSION_TOKEN_LEN + 1]; /* "" when none */
	char set_cookie[256];     /* Set-Cookie for the reply, or "" */
	bool replied;
	unsigned status;
	long long started_us;
	orga_req_cleanup *cleanups;
};

/*
 * orga_req_alloc returns size zeroed bytes freed with the request, or NULL
 * on ENOMEM.
 */
void *orga_req_alloc(orga_req *req, size_t size);

/*
 * orga_req_defer runs fn(ptr) when the request is freed (last registered
 * runs first). On ENOMEM runs it at once and returns COM_ENOMEM.
 */
com_err orga_req_defer(orga_req *req, void (*fn)(void *), void *ptr)
    COM_MUSTCHECK;

/* orga_req_header returns a request header (any case), or NULL. */
const char *orga_req_header(orga_req *req, const char *name);

/* orga_req_query returns a query-string argument, or NULL. */
const char *orga_req_query(orga_req *req, const char *name);

/* orga_req_is_write: POST, PUT, PATCH or DELETE. */
bool orga_req_is_write(const orga_req *req);

/*
 * orga_http_reply_json answers with status and body as JSON; takes
 * ownership of body (a NULL body answers 500). Adds the security headers,
 * Cache-Control: no-store and the pending Set-Cookie.
 */
void orga_http_reply_json(orga_req *req, unsigned status, json_t *body);

/*
 * orga_http_reply_error answers status with
 * {"error":{"code","message","field"}} (field left out when NULL); fmt is
 * the French message. Logs status, code and route (never the message
 * arguments) and counts the error.
 */
void orga_http_reply_error(orga_req *req, unsigned status, const char *code,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * orga_http_error_item builds {"field","code","message"} (field left out
 * when NULL); NULL on ENOMEM. The caller owns the result.
 */
json_t *orga_http_error_item(const char *code, const char *field,
    const char *message);

/*
 * orga_http_error_body builds {"error": item} and, when errors (an array,
 * stolen) is not NULL, "errors": errors with item = its first element.
 * Returns NULL on ENOMEM. The caller owns the result.
 */
json_t *orga_http_error_body(const char *code, const char *field,
    const char *message, json_t *errors);

/*
 * orga_http_reply_errors answers status with the form errors (a non-empty
 * array of orga_http_error_item, stolen): "error" is the first, "errors"
 * all of them.
 */
void orga_http_reply_errors(orga_req *req, unsigned status, json_t *errors);

/*
 * orga_http_reply_internal answers a failure of ours: 503
 * SERVICE_UNAVAILABLE for COM_EDB (PostgreSQL away), 500 INTERNAL_ERROR
 * otherwise. what names the step for the log.
 */
void orga_http_reply_internal(orga_req *req, com_err err, const char *what);

/*
 * orga_http_reply_response queues resp (destroyed here) with status, the
 * security headers, no-store when resp has no Cache-Control, and the
 * pending Set-Cookie. For static.c; API handlers use the JSON helpers.
 */
void orga_http_reply_response(orga_req *req, unsigned status,
    struct MHD_Response *resp);

/* orga_req_set_cookie keeps a Set-Cookie value for the reply. */
void orga_req_set_cookie(orga_req *req, const char *value);

/*
 * orga_req_db_or_reply returns the request's PostgreSQL connection
 * (acquired once, released by http.c after the handler), or NULL after
 * answering 503.
 */
PGconn *orga_req_db_or_reply(orga_req *req);

/*
 * orga_req_json_or_reply returns the body parsed as a JSON object
 * (borrowed, lives with the request), or NULL after answering 400
 * BAD_JSON.
 */
json_t *orga_req_json_or_reply(orga_req *req);

/*
 * orga_req_session lookups the session of the cookie (once per request).
 * *out is NULL when there is none (no cookie, unknown or expired). Errors
 * are database errors, not answered.
 */
com_err orga_req_session(orga_req *req, const orga_session **out)
    COM_MUSTCHECK;

/*
 * orga_req_session_or_reply returns the caller's session, or NULL after
 * answering 401 NOT_AUTHENTICATED, or (a state change whose X-CSRF-Token
 * is not the session's) 403 CSRF_INVALID.
 */
const orga_session *orga_req_session_or_reply(orga_req *req);

/*
 * orga_req_member_or_reply checks that the logged-in user belongs to
 * school org_id and writes the role; false after answering 404
 * ORGANIZATION_NOT_FOUND (also for a school that exists: outsiders learn
 * nothing) or an internal error.
 */
bool orga_req_member_or_reply(orga_req *req, const orga_session *s,
    int64_t org_id, orga_role *role);

/* orga_json_string: obj[key] when a string, else NULL (borrowed). */
const char *orga_json_string(const json_t *obj, const char *key);

/*
 * orga_http_route_match matches path against pattern, where "{id}"
 * matches one orga_http_parse_id segment, written in order into ids (at
 * most max) and counted in *nids. Pure.
 */
bool orga_http_route_match(const char *pattern, const char *path,
    int64_t *ids, int max, int *nids);

/*
 * orga_http_parse_id reads a positive decimal id of len bytes (1 to 18
 * digits, no sign, no leading zero). COM_EINVAL otherwise. Pure.
 */
com_err orga_http_parse_id(const char *s, size_t len, int64_t *out)
    COM_MUSTCHECK;

/*
 * orga_http_addr_split splits "host:port", "[v6]:port" or ":port" (host
 * becomes "") into host and port. COM_EINVAL when malformed or too long.
 */
com_err orga_http_addr_split(const char *addr, char *host, size_t hsize,
    char *port, size_t psize) COM_MUSTCHECK;

/* orga_http_content_type_json: value is application/json (+ params). */
bool orga_http_content_type_json(const char *value);

/* orga_http_error_count: errors answered so far with status / 100 = cls. */
unsigned long orga_http_error_count(unsigned cls);

/*
 * static.c: orga_static_serve answers a GET/HEAD outside /api/ from
 * req->web_root, falling back to index.html (the web UI routes itself).
 */
void orga_static_serve(orga_req *req);

/* orga_static_security_headers adds the headers every response carries. */
void orga_static_security_headers(struct MHD_Response *resp);

/* orga_static_content_type: the Content-Type for a file name. Pure. */
const char *orga_static_content_type(const char *name);

/*
 * orga_static_path_ok: url is "/..." with no ".." segment, no dot-file,
 * no backslash, no empty segment but a trailing one. Pure.
 */
bool orga_static_path_ok(const char *url);

#endif
