/*
 * account_routes.h - HTTP routes of accounts and
 * sessions: sign-up, log in, log out, GET /api/me.
 */
#ifndef ORGA_ACCOUNT_ROUTES_H
#define ORGA_ACCOUNT_ROUTES_H

#include <libpq-fe.h>

#include "account/account.h"
#include "edge/http/http_request.h"
#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_account_routes[];

/*
 * orga_account_reply_session ends the session the request came with, if
 * any (someone logging in over another account's session), opens one for
 * u on db and answers status with {"user", "csrfToken"} and the cookie.
 * Runs inside no transaction. For every route that logs someone in.
 */
void orga_account_reply_session(orga_req *req, PGconn *db,
    const orga_user *u, unsigned status);

#endif
