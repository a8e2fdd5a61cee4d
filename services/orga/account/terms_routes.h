/*
 * terms_routes.h - HTTP routes of the terms of use (CGU):
 * the current text and its acceptance.
 */
#ifndef ORGA_TERMS_ROUTES_H
#define ORGA_TERMS_ROUTES_H

#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_terms_routes[];

#endif
