/*
 * http_static.h - the web UI's files, served from ORGA_WEB_DIR.
 */
#ifndef ORGA_HTTP_STATIC_H
#define ORGA_HTTP_STATIC_H

#include <stdbool.h>

#include "edge/http/http_request.h"

/*
 * orga_static_serve answers a GET/HEAD outside /api/ from
 * req->web_root, falling back to index.html (the web UI routes itself).
 */
void orga_static_serve(orga_req *req);

/* orga_static_content_type: the Content-Type for a file name. Pure. */
const char *orga_static_content_type(const char *name);

/*
 * orga_static_path_ok: url is "/..." with no ".." segment, no dot-file,
 * no backslash, no empty segment but a trailing one. Pure.
 */
bool orga_static_path_ok(const char *url);

#endif
