/*
 * http_stream.c - streamed request bodies (file uploads): the size limit
 * (413 FILE_TOO_LARGE), blocks of ORGA_HTTP_STREAM_BLOCK bytes handed to
 * the route's callbacks, and the reply held until the body is read.
 */
#include "edge/http/http_stream.h"

#include <stdio.h>

#include "edge/http/http_reply.h"
#include "log.h"

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
void
orga_http_stream_abort(orga_req *req, const char *why)
{
	if (!req->stream_open)
		return;
	req->stream_open = false;
	req->stream->stream->abort(req, why);
	orga_req_db_release(req);
}

/* Called with the headers: the size known up front, then begin. */
void
orga_http_stream_begin(orga_req *req)
{
	char text[160];
	bool ok;

	if (req->content_length > req->stream_max) {
		http_stream_too_large_text(req, text, sizeof(text));
		orga_http_reply_error(req, 413, "FILE_TOO_LARGE", NULL, "%s",
		    text);
		return;
	}
	ok = req->stream->stream->begin(req);
	orga_req_db_release(req);
	if (!ok) {
		if (!req->replied)
			orga_http_reply_internal(req, COM_EINVAL, "begin");
		return;
	}
	if (req->replied) {
		/* A route bug: answered yet went on. Keep the answer. */
		com_log_err("http: %s answered and accepted", req->route);
		req->stream_open = true;
		orga_http_stream_abort(req, "Une erreur interne est survenue.");
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

	ok = req->stream->stream->data(req, req->body.data, req->body.len);
	orga_req_db_release(req);
	com_buf_reset(&req->body);
	if (!ok) {
		req->stream_open = false;
		if (!req->replied)
			orga_http_reply_internal(req, COM_EINVAL, "data");
	}
	return ok;
}

/* Called with each piece of body libmicrohttpd read (16-32 KiB). */
void
orga_http_stream_data(orga_req *req, const char *data, size_t len)
{
	char text[160];
	size_t take;

	if (!req->stream_open)
		return; /* answered already: drop the rest */
	if ((int64_t)len > req->stream_max - req->stream_bytes) {
		http_stream_too_large_text(req, text, sizeof(text));
		orga_http_stream_abort(req, text);
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
			orga_http_stream_abort(req, "Une erreur interne est "
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
void
orga_http_stream_finish(orga_req *req)
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
		req->stream->stream->end(req);
		orga_req_db_release(req);
	}
	if (!req->replied)
		orga_http_reply_internal(req, COM_EINVAL, "end");
}
