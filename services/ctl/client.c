/*
 * client.c - orgactl's single RPC path to orga: every command builds an
 * OrgaRequest and goes through ctl_call.
 */
#include "client.h"

#include <stdio.h>

#include "args.h"
#include "rpc.h"

int
ctl_call(const ctl_ctx *ctx, const Orga__OrgaRequest *req,
    Orga__OrgaReply__BodyCase expect, Orga__OrgaReply **reply_out)
{
	ProtobufCMessage *msg = NULL;
	Orga__OrgaReply *reply;
	com_err rv;

	rv = com_rpc_call_url(ctx->rpc_url, ctx->timeout_ms,
	    &req->base, &orga__orga_reply__descriptor, &msg);
	switch (rv) {
	case COM_OK:
		break;
	case COM_ETIMEDOUT:
	case COM_EPEER:
		fprintf(stderr, "orga ne répond pas à %s\n", ctx->rpc_url);
		fprintf(stderr, "Astuce : lancez `make run`, ou donnez "
		    "l'adresse avec --rpc URL ou ORGA_RPC_URL.\n");
		return CTL_EXIT_FAIL;
	case COM_EINVAL:
		fprintf(stderr, "adresse RPC invalide : %s (attendu : "
		    "ipc://CHEMIN ou tcp://HÔTE:PORT)\n", ctx->rpc_url);
		return CTL_EXIT_FAIL;
	case COM_EPROTO:
		fprintf(stderr, "réponse illisible de orga (%s) : versions "
		    "différentes de orga et orgactl ?\n", ctx->rpc_url);
		return CTL_EXIT_FAIL;
	default:
		fprintf(stderr, "échec de la communication avec orga (%s) : "
		    "%s\n", ctx->rpc_url, com_strerror(rv));
		return CTL_EXIT_FAIL;
	}
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
