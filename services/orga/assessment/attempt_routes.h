/*
 * attempt_routes.h - HTTP routes of a student taking a campaign's
 * assessment: start or resume, where it stands, answer or pass.
 */
#ifndef ORGA_ATTEMPT_ROUTES_H
#define ORGA_ATTEMPT_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_attempt_routes[];

#endif
