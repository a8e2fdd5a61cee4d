/*
 * main.c - orgactl, the operator's tool: finds orga's RPC address and runs
 * one command group (org, cgu, audit, import, learners, token, user,
 * content, health).
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "audit.h"
#include "cgu.h"
#include "client.h"
#include "config.h"
#include "content.h"
#include "health.h"
#include "import.h"
#include "learners.h"
#include "log.h"
#include "org.h"
#include "token.h"
#include "user.h"

typedef int (*ctl_command_fn)(const ctl_ctx *ctx, int argc, char *argv[]);

static const struct ctl_command {
	const char *name;
	ctl_command_fn run;
} ctl_commands[] = {
	{ "org", ctl_org_main },
	{ "cgu", ctl_cgu_main },
	{ "audit", ctl_audit_main },
	{ "import", ctl_import_main },
	{ "learners", ctl_learners_main },
	{ "token", ctl_token_main },
	{ "user", ctl_user_main },
	{ "content", ctl_content_main },
	{ "health", ctl_health_main },
};

static void
ctl_usage(FILE *f)
{
	fprintf(f,
	    "Usage : orgactl [--rpc URL] COMMANDE ...\n"
	    "\n"
	    "Commandes :\n");
	ctl_org_usage(f);
	ctl_cgu_usage(f);
	ctl_audit_usage(f);
	ctl_import_usage(f);
	ctl_learners_usage(f);
	ctl_token_usage(f);
	ctl_user_usage(f);
	ctl_content_usage(f);
	fprintf(f,
	    "  orgactl health\n"
	    "\n"
	    "orgactl parle au démon orga à l'adresse --rpc URL, sinon\n"
	    "$ORGA_RPC_URL, sinon ipc://$ORGA_VAR/run/orga.ipc "
	    "(ORGA_VAR : var).\n"
	    "Codes de sortie : 0 succès, 1 échec (message d'orga), "
	    "2 commande mal formée.\n");
}

int
main(int argc, char *argv[])
{
	com_config cfg;
	ctl_ctx ctx;
	ctl_link link = { NULL };
	const char *url = NULL;
	char msg[256];
	int n = argc - 1;
	char **args = argv + 1;

	com_log_init("orgactl");
	/* Keep the operator's terminal for French messages unless asked. */
	if (com_env_str("ORGA_LOG_LEVEL", NULL) == NULL)
		com_log_set_level(COM_LOG_ERR);
	if (ctl_args_wants_help(n, args)) {
		ctl_usage(stdout);
		return CTL_EXIT_OK;
	}
	if (ctl_args_take_rpc(&n, args, &url, msg, sizeof(msg)) != COM_OK) {
		fprintf(stderr, "orgactl : %s\n\n", msg);
		ctl_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (n < 1) {
		ctl_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (com_config_load(&cfg) != COM_OK) {
		fprintf(stderr, "orgactl : configuration illisible (ORGA_VAR ou "
		    "ORGA_RPC_URL trop long ?)\n");
		return CTL_EXIT_FAIL;
	}
	ctx.rpc_url = url != NULL ? url : cfg.orga_rpc_url;
	ctx.timeout_ms = CTL_TIMEOUT_MS;
	ctx.link = &link;
	for (size_t i = 0; i < sizeof(ctl_commands) / sizeof(ctl_commands[0]);
	     i++) {
		int rc;

		if (strcmp(args[0], ctl_commands[i].name) != 0)
			continue;
		rc = ctl_commands[i].run(&ctx, n - 1, args + 1);
		ctl_disconnect(&ctx);
		return rc;
	}
	fprintf(stderr, "orgactl : commande inconnue « %s »\n\n", args[0]);
	ctl_usage(stderr);
	return CTL_EXIT_USAGE;
}
