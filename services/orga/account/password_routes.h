/*
 * password_routes.h - HTTP routes of passwords: the change a one-time
 * password forces (or any change with the current password), and
 * recovery by mail ("Mot de passe oublié ?").
 */
#ifndef ORGA_PASSWORD_ROUTES_H
#define ORGA_PASSWORD_ROUTES_H

#include "account/throttle.h"
#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_password_routes[];

/* Recovery requests: per normalised address, 3 at once then 3 an hour
 * (beyond, answered alike and nothing sent); per client address, 60 at
 * once then one a minute (beyond, 429): a school's students share one. */
extern const orga_throttle_rule orga_recovery_per_address;
extern const orga_throttle_rule orga_recovery_per_client;

#endif
