/*
 * cgu.h - "orgactl cgu publish FILE": publishes a new version of the
 * terms of use (CGU); every user accepts it again at their next visit.
 */
#ifndef CTL_CGU_H
#define CTL_CGU_H

#include <stdio.h>

#include "buf.h"
#include "client.h"
#include "err.h"

/* The largest CGU text orgactl sends (bytes). */
#define CTL_CGU_MAX (1024u * 1024u)

/*
 * ctl_cgu_main runs "cgu SUBCOMMAND ..." (argv[0] is the subcommand) and
 * returns the process exit code; messages are already printed.
 */
int ctl_cgu_main(const ctl_ctx *ctx, int argc, char *argv[]);

/* ctl_cgu_usage prints the usage line of the cgu commands to f. */
void ctl_cgu_usage(FILE *f);

/*
 * ctl_cgu_read_file reads path into out (initialised by the caller, its
 * max bounds the size) and checks it is non-blank UTF-8 text. On failure
 * prints a French message naming path and returns COM_EIO (unreadable),
 * COM_ETOOLARGE or COM_EINVAL (empty, not UTF-8).
 */
com_err ctl_cgu_read_file(const char *path, com_buf *out) COM_MUSTCHECK;

#endif
