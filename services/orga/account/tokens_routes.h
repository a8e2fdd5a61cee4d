/*
 * tokens_routes.h - HTTP routes of personal API tokens
 * (/api/me/tokens).
 */
#ifndef ORGA_TOKENS_ROUTES_H
#define ORGA_TOKENS_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_tokens_routes[];

#endif
