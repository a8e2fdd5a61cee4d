/* notify.c - wakes the mailer or the importers from a background thread. */
#include "notify.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "importer.pb-c.h"
#include "log.h"
#include "mailer.pb-c.h"
#include "rpc.h"

#define ORGA_NOTIFY_TIMEOUT_MS 1000

struct orga_notify {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool mailer_pending;
	bool importer_pending;
	bool stopping;
	com_rpc_client *mailer;
	com_rpc_client *importer;
};

/* orga_notify_send sends one wake request; a failure is only logged. */
static void
orga_notify_send(com_rpc_client *c, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *reply_desc, const char *who)
{
	ProtobufCMessage *reply = NULL;
	com_err rv;

	rv = com_rpc_call(c, req, reply_desc, &reply);
	if (rv != COM_OK) {
		/* The woken daemon polls PostgreSQL anyway. */
		com_log_debug("notify: %s not woken: %s", who,
		    com_strerror(rv));
		return;
	}
	protobuf_c_message_free_unpacked(reply, NULL);
}

static void
orga_notify_wake_mailer(orga_notify *n)
{
	Orga__MailerRequest req = ORGA__MAILER_REQUEST__INIT;
	Orga__WakeRequest wake = ORGA__WAKE_REQUEST__INIT;

	req.body_case = ORGA__MAILER_REQUEST__BODY_WAKE;
	req.wake = &wake;
	orga_notify_send(n->mailer, &req.base, &orga__mailer_reply__descriptor,
	    "mailer");
}

static void
orga_notify_wake_importer(orga_notify *n)
{
	Orga__ImporterRequest req = ORGA__IMPORTER_REQUEST__INIT;
	Orga__ImportWakeRequest wake = ORGA__IMPORT_WAKE_REQUEST__INIT;

	req.body_case = ORGA__IMPORTER_REQUEST__BODY_WAKE;
	req.wake = &wake;
	orga_notify_send(n->importer, &req.base,
	    &orga__importer_reply__descriptor, "importer");
}

static void *
orga_notify_main(void *p)
{
	orga_notify *n = p;
	bool mailer, importer;

	pthread_mutex_lock(&n->lock);
	for (;;) {
		while (!n->mailer_pending && !n->importer_pending &&
		    !n->stopping)
			pthread_cond_wait(&n->cond, &n->lock);
		if (n->stopping)
			break;
		mailer = n->mailer_pending;
		importer = n->importer_pending;
		n->mailer_pending = n->importer_pending = false;
		pthread_mutex_unlock(&n->lock);
		if (mailer)
			orga_notify_wake_mailer(n);
		if (importer)
			orga_notify_wake_importer(n);
		pthread_mutex_lock(&n->lock);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

static void
orga_notify_free(orga_notify *n)
{
	com_rpc_client_close(n->mailer);
	com_rpc_client_close(n->importer);
	free(n);
}

com_err
orga_notify_start(const char *mailer_url, const char *importer_url,
    orga_notify **out)
{
	orga_notify *n;
	com_err rv;

	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return COM_ENOMEM;
	rv = com_rpc_client_open(mailer_url, ORGA_NOTIFY_TIMEOUT_MS,
	    &n->mailer);
	if (rv == COM_OK)
		rv = com_rpc_client_open(importer_url, ORGA_NOTIFY_TIMEOUT_MS,
		    &n->importer);
	if (rv != COM_OK) {
		orga_notify_free(n);
		return rv;
	}
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->cond, NULL);
	if (pthread_create(&n->thread, NULL, orga_notify_main, n) != 0) {
		pthread_cond_destroy(&n->cond);
		pthread_mutex_destroy(&n->lock);
		orga_notify_free(n);
		return COM_EIO;
	}
	*out = n;
	return COM_OK;
}

static void
orga_notify_flag(orga_notify *n, bool *flag)
{
	pthread_mutex_lock(&n->lock);
	*flag = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
}

void
orga_notify_mailer(orga_notify *n)
{
	if (n != NULL)
		orga_notify_flag(n, &n->mailer_pending);
}

void
orga_notify_importer(orga_notify *n)
{
	if (n != NULL)
		orga_notify_flag(n, &n->importer_pending);
}

void
orga_notify_stop(orga_notify *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->lock);
	n->stopping = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
	orga_notify_free(n);
}
