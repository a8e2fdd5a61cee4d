/*
 * http_server.h - the public HTTP edge (libmicrohttpd): the routes main.c
 * hands in (the JSON API under /api/, GET /healthz), and the static web
 * UI from app->web_dir for any other GET.
 */
#ifndef ORGA_HTTP_SERVER_H
#define ORGA_HTTP_SERVER_H

#include "app.h"
#include "edge/http/http_route.h"
#include "err.h"

typedef struct orga_http orga_http;

/*
 * orga_http_start listens on app->http_addr with a fixed thread pool and
 * serves the routes of tables (a NULL-ended list of route tables, each
 * ended by ORGA_ROUTE_END; a path and method is looked up in that
 * order). app and tables must outlive the server. Stop and free with
 * orga_http_stop.
 */
com_err orga_http_start(orga_app *app, const orga_route *const *tables,
    orga_http **out) COM_MUSTCHECK;

/* orga_http_stop waits for requests in flight, then frees; NULL no-op. */
void orga_http_stop(orga_http *h);

#endif
