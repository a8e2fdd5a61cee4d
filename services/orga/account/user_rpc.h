/*
 * user_rpc.h - the operator's view of one account over nng (orgactl user
 * show, orgactl user unblock). Internal to the orga daemon.
 */
#ifndef ORGA_USER_RPC_H
#define ORGA_USER_RPC_H

#include "buf.h"
#include "edge/rpc/rpc_call.h"
#include "err.h"
#include "orga.pb-c.h"

/*
 * orga_rpc_user_show answers user_show: the account of req->email, its
 * schools, ways to log in, block and last login, packed into out
 * (refusals are in the reply's error). Errors are packing errors only.
 */
com_err orga_rpc_user_show(orga_rpc_call *call, const Orga__UserRequest *req,
    com_buf *out) COM_MUSTCHECK;

/* orga_rpc_user_unblock lifts the block of that account, then answers
 * as orga_rpc_user_show (unblocked: it was blocked). */
com_err orga_rpc_user_unblock(orga_rpc_call *call,
    const Orga__UserRequest *req, com_buf *out) COM_MUSTCHECK;

#endif
