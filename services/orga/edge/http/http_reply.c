/*
 * http_reply.c - the one way the HTTP edge answers: JSON bodies and
 * errors (each counted and logged), raw responses, and the security
 * headers every response carries.
 */
#include "edge/http/http_reply.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge/http/http_route.h"
#include "log.h"

static atomic_ulong http_errors[6];

static const char http_csp[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

unsigned long
orga_http_error_count(unsigned cls)
{
	return cls < 6 ? atomic_load(&http_errors[cls]) : 0;
}

/* The headers every response carries. */
static void
http_security_headers(struct MHD_Response *resp)
{
	(void)MHD_add_response_header(resp, "Content-Security-Policy",
	    http_csp);
	(void)MHD_add_response_header(resp, "X-Content-Type-Options",
	    "nosniff");
	/* The join page's URL holds the invitation code. */
	(void)MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	(void)MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

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
	http_security_headers(resp);
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
orga_http_reply_limited(orga_req *req, int retry_after_s, const char *code,
    const char *fmt, ...)
{
	struct MHD_Response *resp;
	char message[512], seconds[16];
	char *text = NULL;
	json_t *body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	http_count_error(req, 429, code, NULL);
	body = orga_http_error_body(code, NULL, message, NULL);
	if (body != NULL)
		text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	resp = text != NULL ? MHD_create_response_from_buffer(strlen(text),
	                          text, MHD_RESPMEM_MUST_FREE)
	                    : NULL;
	if (resp == NULL) {
		free(text);
		http_reply_text(req, 500, http_enomem_body);
		return;
	}
	snprintf(seconds, sizeof(seconds), "%d",
	    retry_after_s > 0 ? retry_after_s : 1);
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json; charset=utf-8");
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
	    seconds);
	orga_http_reply_response(req, 429, resp);
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
