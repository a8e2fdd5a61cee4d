/*
 * invitation_routes.h - HTTP routes of invitations: check a
 * link, accept it.
 */
#ifndef ORGA_INVITATION_ROUTES_H
#define ORGA_INVITATION_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_invitation_routes[];

#endif
