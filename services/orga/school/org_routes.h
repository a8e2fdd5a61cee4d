/*
 * org_routes.h - HTTP routes of one school: its
 * details, members and pending invitations.
 */
#ifndef ORGA_ORG_ROUTES_H
#define ORGA_ORG_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_org_routes[];

#endif
