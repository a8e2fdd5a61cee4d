/*
 * config.h - settings every daemon and tool shares, read from the
 * environment (the README lists each variable).
 */
#ifndef COM_CONFIG_H
#define COM_CONFIG_H

#include <stddef.h>

#include "err.h"

typedef struct com_config {
	char var_dir[512];          /* ORGA_VAR, absolute; default ./var */
	char database_url[1024];    /* DATABASE_URL; default: the cluster
	                               under $ORGA_VAR/pg */
	char orga_rpc_url[600];     /* ORGA_RPC_URL */
	char mailer_rpc_url[600];   /* MAILER_RPC_URL */
	char importer_rpc_url[600]; /* IMPORTER_RPC_URL */
	char help_email[256];       /* ORGA_HELP_EMAIL: whom users write to
	                               for help (mail footer, error pages) */
} com_config;

/* The default of ORGA_HELP_EMAIL: set it for a real deployment. */
#define COM_HELP_EMAIL_DEFAULT "aide@orga.invalid"

/*
 * com_config_load fills cfg from the environment. Defaults put the ipc
 * sockets under $ORGA_VAR/run/. Returns COM_ETOOLARGE when a value does
 * not fit, COM_EINVAL (logged) when ORGA_HELP_EMAIL is not an address.
 */
com_err com_config_load(com_config *cfg) COM_MUSTCHECK;

/* com_env_str returns getenv(name) when set and non-empty, else dflt. */
const char *com_env_str(const char *name, const char *dflt);

/*
 * com_env_long reads an integer setting within [min, max]; unset means
 * dflt. Returns COM_EINVAL (and logs the variable) when malformed.
 */
com_err com_env_long(const char *name, long dflt, long min, long max,
    long *out) COM_MUSTCHECK;

#endif
