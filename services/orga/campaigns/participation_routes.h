/*
 * participation_routes.h - HTTP routes of a student on a
 * campaign: the landing page, linking to a learner, participating,
 * sharing; and the ADMIN's unlinking.
 */
#ifndef ORGA_PARTICIPATION_ROUTES_H
#define ORGA_PARTICIPATION_ROUTES_H

#include "campaigns/linking.h"
#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_participation_routes[];

/*
 * orga_participation_campaign_or_reply reads the code of the path
 * ("/api/campaigns/{code}...") and loads its campaign (on the heap: the
 * landing text is large; freed with the request), or answers 404
 * CAMPAIGN_NOT_FOUND and returns NULL.
 */
orga_join_campaign *orga_participation_campaign_or_reply(orga_req *req);

#endif
