/*
 * content.h - "orgactl content check DIR | publish DIR | show": the
 * assessment content bundle, checked here with orga's own loader, sent to
 * orga as a new version, and the versions published.
 */
#ifndef CTL_CONTENT_H
#define CTL_CONTENT_H

#include <stdio.h>

#include "client.h"

/* ctl_content_main runs "content SUBCOMMAND ..." and returns the exit
 * code; messages are already printed. */
int ctl_content_main(const ctl_ctx *ctx, int argc, char *argv[]);

/* ctl_content_usage prints the usage lines of the content commands. */
void ctl_content_usage(FILE *f);

#endif
