/*
 * args.c - option parsing for orgactl: long options only, values either
 * in the next argument or after '='.
 */
#include "args.h"

#include <stdio.h>
#include <string.h>

/* ctl_args_msg writes a message; truncation is harmless here. */
static com_err
ctl_args_msg(char *msg, size_t msgsize, const char *fmt, const char *a)
{
	if (msgsize > 0)
		(void)snprintf(msg, msgsize, fmt, a);
	return COM_EINVAL;
}

static ctl_opt *
ctl_args_find(ctl_opt *opts, size_t nopts, const char *name, size_t len)
{
	for (size_t i = 0; i < nopts; i++) {
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	}
	return NULL;
}

com_err
ctl_args_parse(int argc, char *const argv[], ctl_opt *opts, size_t nopts,
    const char **pos, size_t npos, char *msg, size_t msgsize)
{
	size_t npos_seen = 0;
	bool opts_done = false;

	for (size_t i = 0; i < nopts; i++)
		opts[i].value = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *eq;
		size_t len;
		ctl_opt *o;

		if (!opts_done && strcmp(a, "--") == 0) {
			opts_done = true;
			continue;
		}
		if (opts_done || a[0] != '-' || a[1] == '\0') {
			if (npos_seen == npos)
				return ctl_args_msg(msg, msgsize,
				    "argument en trop : « %s »", a);
			pos[npos_seen++] = a;
			continue;
		}
		if (a[1] != '-')
			return ctl_args_msg(msg, msgsize,
			    "option inconnue : « %s »", a);
		eq = strchr(a + 2, '=');
		len = eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		o = ctl_args_find(opts, nopts, a + 2, len);
		if (o == NULL)
			return ctl_args_msg(msg, msgsize,
			    "option inconnue : « %s »", a);
		if (o->value != NULL)
			return ctl_args_msg(msg, msgsize,
			    "l'option --%s est donnée deux fois", o->name);
		if (eq != NULL) {
			o->value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return ctl_args_msg(msg, msgsize,
				    "l'option --%s attend une valeur", o->name);
			o->value = argv[++i];
		}
	}
	for (size_t i = 0; i < nopts; i++) {
		if (opts[i].required &&
		    (opts[i].value == NULL || opts[i].value[0] == '\0'))
			return ctl_args_msg(msg, msgsize,
			    "l'option --%s est obligatoire", opts[i].name);
	}
	if (npos_seen < npos)
		return ctl_args_msg(msg, msgsize, "%s",
		    npos - npos_seen == 1 ? "il manque un argument"
		                          : "il manque des arguments");
	return COM_OK;
}

com_err
ctl_args_take_rpc(int *argc, char *argv[], const char **url, char *msg,
    size_t msgsize)
{
	const char *found = NULL;
	int out = 0;
	int i;

	for (i = 0; i < *argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--rpc") == 0) {
			if (i + 1 >= *argc || argv[i + 1][0] == '\0')
				return ctl_args_msg(msg, msgsize, "%s",
				    "l'option --rpc attend une adresse "
				    "(ex. ipc:///chemin/orga.ipc)");
			found = argv[++i];
			continue;
		}
		if (strncmp(a, "--rpc=", 6) == 0) {
			if (a[6] == '\0')
				return ctl_args_msg(msg, msgsize, "%s",
				    "l'option --rpc attend une adresse "
				    "(ex. ipc:///chemin/orga.ipc)");
			found = a + 6;
			continue;
		}
		argv[out++] = argv[i];
	}
	for (; i < *argc; i++)
		argv[out++] = argv[i];
	*argc = out;
	if (found != NULL)
		*url = found;
	return COM_OK;
}

bool
ctl_args_wants_help(int argc, char *const argv[])
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}
