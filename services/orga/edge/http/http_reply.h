/*
 * http_reply.h - the one way to answer an HTTP request: JSON bodies,
 * errors (counted and logged), and raw responses, all with the security
 * headers every response carries.
 */
#ifndef ORGA_HTTP_REPLY_H
#define ORGA_HTTP_REPLY_H

#include <jansson.h>
#include <microhttpd.h>

#include "edge/http/http_request.h"
#include "err.h"

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
 * orga_http_reply_errors answers status with the form errors (a non-empty
 * array of orga_http_error_item, stolen): "error" is the first, "errors"
 * all of them.
 */
void orga_http_reply_errors(orga_req *req, unsigned status, json_t *errors);

/*
 * orga_http_reply_limited answers 429 with code and the French message as
 * orga_http_reply_error, plus the header Retry-After: retry_after_s (a
 * limit of account/throttle.h said when to come back).
 */
void orga_http_reply_limited(orga_req *req, int retry_after_s,
    const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * orga_http_reply_internal answers a failure of ours: 503
 * SERVICE_UNAVAILABLE for COM_EDB (PostgreSQL away), 500 INTERNAL_ERROR
 * otherwise. what names the step for the log.
 */
void orga_http_reply_internal(orga_req *req, com_err err, const char *what);

/*
 * orga_http_reply_response queues resp (destroyed here) with status, the
 * security headers, no-store when resp has no Cache-Control, and the
 * pending Set-Cookie. For static files; API handlers use the JSON
 * helpers. While a streamed body is still arriving, the reply is held
 * until its end (req->held).
 */
void orga_http_reply_response(orga_req *req, unsigned status,
    struct MHD_Response *resp);

/* orga_http_error_count: errors answered so far with status / 100 = cls. */
unsigned long orga_http_error_count(unsigned cls);

#endif
