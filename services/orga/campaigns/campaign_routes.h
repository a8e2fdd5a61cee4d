/*
 * campaign_routes.h - HTTP routes of a school's campaigns
 * and their participants.
 */
#ifndef ORGA_CAMPAIGN_ROUTES_H
#define ORGA_CAMPAIGN_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_campaign_routes[];

#endif
