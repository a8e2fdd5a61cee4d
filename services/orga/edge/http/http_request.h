/*
 * http_request.h - one HTTP request in flight, as route handlers see it:
 * its path ids, headers, query, body, connection to PostgreSQL, and
 * memory that lives as long as it.
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
#include "edge/http/http_route.h"
#include "err.h"

typedef struct orga_req_cleanup orga_req_cleanup;

/*
 * One request in flight. Created by the edge when the headers arrive,
 * freed when libmicrohttpd reports the request complete; everything hung
 * on it (orga_req_alloc, orga_req_defer, the parsed body, the caller)
 * lives until then. Only its connection's thread touches it.
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
	void *caller;             /* who calls (account/caller.c), or NULL */
	char set_cookie[256];     /* Set-Cookie for the reply, or "" */
	bool replied;
	unsigned status;
	long long started_us;
	orga_req_cleanup *cleanups;
	/* Stream routes only (see orga_stream_ops). */
	const orga_route *stream;
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
 * orga_req_new makes the context of a request whose headers arrived, with
 * a body buffer of at most max_body bytes; NULL on ENOMEM. The edge frees
 * it with orga_req_free once libmicrohttpd reports the request complete:
 * that runs the clean-ups (last registered first) and hands the
 * connection back. orga_req_free(NULL) is a no-op.
 */
orga_req *orga_req_new(orga_app *app, struct MHD_Connection *conn,
    const char *url, const char *method, size_t max_body);
void orga_req_free(orga_req *req);

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

/* orga_req_cookie returns the value of cookie name, or NULL. */
const char *orga_req_cookie(orga_req *req, const char *name);

/* orga_req_query returns a query-string argument, or NULL. */
const char *orga_req_query(orga_req *req, const char *name);

/* orga_req_query_has: the query string names the argument, with or
 * without a value ("?confirm" as well as "?confirm=1"). */
bool orga_req_query_has(orga_req *req, const char *name);

/* orga_req_is_write: POST, PUT, PATCH or DELETE. */
bool orga_req_is_write(const orga_req *req);

/* orga_req_set_cookie keeps a Set-Cookie value for the reply. */
void orga_req_set_cookie(orga_req *req, const char *value);

/*
 * orga_req_db_or_reply returns the request's PostgreSQL connection
 * (acquired once, released by the edge after the handler or the stream
 * callback), or NULL after answering 503.
 */
PGconn *orga_req_db_or_reply(orga_req *req);

/*
 * orga_req_db is orga_req_db_or_reply without the answer: COM_EDB (or
 * COM_ENOMEM) when no connection could be had. For abort callbacks.
 */
com_err orga_req_db(orga_req *req, PGconn **out) COM_MUSTCHECK;

/* orga_req_db_release hands the request's connection back (the edge
 * calls it after each handler and stream callback); none held: no-op. */
void orga_req_db_release(orga_req *req);

/*
 * orga_req_json_or_reply returns the body parsed as a JSON object
 * (borrowed, lives with the request), or NULL after answering 400
 * BAD_JSON.
 */
json_t *orga_req_json_or_reply(orga_req *req);

#endif
