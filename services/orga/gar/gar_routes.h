/*
 * gar_routes.h - HTTP routes of GAR logins: our SAML
 * metadata, the AuthnRequest, and the assertion consumer (a form route).
 */
#ifndef ORGA_GAR_ROUTES_H
#define ORGA_GAR_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_gar_routes[];

#endif
