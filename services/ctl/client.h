/*
 * client.h - one OrgaRequest to the orga daemon and its OrgaReply, with
 * the operator-facing (French) messages for transport and RPC errors.
 */
#ifndef CTL_CLIENT_H
#define CTL_CLIENT_H

#include "orga.pb-c.h"
#include "rpc.h"

/* How long orgactl waits for orga's reply. */
#define CTL_TIMEOUT_MS 5000

/* The connection to orga, opened by the first ctl_call: a command that
 * fails before asking anything never connects. */
typedef struct ctl_link {
	com_rpc_client *client;
} ctl_link;

typedef struct ctl_ctx {
	const char *rpc_url;  /* where orga listens (borrowed) */
	int timeout_ms;
	ctl_link *link;       /* one connection for the whole command */
} ctl_ctx;

/* ctl_disconnect closes ctx's connection, if one was opened. */
void ctl_disconnect(const ctl_ctx *ctx);

/*
 * ctl_call sends req to orga and returns CTL_EXIT_OK with *reply_out set
 * (free it with ctl_reply_free) when orga answered without error and with
 * the body `expect`. Otherwise it has already printed a French message on
 * stderr (orga's RpcError message, "orga ne répond pas à <url>", ...) and
 * returns CTL_EXIT_FAIL; *reply_out is untouched.
 */
int ctl_call(const ctl_ctx *ctx, const Orga__OrgaRequest *req,
    Orga__OrgaReply__BodyCase expect, Orga__OrgaReply **reply_out);

/* ctl_reply_free frees a reply of ctl_call; NULL is a no-op. */
void ctl_reply_free(Orga__OrgaReply *reply);

#endif
