/*
 * http_stream.h - the streamed bodies of STREAM routes (file uploads):
 * the size limit, blocks of ORGA_HTTP_STREAM_BLOCK bytes handed to the
 * route, and the reply held until the body has been read. Internal to
 * the HTTP edge (http_server.c drives it).
 */
#ifndef ORGA_HTTP_STREAM_H
#define ORGA_HTTP_STREAM_H

#include <stddef.h>

#include "edge/http/http_request.h"

/* orga_http_stream_begin: the headers of req (req->stream set) arrived:
 * refuses an announced size over the limit, else calls begin. */
void orga_http_stream_begin(orga_req *req);

/* orga_http_stream_data: a piece of body libmicrohttpd read (16-32 KiB). */
void orga_http_stream_data(orga_req *req, const char *data, size_t len);

/* orga_http_stream_finish: the whole body was read: the last block,
 * end, or the held reply. */
void orga_http_stream_finish(orga_req *req);

/* orga_http_stream_abort ends an open stream early (the route releases
 * what it holds); why is the user's sentence. No stream open: no-op. */
void orga_http_stream_abort(orga_req *req, const char *why);

#endif
