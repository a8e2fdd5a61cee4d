/* rpc.c - protobuf-c messages over nng REQ/REP. */
#include "rpc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "deadline.h"
#include "log.h"

struct com_rpc_client {
	nng_socket sock;
	int timeout_ms;
};

typedef enum com_rpc_worker_state {
	COM_RPC_RECV,
	COM_RPC_HANDLE,
	COM_RPC_SEND,
	COM_RPC_DONE,
} com_rpc_worker_state;

typedef struct com_rpc_worker {
	com_rpc_server *server;
	pthread_t thread;
	nng_ctx ctx;
	nng_aio *aio;
	nng_msg *msg; /* the message in flight; NULL once nng owns it */
	com_rpc_worker_state state;
	com_buf reply;
	int started;
} com_rpc_worker;

/*
 * nng 1.5 (Debian 12) has a listener that stops handing new connections
 * to the socket once a peer hangs up during the SP handshake (nng issue
 * 1518, fixed in 1.6): one `connect(); close();` and no client could
 * reach the daemon again. The server's watch thread dials it every
 * COM_RPC_WATCH_MS and, when that connection is not attached within
 * COM_RPC_PROBE_MS, restarts the listener; the clients it stranded redial
 * and their requests are sent again.
 */
#define COM_RPC_WATCH_MS 1000
#define COM_RPC_PROBE_MS 2000

/* Pipes attached to a socket so far, counted by nng's pipe callback. */
typedef struct com_rpc_count {
	com_rpc_server *server;  /* whose lock and cond guard n */
	uint64_t n;
} com_rpc_count;

struct com_rpc_server {
	nng_socket sock;
	nng_listener listener;
	char *url;
	com_rpc_handler handler;
	void *arg;
	int nworkers;
	com_rpc_worker *workers;
	pthread_t watch;
	bool watching;
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* a pipe attached, or stopping */
	com_rpc_count attached;  /* pipes attached so far */
	com_rpc_count probes;    /* the watch's own ends, attached so far */
	bool stopping;
};

com_err
com_rpc_err_from_nng(int rv)
{
	switch (rv) {
	case 0:
		return COM_OK;
	case NNG_ENOMEM:
		return COM_ENOMEM;
	case NNG_ETIMEDOUT:
		return COM_ETIMEDOUT;
	case NNG_EINVAL:
	case NNG_EADDRINVAL:
	case NNG_ENOTSUP: /* an unknown transport: foo:// */
		return COM_EINVAL;
	case NNG_EMSGSIZE:
		return COM_ETOOLARGE;
	case NNG_ECONNREFUSED:
	case NNG_ECLOSED:
	case NNG_ECONNRESET:
	case NNG_ECONNSHUT:
		return COM_EPEER;
	default:
		return COM_EIO;
	}
}

com_err
com_rpc_pack(const ProtobufCMessage *msg, com_buf *out)
{
	size_t size = protobuf_c_message_get_packed_size(msg);
	com_err rv;

	char *dst;

	com_buf_reset(out);
	rv = com_buf_extend(out, size, &dst);
	if (rv != COM_OK)
		return rv;
	protobuf_c_message_pack(msg, (uint8_t *)dst);
	return COM_OK;
}

com_err
com_rpc_client_open(const char *url, int timeout_ms, com_rpc_client **out)
{
	com_rpc_client *c;
	int rv;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return COM_ENOMEM;
	c->timeout_ms = timeout_ms;
	rv = nng_req0_open(&c->sock);
	if (rv != 0) {
		free(c);
		return com_rpc_err_from_nng(rv);
	}
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, COM_RPC_MAX_MSG);
	/* Short redial so a daemon restarted by its supervisor is found fast. */
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMINT, 20);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMAXT, 500);
	rv = nng_dial(c->sock, url, NULL, NNG_FLAG_NONBLOCK);
	if (rv != 0) {
		com_log_warn("rpc: cannot dial %s: %s", url, nng_strerror(rv));
		nng_close(c->sock);
		free(c);
		return com_rpc_err_from_nng(rv);
	}
	*out = c;
	return COM_OK;
}

void
com_rpc_client_close(com_rpc_client *c)
{
	if (c == NULL)
		return;
	nng_close(c->sock);
	free(c);
}

com_err
com_rpc_call(com_rpc_client *c, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc,
    ProtobufCMessage **reply_out)
{
	com_err rv = COM_OK;
	nng_ctx ctx;
	nng_aio *aio = NULL;
	nng_msg *msg = NULL;
	ProtobufCMessage *reply;
	size_t size;
	int nrv;

	nrv = nng_ctx_open(&ctx, c->sock);
	if (nrv != 0)
		return com_rpc_err_from_nng(nrv);
	nrv = nng_aio_alloc(&aio, NULL, NULL);
	if (nrv != 0) {
		rv = com_rpc_err_from_nng(nrv);
		goto out;
	}
	nng_aio_set_timeout(aio, c->timeout_ms);
	size = protobuf_c_message_get_packed_size(req);
	nrv = nng_msg_alloc(&msg, size);
	if (nrv != 0) {
		rv = com_rpc_err_from_nng(nrv);
		goto out;
	}
	protobuf_c_message_pack(req, nng_msg_body(msg));
	nng_aio_set_msg(aio, msg);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	nrv = nng_aio_result(aio);
	if (nrv != 0) {
		/* msg is still ours when the send failed. */
		rv = com_rpc_err_from_nng(nrv);
		goto out;
	}
	msg = NULL;
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	nrv = nng_aio_result(aio);
	if (nrv != 0) {
		rv = com_rpc_err_from_nng(nrv);
		goto out;
	}
	msg = nng_aio_get_msg(aio);
	reply = protobuf_c_message_unpack(reply_desc, NULL,
	    nng_msg_len(msg), nng_msg_body(msg));
	if (reply == NULL) {
		rv = COM_EPROTO;
		goto out;
	}
	*reply_out = reply;
out:
	nng_msg_free(msg);
	nng_aio_free(aio);
	nng_ctx_close(ctx);
	return rv;
}

com_err
com_rpc_call_url(const char *url, int timeout_ms,
    const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc,
    ProtobufCMessage **reply_out)
{
	com_rpc_client *c;
	com_err rv;

	rv = com_rpc_client_open(url, timeout_ms, &c);
	if (rv != COM_OK)
		return rv;
	rv = com_rpc_call(c, req, reply_desc, reply_out);
	com_rpc_client_close(c);
	return rv;
}

/*
 * One worker: RECV -> HANDLE -> SEND -> RECV ... until the socket closes.
 * Each step waits on the worker's own aio, so the handler may block.
 */
static void *
com_rpc_worker_main(void *p)
{
	com_rpc_worker *w = p;
	com_rpc_server *s = w->server;
	nng_msg *reply_msg;
	com_err rv;
	int nrv;

	w->state = COM_RPC_RECV;
	while (w->state != COM_RPC_DONE) {
		switch (w->state) {
		case COM_RPC_RECV:
			nng_ctx_recv(w->ctx, w->aio);
			nng_aio_wait(w->aio);
			nrv = nng_aio_result(w->aio);
			if (nrv == NNG_ECLOSED) {
				w->state = COM_RPC_DONE;
				break;
			}
			if (nrv != 0) {
				com_log_warn("rpc: receive failed: %s",
				    nng_strerror(nrv));
				break;
			}
			w->msg = nng_aio_get_msg(w->aio);
			w->state = COM_RPC_HANDLE;
			break;
		case COM_RPC_HANDLE:
			com_buf_reset(&w->reply);
			rv = s->handler(s->arg, nng_msg_body(w->msg),
			    nng_msg_len(w->msg), &w->reply);
			nng_msg_free(w->msg);
			w->msg = NULL;
			if (rv != COM_OK) {
				com_log_warn("rpc: request dropped: %s",
				    com_strerror(rv));
				w->state = COM_RPC_RECV;
				break;
			}
			nrv = nng_msg_alloc(&reply_msg, w->reply.len);
			if (nrv != 0) {
				w->state = COM_RPC_RECV;
				break;
			}
			if (w->reply.len > 0)
				memcpy(nng_msg_body(reply_msg), w->reply.data,
				    w->reply.len);
			w->msg = reply_msg;
			w->state = COM_RPC_SEND;
			break;
		case COM_RPC_SEND:
			nng_aio_set_msg(w->aio, w->msg);
			nng_ctx_send(w->ctx, w->aio);
			nng_aio_wait(w->aio);
			nrv = nng_aio_result(w->aio);
			if (nrv != 0)
				nng_msg_free(w->msg);
			w->msg = NULL;
			w->state = nrv == NNG_ECLOSED ? COM_RPC_DONE
			                              : COM_RPC_RECV;
			break;
		case COM_RPC_DONE:
			break;
		}
	}
	return NULL;
}

static void
com_rpc_unlink_ipc(const char *url)
{
	if (strncmp(url, "ipc://", 6) == 0)
		unlink(url + 6);
}

static void
com_rpc_count_pipe(nng_pipe pipe, nng_pipe_ev ev, void *arg)
{
	com_rpc_count *c = arg;

	(void)pipe;
	(void)ev;
	pthread_mutex_lock(&c->server->lock);
	c->n++;
	pthread_cond_broadcast(&c->server->cond);
	pthread_mutex_unlock(&c->server->lock);
}

/* Under s->lock: waits ms, less when s stops. */
static void
com_rpc_watch_wait(com_rpc_server *s, int ms)
{
	struct timespec until = com_deadline(CLOCK_REALTIME, ms);

	while (!s->stopping &&
	    pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
		;
}

/* com_rpc_listen (re)starts s's listener; an ipc path left behind by a
 * crash or by the listener it replaces is removed first. */
static int
com_rpc_listen(com_rpc_server *s)
{
	com_rpc_unlink_ipc(s->url);
	return nng_listen(s->sock, s->url, &s->listener, 0);
}

/*
 * com_rpc_probe: does a connection to s get attached to its socket? The
 * probe is closed once both of its ends are attached (even when s stops
 * meanwhile): hanging up sooner is what sticks nng 1.5's listener, and
 * nng 1.5 does not free a connection closed halfway (some 300 bytes
 * each, every second).
 */
static bool
com_rpc_probe(com_rpc_server *s)
{
	struct timespec until;
	nng_socket probe;
	uint64_t seen, probes_seen;
	bool attached;

	if (nng_req0_open(&probe) != 0)
		return true; /* cannot tell: look again later */
	nng_pipe_notify(probe, NNG_PIPE_EV_ADD_POST, com_rpc_count_pipe,
	    &s->probes);
	pthread_mutex_lock(&s->lock);
	seen = s->attached.n;
	probes_seen = s->probes.n;
	pthread_mutex_unlock(&s->lock);
	if (nng_dial(probe, s->url, NULL, NNG_FLAG_NONBLOCK) != 0) {
		nng_close(probe);
		return true;
	}
	until = com_deadline(CLOCK_REALTIME, COM_RPC_PROBE_MS);
	pthread_mutex_lock(&s->lock);
	while ((s->attached.n == seen || s->probes.n == probes_seen) &&
	    pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
		;
	attached = s->attached.n != seen;
	pthread_mutex_unlock(&s->lock);
	nng_close(probe);
	return attached;
}

static void *
com_rpc_watch_main(void *arg)
{
	com_rpc_server *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		int nrv;

		com_rpc_watch_wait(s, COM_RPC_WATCH_MS);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		if (com_rpc_probe(s)) {
			pthread_mutex_lock(&s->lock);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		com_log_warn("rpc: %s no longer takes connections (nng 1.5 "
		    "after a peer hung up while connecting): listening again",
		    s->url);
		nng_listener_close(s->listener);
		nrv = com_rpc_listen(s);
		if (nrv != 0)
			com_log_err("rpc: cannot listen again on %s: %s",
			    s->url, nng_strerror(nrv));
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

com_err
com_rpc_server_start(const char *url, int nworkers, com_rpc_handler handler,
    void *arg, com_rpc_server **out)
{
	com_rpc_server *s;
	com_err rv = COM_OK;
	int nrv;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return COM_ENOMEM;
	s->handler = handler;
	s->arg = arg;
	s->workers = calloc((size_t)nworkers, sizeof(*s->workers));
	s->url = strdup(url);
	if (s->workers == NULL || s->url == NULL) {
		free(s->workers);
		free(s->url);
		free(s);
		return COM_ENOMEM;
	}
	nrv = nng_rep0_open(&s->sock);
	if (nrv != 0) {
		free(s->workers);
		free(s->url);
		free(s);
		return com_rpc_err_from_nng(nrv);
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->nworkers = nworkers;
	nng_socket_set_size(s->sock, NNG_OPT_RECVMAXSZ, COM_RPC_MAX_MSG);
	s->attached.server = s;
	s->probes.server = s;
	nng_pipe_notify(s->sock, NNG_PIPE_EV_ADD_POST, com_rpc_count_pipe,
	    &s->attached);
	nrv = com_rpc_listen(s);
	if (nrv != 0) {
		com_log_err("rpc: cannot listen on %s: %s", url,
		    nng_strerror(nrv));
		rv = com_rpc_err_from_nng(nrv);
		goto out;
	}
	for (int i = 0; i < nworkers; i++) {
		com_rpc_worker *w = &s->workers[i];

		w->server = s;
		com_buf_init(&w->reply, COM_RPC_MAX_MSG);
		nrv = nng_aio_alloc(&w->aio, NULL, NULL);
		if (nrv == 0)
			nrv = nng_ctx_open(&w->ctx, s->sock);
		if (nrv != 0) {
			rv = com_rpc_err_from_nng(nrv);
			goto out;
		}
		if (pthread_create(&w->thread, NULL, com_rpc_worker_main, w)
		    != 0) {
			rv = COM_EIO;
			goto out;
		}
		w->started = 1;
	}
	if (pthread_create(&s->watch, NULL, com_rpc_watch_main, s) != 0) {
		rv = COM_EIO;
		goto out;
	}
	s->watching = true;
out:
	if (rv != COM_OK) {
		com_rpc_server_stop(s);
		return rv;
	}
	*out = s;
	return COM_OK;
}

void
com_rpc_server_stop(com_rpc_server *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (s->watching)
		pthread_join(s->watch, NULL);
	nng_close(s->sock);
	for (int i = 0; i < s->nworkers; i++) {
		com_rpc_worker *w = &s->workers[i];

		if (w->started)
			pthread_join(w->thread, NULL);
		if (w->aio != NULL)
			nng_aio_free(w->aio);
		com_buf_fini(&w->reply);
	}
	free(s->workers);
	free(s->url);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
