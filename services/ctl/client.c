/*
 * client.c - orgactl's single RPC path to orga: every command builds an
 * OrgaRequest and goes through ctl_call.
 */
#include "client.h"

#include <stdio.h>

#include "args.h"
#include "rpc.h"

/* ctl_rpc_trouble says why orga could not be reached; CTL_EXIT_FAIL. */
static int
ctl_rpc_trouble(const ctl_ctx *ctx, com_err rv)
{
	switch (rv) {
	case COM_ETIMEDOUT:
	case COM_EPEER:
		fprintf(stderr, "orga ne répond pas à %s\n", ctx->rpc_url);
		fprintf(stderr, "Astuce : lancez `make run`, ou donnez "
		    "l'adresse avec --rpc URL ou ORGA_RPC_URL.\n");
		break;
	case COM_EINVAL:
		fprintf(stderr, "adresse RPC invalide : %s (attendu : "
		    "ipc://CHEMIN ou tcp://HÔTE:PORT)\n", ctx->rpc_url);
		break;
	case COM_EPROTO:
		fprintf(stderr, "réponse illisible de orga (%s) : versions "
		    "différentes de orga et orgactl ?\n", ctx->rpc_url);
		break;
	default:
		fprintf(stderr, "échec de la communication avec orga (%s) : "
		    "%s\n", ctx->rpc_url, com_strerror(rv));
		break;
	}
	return CTL_EXIT_FAIL;
}

void
ctl_disconnect(const ctl_ctx *ctx)
{
	com_rpc_client_close(ctx->link->client);
	ctx->link->client = NULL;
}

int
ctl_call(const ctl_ctx *ctx, const Orga__OrgaRequest *req,
    Orga__OrgaReply__BodyCase expect, Orga__OrgaReply **reply_out)
{
	ProtobufCMessage *msg = NULL;
	Orga__OrgaReply *reply;
	com_err rv;

	if (ctx->link->client == NULL) {
		rv = com_rpc_client_open(ctx->rpc_url, ctx->timeout_ms,
		    &ctx->link->client);
		if (rv != COM_OK)
			return ctl_rpc_trouble(ctx, rv);
	}
	rv = com_rpc_call(ctx->link->client, &req->base,
	    &orga__orga_reply__descriptor, &msg);
	if (rv != COM_OK)
		return ctl_rpc_trouble(ctx, rv);
	reply = (Orga__OrgaReply *)msg;
	if (reply->error != NULL) {
		const char *m = reply->error->message;

		fprintf(stderr, "erreur : %s\n",
		    m != NULL && m[0] != '\0' ? m : reply->error->code);
		if (reply->error->detail != NULL &&
		    reply->error->detail[0] != '\0')
			fprintf(stderr, "%s\n", reply->error->detail);
		ctl_reply_free(reply);
		return CTL_EXIT_FAIL;
	}
	if (reply->body_case != expect) {
		fprintf(stderr, "réponse inattendue de orga (%s) : versions "
		    "différentes de orga et orgactl ?\n", ctx->rpc_url);
		ctl_reply_free(reply);
		return CTL_EXIT_FAIL;
	}
	*reply_out = reply;
	return CTL_EXIT_OK;
}

void
ctl_reply_free(Orga__OrgaReply *reply)
{
	if (reply != NULL)
		protobuf_c_message_free_unpacked(&reply->base, NULL);
}
