/*
 * learner_accounts_routes.h - HTTP routes of the accounts a school's
 * ADMIN makes for its students: identifiers and one-time passwords for a
 * selection, a new password for one, unblocking one.
 */
#ifndef ORGA_LEARNER_ACCOUNTS_ROUTES_H
#define ORGA_LEARNER_ACCOUNTS_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_learner_accounts_routes[];

#endif
