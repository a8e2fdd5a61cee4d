/*
 * service.c - a small daemon's health-and-wake RPC endpoint (see
 * service.h). The daemon's own messages are read and written through
 * protobuf-c's descriptors, by field name.
 */
#include "service.h"

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "common.pb-c.h"
#include "db.h"
#include "log.h"
#include "rpc.h"

/* A failed health connection is tried again after this long. */
#define COM_SERVICE_RETRY_S 2
/* Room for a reply message on the stack (its descriptor's size). */
#define COM_SERVICE_REPLY_MAX 256

struct com_service {
	com_service_config cfg;
	const ProtobufCFieldDescriptor *req_health, *req_wake;
	const ProtobufCFieldDescriptor *rep_error, *rep_health, *rep_wake;
	ProtobufCMessage *wake_reply;  /* the empty wake reply (owned) */
	com_rpc_server *server;
	pthread_mutex_t lock;          /* guards db and db_failed_at */
	PGconn *db;                    /* health pings; NULL when away */
	time_t db_failed_at;
};

/* com_service_field: desc's message field name, of type want (NULL: any
 * message), in a oneof when oneof; NULL when there is none such. */
static const ProtobufCFieldDescriptor *
com_service_field(const ProtobufCMessageDescriptor *desc, const char *name,
    const ProtobufCMessageDescriptor *want, bool oneof)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(desc, name);

	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	if (want != NULL && f->descriptor != want)
		return NULL;
	if (oneof != ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0))
		return NULL;
	return f;
}

com_err
com_service_new(const com_service_config *cfg, com_service **out)
{
	const ProtobufCMessageDescriptor *wake_desc;
	com_service *s;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return COM_ENOMEM;
	s->cfg = *cfg;
	s->req_health = com_service_field(cfg->request, "health",
	    &orga__health_request__descriptor, true);
	s->req_wake = com_service_field(cfg->request, "wake", NULL, true);
	s->rep_error = com_service_field(cfg->reply, "error",
	    &orga__rpc_error__descriptor, false);
	s->rep_health = com_service_field(cfg->reply, "health",
	    &orga__health_reply__descriptor, true);
	s->rep_wake = com_service_field(cfg->reply, "wake", NULL, true);
	if (s->req_health == NULL || s->req_wake == NULL ||
	    s->rep_error == NULL || s->rep_health == NULL ||
	    s->rep_wake == NULL ||
	    s->req_health->quantifier_offset !=
	        s->req_wake->quantifier_offset ||
	    s->rep_health->quantifier_offset !=
	        s->rep_wake->quantifier_offset ||
	    cfg->reply->sizeof_message > COM_SERVICE_REPLY_MAX) {
		free(s);
		return COM_EINVAL;
	}
	wake_desc = s->rep_wake->descriptor;
	s->wake_reply = calloc(1, wake_desc->sizeof_message);
	if (s->wake_reply == NULL) {
		free(s);
		return COM_ENOMEM;
	}
	protobuf_c_message_init(wake_desc, s->wake_reply);
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return COM_OK;
}

com_err
com_service_start(com_service *s)
{
	return com_rpc_server_start(s->cfg.url, s->cfg.workers,
	    com_service_handle, s, &s->server);
}

bool
com_service_database_ok(com_service *s)
{
	bool ok;

	pthread_mutex_lock(&s->lock);
	if (s->db != NULL && !com_db_ping(s->db)) {
		PQfinish(s->db);
		s->db = NULL;
	}
	if (s->db == NULL &&
	    time(NULL) - s->db_failed_at >= COM_SERVICE_RETRY_S) {
		if (com_db_connect(s->cfg.conninfo, 0, &s->db) != COM_OK) {
			s->db = NULL;
			s->db_failed_at = time(NULL);
		}
	}
	ok = s->db != NULL;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* com_service_case: which field of msg's oneof is set (its number). */
static uint32_t
com_service_case(const ProtobufCMessage *msg,
    const ProtobufCFieldDescriptor *f)
{
	uint32_t which;

	memcpy(&which, (const char *)msg + f->quantifier_offset,
	    sizeof(which));
	return which;
}

/* com_service_set sets the message field f of msg to v (in its oneof
 * when f is one). */
static void
com_service_set(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
    const ProtobufCMessage *v)
{
	memcpy((char *)msg + f->offset, &v, sizeof(v));
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		uint32_t id = f->id;

		memcpy((char *)msg + f->quantifier_offset, &id, sizeof(id));
	}
}

com_err
com_service_handle(void *arg, const uint8_t *data, size_t len,
    com_buf *reply_buf)
{
	com_service *s = arg;
	union {
		ProtobufCMessage base;
		max_align_t align;
		unsigned char room[COM_SERVICE_REPLY_MAX];
	} reply;
	Orga__HealthReply health = ORGA__HEALTH_REPLY__INIT;
	Orga__RpcError error = ORGA__RPC_ERROR__INIT;
	ProtobufCMessage *req;
	uint32_t which;
	com_err rv;

	protobuf_c_message_init(s->cfg.reply, &reply);
	req = protobuf_c_message_unpack(s->cfg.request, NULL, len, data);
	if (req == NULL) {
		com_log_warn("rpc: undecodable request (%zu bytes)", len);
		error.code = "EPROTO";
		error.message = (char *)s->cfg.undecodable_message;
		com_service_set(&reply.base, s->rep_error, &error.base);
		return com_rpc_pack(&reply.base, reply_buf);
	}
	which = com_service_case(req, s->req_health);
	if (which == s->req_health->id) {
		health.service = (char *)s->cfg.name;
		health.version = (char *)s->cfg.version;
		health.pid = (int32_t)getpid();
		health.database_ok = com_service_database_ok(s);
		com_service_set(&reply.base, s->rep_health, &health.base);
	} else if (which == s->req_wake->id) {
		s->cfg.wake(s->cfg.arg);
		com_log_debug("rpc: wake");
		com_service_set(&reply.base, s->rep_wake, s->wake_reply);
	} else {
		error.code = "EINVAL";
		error.message = (char *)s->cfg.unknown_message;
		com_service_set(&reply.base, s->rep_error, &error.base);
	}
	rv = com_rpc_pack(&reply.base, reply_buf);
	protobuf_c_message_free_unpacked(req, NULL);
	return rv;
}

void
com_service_free(com_service *s)
{
	if (s == NULL)
		return;
	com_rpc_server_stop(s->server);
	if (s->db != NULL)
		PQfinish(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s->wake_reply);
	free(s);
}
