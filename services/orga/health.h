/*
 * health.h - asks PostgreSQL and every daemon whether it answers; used by
 * GET /healthz and the Health RPC.
 */
#ifndef ORGA_HEALTH_H
#define ORGA_HEALTH_H

#include <stdbool.h>

#include "app.h"

typedef struct orga_health {
	bool database;
	bool mailer;
	bool importer;
} orga_health;

/* orga_health_check fills out; each peer gets at most about 1 s. */
void orga_health_check(orga_app *app, orga_health *out);

/* orga_health_ok: every part answered. */
bool orga_health_ok(const orga_health *h);

#endif
