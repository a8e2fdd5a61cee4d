/*
 * account_routes.h - HTTP routes of accounts and
 * sessions: sign-up, log in, log out, GET /api/me.
 */
#ifndef ORGA_ACCOUNT_ROUTES_H
#define ORGA_ACCOUNT_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_account_routes[];

#endif
