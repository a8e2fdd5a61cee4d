/*
 * rpc.h - one protobuf request, one protobuf reply, over nng REQ/REP.
 * Clients are thread-safe (one nng context per call). A server runs a fixed
 * pool of worker threads, each with its own context, that may block (for
 * instance on PostgreSQL) without stalling nng's own threads.
 */
#ifndef COM_RPC_H
#define COM_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "buf.h"
#include "err.h"

/* The largest request or reply we accept: bounded like every buffer. */
#define COM_RPC_MAX_MSG (16u * 1024u * 1024u)

typedef struct com_rpc_client com_rpc_client;

/*
 * com_rpc_client_open dials url (ipc://, tcp://, inproc://) in the
 * background, so the peer may start later; each call waits at most
 * timeout_ms for its reply. *out is freed with com_rpc_client_close.
 */
com_err com_rpc_client_open(const char *url, int timeout_ms,
    com_rpc_client **out) COM_MUSTCHECK;

/* com_rpc_client_close closes the socket and frees c; NULL is a no-op. */
void com_rpc_client_close(com_rpc_client *c);

/*
 * com_rpc_call packs req, sends it, and unpacks the reply with reply_desc.
 * On COM_OK the caller owns *reply_out and frees it with
 * protobuf_c_message_free_unpacked(*reply_out, NULL). Returns
 * COM_ETIMEDOUT when the peer does not answer, COM_EPROTO when the reply
 * does not decode.
 */
com_err com_rpc_call(com_rpc_client *c, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc,
    ProtobufCMessage **reply_out) COM_MUSTCHECK;

/* com_rpc_call_url opens a client for one call and closes it. */
com_err com_rpc_call_url(const char *url, int timeout_ms,
    const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc,
    ProtobufCMessage **reply_out) COM_MUSTCHECK;

/*
 * com_rpc_pack appends the packed form of msg to out (which is reset
 * first). Returns COM_ETOOLARGE past out's maximum.
 */
com_err com_rpc_pack(const ProtobufCMessage *msg, com_buf *out)
    COM_MUSTCHECK;

/*
 * A handler decodes req (len bytes, valid only during the call) and packs
 * its reply into reply (already reset, max COM_RPC_MAX_MSG). Any return
 * other than COM_OK drops the request (the client times out): handlers
 * report domain errors inside their reply message instead.
 */
typedef com_err (*com_rpc_handler)(void *arg, const uint8_t *req,
    size_t len, com_buf *reply);

typedef struct com_rpc_server com_rpc_server;

/*
 * com_rpc_server_start listens on url and starts nworkers threads calling
 * handler(arg, ...). A leftover ipc:// socket file is removed first.
 * *out is stopped and freed with com_rpc_server_stop.
 */
com_err com_rpc_server_start(const char *url, int nworkers,
    com_rpc_handler handler, void *arg, com_rpc_server **out) COM_MUSTCHECK;

/*
 * com_rpc_server_stop closes the socket, waits for every worker to finish
 * its current request, and frees s. NULL is a no-op. Never call it from a
 * handler.
 */
void com_rpc_server_stop(com_rpc_server *s);

/* com_rpc_err_from_nng maps an nng error code to com_err. */
com_err com_rpc_err_from_nng(int rv);

#endif
