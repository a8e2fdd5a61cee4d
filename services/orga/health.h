/*
 * health.h - asks PostgreSQL and every daemon whether it answers; used by
 * GET /healthz and the Health RPC.
 */
#ifndef ORGA_HEALTH_H
#define ORGA_HEALTH_H

#include <stdbool.h>

#include "app.h"
#include "edge/http/http_route.h"

typedef struct orga_health {
	bool database;
	bool mailer;
	bool importer;
} orga_health;

/* orga_health_check fills out; each peer gets at most about 1 s. */
void orga_health_check(orga_app *app, orga_health *out);

/* orga_health_ok: every part answered. */
bool orga_health_ok(const orga_health *h);

/* GET /healthz: 200 when every part answers, else 503, with each part's
 * state; GET /api/help: {"email"}, ORGA_HELP_EMAIL. Ended by
 * ORGA_ROUTE_END. */
extern const orga_route orga_health_routes[];

#endif
