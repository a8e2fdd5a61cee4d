/*
 * results_routes.h - HTTP routes of school staff on assessments: the
 * parcours to choose from, a campaign's activity and results, one
 * participant's results, the CSV export.
 */
#ifndef ORGA_RESULTS_ROUTES_H
#define ORGA_RESULTS_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_results_routes[];

#endif
