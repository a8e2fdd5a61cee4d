/*
 * audit.h - "orgactl audit --uai UAI [--limit N]": prints the audit log of
 * a school's team (invitations, arrivals, roles, removals, departures).
 */
#ifndef CTL_AUDIT_H
#define CTL_AUDIT_H

#include <stddef.h>
#include <stdio.h>

#include "client.h"
#include "orga.pb-c.h"

/*
 * ctl_audit_main runs "audit ..." (argv holds the options) and returns the
 * process exit code; messages are already printed.
 */
int ctl_audit_main(const ctl_ctx *ctx, int argc, char *argv[]);

/* ctl_audit_usage prints the usage line of the audit command to f. */
void ctl_audit_usage(FILE *f);

/*
 * ctl_audit_describe writes the French sentence of one entry, without
 * its date ("Anne Martin <a@x.fr> a invité b@x.fr (MEMBER)"), into out
 * (size bytes, truncated). Pure.
 */
void ctl_audit_describe(const Orga__AuditEntry *e, char *out, size_t size);

#endif
