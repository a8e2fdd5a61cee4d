/*
 * http_route.h - the one route type of the HTTP edge, and the pure
 * helpers routes share: path matching, ids, content types, query flags,
 * and the JSON bits of error bodies and form input.
 */
#ifndef ORGA_HTTP_ROUTE_H
#define ORGA_HTTP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define ORGA_ROUTE_MAX_IDS 4

typedef struct orga_req orga_req;

/*
 * A route handler answers through the reply helpers (http_reply.h). If it
 * returns without answering, the dispatcher answers 500. It runs on a
 * libmicrohttpd pool thread and may block on PostgreSQL.
 */
typedef void (*orga_handler)(orga_req *req);

/*
 * How a route takes its body:
 *  - JSON: buffered up to ORGA_HTTP_MAX_JSON bytes; POST, PUT, PATCH (and
 *    a DELETE with a body) need Content-Type: application/json.
 *  - FORM: an HTML form another site posts (the GAR's assertion
 *    consumer): application/x-www-form-urlencoded, up to
 *    ORGA_HTTP_MAX_FORM bytes, no session (so no CSRF token). POST only.
 *  - STREAM: handed piece by piece to the route's orga_stream_ops (file
 *    uploads), up to ORGA_IMPORT_MAX_BYTES.
 */
typedef enum orga_body {
	ORGA_BODY_JSON = 0,
	ORGA_BODY_FORM,
	ORGA_BODY_STREAM,
} orga_body;

#define ORGA_HTTP_MAX_FORM (256 * 1024)

/*
 * A stream route's callbacks. The edge answers 413 FILE_TOO_LARGE itself
 * when Content-Length (checked before begin) or the bytes received pass
 * the limit. Each callback runs on the request's pool thread; the
 * connection of orga_req_db_or_reply is handed back after each one.
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
 * Replies made while the body is still arriving are held by the edge and
 * sent once it has all been read.
 */
typedef struct orga_stream_ops {
	bool (*begin)(orga_req *req);
	bool (*data)(orga_req *req, const char *buf, size_t len);
	void (*end)(orga_req *req);
	void (*abort)(orga_req *req, const char *why);
} orga_stream_ops;

/* Streamed bodies are handed to data() in blocks of this size. */
#define ORGA_HTTP_STREAM_BLOCK (1024 * 1024)

/*
 * One route. Tables are arrays ended by an entry whose method is NULL;
 * main.c hands the list of every domain's table to orga_http_start.
 */
typedef struct orga_route {
	const char *method;   /* "GET" (also serves HEAD), "POST", "DELETE" */
	const char *pattern;  /* "/api/organizations/{id}/members" */
	orga_handler handler; /* JSON and FORM routes */
	orga_body body;
	const orga_stream_ops *stream; /* STREAM routes */
} orga_route;

/* A JSON route: ORGA_ROUTE("GET", "/api/me", handler). */
#define ORGA_ROUTE(method, pattern, handler) \
	{(method), (pattern), (handler), ORGA_BODY_JSON, NULL}
/* The entry that ends a table. */
#define ORGA_ROUTE_END {NULL, NULL, NULL, ORGA_BODY_JSON, NULL}

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
 * orga_http_errors_add appends orga_http_error_item(code, field, message)
 * to the form errors array; false on ENOMEM.
 */
bool orga_http_errors_add(json_t *errors, const char *field,
    const char *code, const char *message);

/* orga_json_string: obj[key] when a string, else NULL (borrowed). */
const char *orga_json_string(const json_t *obj, const char *key);

/*
 * orga_json_trimmed copies obj[key] without its surrounding white space
 * into out ("" when absent or not a string); false when it does not fit
 * in size bytes (out is then unspecified). Pure.
 */
bool orga_json_trimmed(const json_t *obj, const char *key, char *out,
    size_t size);

#endif
