/*
 * team_routes.h - HTTP routes of a school's team:
 * invitations, roles, removals, leaving, the audit log.
 */
#ifndef ORGA_TEAM_ROUTES_H
#define ORGA_TEAM_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_team_routes[];

#endif
