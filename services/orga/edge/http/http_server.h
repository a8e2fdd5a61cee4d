/*
 * http.h - the public HTTP edge (libmicrohttpd): the JSON API under /api/,
 * GET /healthz, and the static web UI from app->web_dir.
 */
#ifndef ORGA_HTTP_H
#define ORGA_HTTP_H

#include "app.h"
#include "err.h"

typedef struct orga_http orga_http;

/*
 * orga_http_start listens on app->http_addr with a fixed thread pool.
 * app must outlive the server. Stop and free with orga_http_stop.
 */
com_err orga_http_start(orga_app *app, orga_http **out) COM_MUSTCHECK;

/* orga_http_stop waits for requests in flight, then frees; NULL no-op. */
void orga_http_stop(orga_http *h);

#endif
