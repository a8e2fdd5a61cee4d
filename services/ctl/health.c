/*
 * health.c - the health command: one Health RPC to orga.
 */
#include "health.h"

#include <stdio.h>

#include "args.h"

int
ctl_health_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__HealthRequest body = ORGA__HEALTH_REQUEST__INIT;
	Orga__OrgaReply *reply;
	Orga__HealthReply *h;
	char msg[256];
	int rc;

	if (ctl_args_parse(argc, argv, NULL, 0, NULL, 0, msg,
	    sizeof(msg)) != COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n  orgactl health\n",
		    msg);
		return CTL_EXIT_USAGE;
	}
	req.body_case = ORGA__ORGA_REQUEST__BODY_HEALTH;
	req.health = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_HEALTH, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	h = reply->health;
	printf("%s : répond (version %s, pid %d) sur %s\n",
	    h->service[0] != '\0' ? h->service : "orga",
	    h->version[0] != '\0' ? h->version : "?", (int)h->pid,
	    ctx->rpc_url);
	printf("base de données : %s\n", h->database_ok ? "ok"
	    : "injoignable");
	rc = h->database_ok ? CTL_EXIT_OK : CTL_EXIT_FAIL;
	ctl_reply_free(reply);
	return rc;
}
