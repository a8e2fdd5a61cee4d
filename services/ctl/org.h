/*
 * org.h - orgactl's "org" commands: create, list, show and invite schools
 * (organisations), each one OrgaRequest to orga.
 */
#ifndef CTL_ORG_H
#define CTL_ORG_H

#include <stdio.h>

#include "client.h"

/*
 * ctl_org_main runs "org SUBCOMMAND ..." where argv[0] is the
 * subcommand. Returns the process exit code (CTL_EXIT_*); messages are
 * already printed.
 */
int ctl_org_main(const ctl_ctx *ctx, int argc, char *argv[]);

/* ctl_org_usage prints the usage lines of the org commands to f. */
void ctl_org_usage(FILE *f);

#endif
