/*
 * rpc_call.h - what the RPC handler files (rpc_server.c, rpc_import.c)
 * share: the request in flight and the ways to refuse it. Internal to
 * the orga daemon.
 */
#ifndef ORGA_RPC_CALL_H
#define ORGA_RPC_CALL_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "app.h"
#include "buf.h"
#include "orga.pb-c.h"
#include "school/organization.h"

/* One request in flight: its reply and the storage the reply points to. */
typedef struct orga_rpc_call {
	orga_app *app;
	PGconn *db;             /* held from the pool for the call */
	Orga__OrgaReply reply;
	Orga__RpcError error;
	char message[600];
} orga_rpc_call;

/*
 * orga_rpc_fail sets the reply's error: a stable code and a French
 * message (copied into call->message). Logs the code only.
 */
void orga_rpc_fail(orga_rpc_call *call, const char *code, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* orga_rpc_fail_internal reports one of our own failures. */
void orga_rpc_fail_internal(orga_rpc_call *call, com_err err);

/* orga_rpc_uai_or_fail normalises uai, or records the French refusal. */
bool orga_rpc_uai_or_fail(orga_rpc_call *call, const char *uai,
    char out[COM_UAI_SIZE]);

/* orga_rpc_org_or_fail loads the school of uai, or records the refusal. */
bool orga_rpc_org_or_fail(orga_rpc_call *call, const char *uai,
    orga_org *org);

/* rpc_import.c: imports, learners and upload tokens for orgactl. Each
 * packs the reply. */
com_err orga_rpc_import_start(orga_rpc_call *call,
    const Orga__ImportStartRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_import_chunk(orga_rpc_call *call,
    const Orga__ImportChunkRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_import_end(orga_rpc_call *call,
    const Orga__ImportEndRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_import_status(orga_rpc_call *call,
    const Orga__ImportStatusRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_learners_list(orga_rpc_call *call,
    const Orga__LearnersListRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_token_create(orga_rpc_call *call,
    const Orga__TokenCreateRequest *req, com_buf *out) COM_MUSTCHECK;

/* assessment/content_rpc.c: publishing and listing content versions. */
com_err orga_rpc_content_publish(orga_rpc_call *call,
    const Orga__ContentPublishRequest *req, com_buf *out) COM_MUSTCHECK;
com_err orga_rpc_content_show(orga_rpc_call *call, com_buf *out)
    COM_MUSTCHECK;

#endif
