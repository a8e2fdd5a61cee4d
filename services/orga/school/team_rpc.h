/*
 * rpc_team.h - the operator's view of a school's team over nng
 * (orgactl audit). Internal to the orga daemon.
 */
#ifndef ORGA_RPC_TEAM_H
#define ORGA_RPC_TEAM_H

#include "buf.h"
#include "err.h"
#include "orga.pb-c.h"
#include "edge/rpc/rpc_call.h"

/*
 * orga_rpc_audit answers AuditRequest: the school of req->uai and its
 * audit log, newest first, packed into out (refusals are in the reply's
 * error). Errors are packing errors only.
 */
com_err orga_rpc_audit(orga_rpc_call *call, const Orga__AuditRequest *req,
    com_buf *out) COM_MUSTCHECK;

#endif
