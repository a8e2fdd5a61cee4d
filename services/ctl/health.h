/*
 * health.h - "orgactl health": asks orga whether it and its database
 * answer.
 */
#ifndef CTL_HEALTH_H
#define CTL_HEALTH_H

#include "client.h"

/*
 * ctl_health_main runs "health" (argv holds what follows it) and returns
 * CTL_EXIT_OK only when orga answers and reaches PostgreSQL.
 */
int ctl_health_main(const ctl_ctx *ctx, int argc, char *argv[]);

#endif
