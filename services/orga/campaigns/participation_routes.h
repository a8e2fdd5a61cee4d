/*
 * participation_routes.h - HTTP routes of a student on a
 * campaign: the landing page, linking to a learner, participating,
 * sharing; and the ADMIN's unlinking.
 */
#ifndef ORGA_PARTICIPATION_ROUTES_H
#define ORGA_PARTICIPATION_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_participation_routes[];

#endif
