/*
 * service.h - the RPC endpoint of a small daemon (the mailer, the
 * importer): health, answered with a ping of the database on a
 * connection of its own, and wake, handed to the daemon. Each daemon
 * keeps its own request and reply messages (mailer.proto, importer.proto);
 * they only have to share this layout, checked at start:
 *
 *   Request { oneof body { HealthRequest health; <empty> wake; } }
 *   Reply   { RpcError error; oneof body { HealthReply health;
 *             <empty> wake; } }
 */
#ifndef COM_SERVICE_H
#define COM_SERVICE_H

#include <stdbool.h>

#include <protobuf-c/protobuf-c.h>

#include "buf.h"
#include "err.h"

typedef struct com_service_config {
	const char *name;     /* HealthReply.service: "mailer" */
	const char *version;  /* HealthReply.version */
	const char *url;      /* where to listen */
	int workers;          /* RPC worker threads */
	const char *conninfo; /* the health connection's database */
	const ProtobufCMessageDescriptor *request;
	const ProtobufCMessageDescriptor *reply;
	/* The French messages of the errors answering an undecodable and
	 * an unknown request. */
	const char *undecodable_message;
	const char *unknown_message;
	/* Called on an RPC worker for each wake request; must not block. */
	void (*wake)(void *arg);
	void *arg;
} com_service_config;

typedef struct com_service com_service;

/*
 * com_service_new checks cfg's messages and prepares a service without
 * listening (com_service_start listens). Every string and cfg->arg are
 * borrowed and must outlive the service. COM_EINVAL when the messages do
 * not have the layout above, COM_ENOMEM. Free with com_service_free.
 */
com_err com_service_new(const com_service_config *cfg, com_service **out)
    COM_MUSTCHECK;

/*
 * com_service_start listens on cfg->url with cfg->workers threads.
 * COM_EIO (or the nng error) when it cannot. Once only.
 */
com_err com_service_start(com_service *s) COM_MUSTCHECK;

/*
 * com_service_handle answers one packed request (data, len) into
 * reply_buf: the handler com_service_start gives the RPC server, also
 * callable alone (tests). An undecodable request gets an EPROTO error,
 * an unknown one EINVAL. Thread-safe; may wait for the database (health).
 */
com_err com_service_handle(void *s, const uint8_t *data, size_t len,
    com_buf *reply_buf) COM_MUSTCHECK;

/*
 * com_service_database_ok pings the database on the service's own
 * connection, opening it when needed (at most every 2 s after a failed
 * attempt, so an outage costs health a quick false). Thread-safe.
 */
bool com_service_database_ok(com_service *s);

/*
 * com_service_free stops listening (waiting for the requests in
 * flight), closes the health connection and frees s. NULL is a no-op.
 * Never from a wake callback.
 */
void com_service_free(com_service *s);

#endif
