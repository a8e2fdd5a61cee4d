/*
 * args.h - orgactl's command-line parsing: "--name VALUE" options and
 * positional arguments, with French messages for the operator. Pure
 * functions (no I/O), so they are unit-tested.
 */
#ifndef CTL_ARGS_H
#define CTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Exit codes of orgactl. */
#define CTL_EXIT_OK 0
#define CTL_EXIT_FAIL 1   /* the request failed (orga's message printed) */
#define CTL_EXIT_USAGE 2  /* bad command line (usage printed) */

typedef struct ctl_opt {
	const char *name;   /* without the leading "--", e.g. "uai" */
	bool required;
	const char *value;  /* out: points into argv, NULL when absent */
} ctl_opt;

/*
 * ctl_args_parse reads argv[0..argc) as options of opts ("--name VALUE" or
 * "--name=VALUE", each at most once; "--" ends the options) and exactly
 * npos positional arguments, stored in pos[] (pointers into argv). On
 * error returns COM_EINVAL and writes a French message into msg (msgsize
 * bytes); the values of opts and pos are then unspecified.
 */
com_err ctl_args_parse(int argc, char *const argv[], ctl_opt *opts,
    size_t nopts, const char **pos, size_t npos, char *msg, size_t msgsize)
    COM_MUSTCHECK;

/*
 * ctl_args_take_rpc removes every "--rpc URL" / "--rpc=URL" from argv
 * (shifting the rest and updating *argc), so the global option may appear
 * anywhere. *url receives the last value (pointer into argv) or is left
 * untouched when absent. COM_EINVAL with a message when the value is
 * missing or empty.
 */
com_err ctl_args_take_rpc(int *argc, char *argv[], const char **url,
    char *msg, size_t msgsize) COM_MUSTCHECK;

/* ctl_args_wants_help: argv holds "-h" or "--help" before any "--". */
bool ctl_args_wants_help(int argc, char *const argv[]);

#endif
