/* config.c - environment settings. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "validate.h"

const char *
com_env_str(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : dflt;
}

com_err
com_env_long(const char *name, long dflt, long min, long max, long *out)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || v[0] == '\0') {
		*out = dflt;
		return COM_OK;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max) {
		com_log_err("config: %s must be an integer in [%ld, %ld]",
		    name, min, max);
		return COM_EINVAL;
	}
	*out = n;
	return COM_OK;
}

/*
 * com_config_pick writes the variable env into dst when set, else the
 * default built from fmt and the var directory.
 */
static com_err
com_config_pick(char *dst, size_t size, const char *env, const char *fmt,
    const char *var_dir)
{
	char dflt[1024];
	int n;

	n = snprintf(dflt, sizeof(dflt), fmt, var_dir);
	if (n < 0 || (size_t)n >= sizeof(dflt))
		return COM_ETOOLARGE;
	n = snprintf(dst, size, "%s", com_env_str(env, dflt));
	return n < 0 || (size_t)n >= size ? COM_ETOOLARGE : COM_OK;
}

com_err
com_config_load(com_config *cfg)
{
	const char *var = com_env_str("ORGA_VAR", "var");
	char cwd[PATH_MAX];
	com_err rv;
	int n;

	if (var[0] == '/') {
		n = snprintf(cfg->var_dir, sizeof(cfg->var_dir), "%s", var);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return COM_EIO;
		n = snprintf(cfg->var_dir, sizeof(cfg->var_dir), "%s/%s", cwd,
		    var);
	}
	if (n < 0 || (size_t)n >= sizeof(cfg->var_dir))
		return COM_ETOOLARGE;
	rv = com_config_pick(cfg->database_url, sizeof(cfg->database_url),
	    "DATABASE_URL", "host=%s/pg/run port=5499 user=postgres dbname=orga",
	    cfg->var_dir);
	if (rv == COM_OK)
		rv = com_config_pick(cfg->orga_rpc_url,
		    sizeof(cfg->orga_rpc_url), "ORGA_RPC_URL",
		    "ipc://%s/run/orga.ipc", cfg->var_dir);
	if (rv == COM_OK)
		rv = com_config_pick(cfg->mailer_rpc_url,
		    sizeof(cfg->mailer_rpc_url), "MAILER_RPC_URL",
		    "ipc://%s/run/mailer.ipc", cfg->var_dir);
	if (rv == COM_OK)
		rv = com_config_pick(cfg->importer_rpc_url,
		    sizeof(cfg->importer_rpc_url), "IMPORTER_RPC_URL",
		    "ipc://%s/run/importer.ipc", cfg->var_dir);
	if (rv == COM_OK &&
	    com_email_normalize(com_env_str("ORGA_HELP_EMAIL",
	        COM_HELP_EMAIL_DEFAULT), cfg->help_email,
	        sizeof(cfg->help_email)) != COM_OK) {
		com_log_err("config: ORGA_HELP_EMAIL must be an e-mail address");
		rv = COM_EINVAL;
	}
	return rv;
}
