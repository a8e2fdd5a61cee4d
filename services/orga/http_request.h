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
#include "learners/learner_list.h"
#include "school/organization.h"
#include "account/session.h"

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

/*
 * A stream route receives its body piece by piece instead of buffered
 * (file uploads), up to ORGA_IMPORT_MAX_BYTES. http.c answers 413
 * FILE_TOO_LARGE itself when Content-Length (checked before begin) or the
 * bytes received pass that limit. Each callback runs on the request's
 * pool thread; the connection of orga_req_db_or_reply is handed back
 * after each one.
 *  - begin, when the headers arrive: checks the caller, the role and the
 *    content type, and sets up req->stream_ctx. false: it answered (the
 *    body is then never read, and no 100 Continue is sent).
 *  - data, with blocks of ORGA_HTTP_STREAM_BLOCK bytes (the last one
 *    shorter), in order. false: it answered and cleaned up; the rest of
 *    the body is read and dropped.
 *  - end, once the whole body went through data: must answer.
 *  - abort, when the body stops early after begin succeeded (over the
 *    limit, connection lost, time-out, shutdown): releases what begin and
 *    data made; why is a French sentence for the user. Must not answer.
 * Replies made while the body is still arriving are held by http.c and
 * sent once it has all been read.
 */
typedef struct orga_stream_route {
	const char *method;
	const char *pattern;
	bool (*begin)(orga_req *req);
	bool (*data)(orga_req *req, const char *buf, size_t len);
	void (*end)(orga_req *req);
	void (*abort)(orga_req *req, const char *why);
} orga_stream_route;

/* Streamed bodies are handed to data() in blocks of this size. */
#define ORGA_HTTP_STREAM_BLOCK (1024 * 1024)

/* Route tables, each ended by an entry whose method is NULL. */
extern const orga_route orga_api_account_routes[];
extern const orga_route orga_api_terms_routes[];
extern const orga_route orga_api_invitation_routes[];
extern const orga_route orga_api_org_routes[];
extern const orga_route orga_api_import_routes[];
extern const orga_route orga_api_learners_routes[];
extern const orga_route orga_api_tokens_routes[];
extern const orga_route orga_api_team_routes[];
extern const orga_route orga_api_campaigns_routes[];
extern const orga_route orga_api_student_routes[];
extern const orga_stream_route orga_api_import_stream_routes[];
extern const orga_route orga_api_gar_routes[];
/*
 * Form routes take an HTML form another site posts (the GAR's assertion
 * consumer): Content-Type application/x-www-form-urlencoded instead of
 * JSON, a body of up to ORGA_HTTP_MAX_FORM bytes, and no session (so no
 * CSRF token). Only POST.
 */
extern const orga_route orga_api_gar_form_routes[];
#define ORGA_HTTP_MAX_FORM (256 * 1024)

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
	int64_t caller_id;        /* orga_req_caller_or_reply's, or 0 */
	bool by_token;            /* the caller came with a bearer token */
	bool replied;
	unsigned status;
	long long started_us;
	orga_req_cleanup *cleanups;
	/* Stream routes only (see orga_stream_route). */
	const orga_stream_route *stream;
	void *stream_ctx;         /* the route's state, or NULL */
	bool stream_open;         /* begin succeeded; end/abort not called */
	bool receiving;           /* body still arriving: replies are held */
	int64_t content_length;   /* the header's, or -1 (chunked, none) */
	int64_t stream_max;       /* ORGA_IMPORT_MAX_BYTES */
	int64_t stream_bytes;     /* body bytes received so far */
	struct MHD_Response *held; /* a reply waiting for the body's end */
	unsigned held_status;
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

/* orga_req_query_has: the query string names the argument, with or
 * without a value ("?confirm" as well as "?confirm=1"). */
bool orga_req_query_has(orga_req *req, const char *name);

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
 * orga_req_db is orga_req_db_or_reply without the answer: COM_EDB (or
 * COM_ENOMEM) when no connection could be had. For abort callbacks.
 */
com_err orga_req_db(orga_req *req, PGconn **out) COM_MUSTCHECK;

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
 * orga_req_caller_or_reply returns the caller's user id, from
 * "Authorization: Bearer TOKEN" when that header is present (a personal
 * API token; no CSRF check: browsers never send it by themselves), else
 * from the session cookie as orga_req_session_or_reply (CSRF checked).
 * Returns 0 after answering 401 TOKEN_INVALID (malformed, unknown or
 * revoked token, or another scheme), 401 NOT_AUTHENTICATED, 403
 * CSRF_INVALID or an internal error. Sets req->caller_id and by_token.
 */
int64_t orga_req_caller_or_reply(orga_req *req);

/*
 * orga_req_member_or_reply checks that the logged-in user belongs to
 * school org_id and writes the role; false after answering 404
 * ORGANIZATION_NOT_FOUND (also for a school that exists: outsiders learn
 * nothing) or an internal error.
 */
bool orga_req_member_or_reply(orga_req *req, const orga_session *s,
    int64_t org_id, orga_role *role);

/* orga_req_user_member_or_reply: the same for user_id (any caller). */
bool orga_req_user_member_or_reply(orga_req *req, int64_t user_id,
    int64_t org_id, orga_role *role);

/* orga_json_string: obj[key] when a string, else NULL (borrowed). */
const char *orga_json_string(const json_t *obj, const char *key);

/*
 * orga_json_trimmed copies obj[key] without its surrounding white space
 * into out ("" when absent or not a string); false when it does not fit
 * in size bytes (out is then unspecified). Pure.
 */
bool orga_json_trimmed(const json_t *obj, const char *key, char *out,
    size_t size);

/*
 * orga_http_errors_add appends orga_http_error_item(code, field, message)
 * to the form errors array; false on ENOMEM.
 */
bool orga_http_errors_add(json_t *errors, const char *field,
    const char *code, const char *message);

/*
 * orga_http_route_match matches path against pattern, where "{id}"
 * matches one orga_http_parse_id segment, written in order into ids (at
 * most max) and counted in *nids, and "{code}" one segment of 1 to 32
 * ASCII letters and digits with at least one letter (a campaign code),
 * not captured: the handler reads it from the path. Pure.
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

/*
 * orga_http_content_type_is: value is the media type type (any case),
 * alone or followed by parameters ("text/xml; charset=UTF-8"). Pure.
 */
bool orga_http_content_type_is(const char *value, const char *type);

/*
 * orga_http_size_text writes a byte count for a French sentence:
 * "2 Gio", "20 Mio", "512 Kio", else "1500 octets". Pure.
 */
void orga_http_size_text(int64_t bytes, char *out, size_t size);

/*
 * orga_http_parse_bool reads a query flag: "true", "1" (true), "false",
 * "0" (false), any case. COM_EINVAL otherwise. Pure.
 */
com_err orga_http_parse_bool(const char *s, bool *out) COM_MUSTCHECK;

/*
 * api_import.c, pure parts. An upload's format comes from its Content-Type:
 * XML (application/xml, text/xml), ZIP (application/zip,
 * application/x-zip-compressed), SNIFF (application/octet-stream or no
 * Content-Type: decided on the first bytes). COM_EINVAL for any other.
 */
typedef enum orga_upload_format {
	ORGA_UPLOAD_XML = 0,
	ORGA_UPLOAD_ZIP,
	ORGA_UPLOAD_SNIFF,
} orga_upload_format;

com_err orga_upload_format_of(const char *content_type,
    orga_upload_format *out) COM_MUSTCHECK;

/* orga_upload_sniff_zip: the bytes start like a zip archive ("PK\3\4",
 * or "PK\5\6" for an empty one). Pure. */
bool orga_upload_sniff_zip(const void *buf, size_t len);

/*
 * api_learners.c, pure part: the query string of GET .../learners, raw
 * (NULL when absent), read into q (search and class_code point into in),
 * the 1-based page and its size. search and class must be UTF-8 of at
 * most 100 characters. COM_EINVAL with *field naming the bad parameter
 * (a static string).
 */
typedef struct orga_learner_args {
	const char *search, *class_code, *status, *sort, *order, *page,
	    *page_size;
} orga_learner_args;

#define ORGA_LEARNERS_PAGE_SIZE 50
#define ORGA_LEARNERS_PAGE_SIZE_MAX 200
#define ORGA_LEARNERS_SEARCH_MAX 100   /* characters */
#define ORGA_LEARNERS_CLASS_MAX 100    /* characters */
#define ORGA_LEARNERS_PAGE_MAX_NUMBER 1000000

com_err orga_learner_args_parse(const orga_learner_args *in,
    orga_learner_query *q, int64_t *page, int *page_size,
    const char **field) COM_MUSTCHECK;

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
