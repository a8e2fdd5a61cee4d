/*
 * rpc_server.h - answers OrgaRequest messages (proto/orga.proto) over nng:
 * the operator tool orgactl and the other daemons' registration.
 */
#ifndef ORGA_RPC_SERVER_H
#define ORGA_RPC_SERVER_H

#include "app.h"
#include "err.h"
#include "rpc.h"

/*
 * orga_rpc_start listens on app->cfg.orga_rpc_url with nworkers threads.
 * app must outlive the server; stop with com_rpc_server_stop.
 */
com_err orga_rpc_start(orga_app *app, int nworkers, com_rpc_server **out)
    COM_MUSTCHECK;

#endif
