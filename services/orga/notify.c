/* notify.c - wakes the mailer from a background thread after a commit. */
#include "notify.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "log.h"
#include "mailer.pb-c.h"
#include "rpc.h"

#define ORGA_NOTIFY_TIMEOUT_MS 1000

struct orga_notify {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool mailer_pending;
	bool stopping;
	com_rpc_client *mailer;
};

static void
orga_notify_wake_mailer(orga_notify *n)
{
	Orga__MailerRequest req = ORGA__MAILER_REQUEST__INIT;
	Orga__WakeRequest wake = ORGA__WAKE_REQUEST__INIT;
	ProtobufCMessage *reply = NULL;
	com_err rv;

	req.body_case = ORGA__MAILER_REQUEST__BODY_WAKE;
	req.wake = &wake;
	rv = com_rpc_call(n->mailer, &req.base, &orga__mailer_reply__descriptor,
	    &reply);
	if (rv != COM_OK) {
		/* The mailer polls the outbox anyway. */
		com_log_debug("notify: mailer not woken: %s", com_strerror(rv));
		return;
	}
	protobuf_c_message_free_unpacked(reply, NULL);
}

static void *
orga_notify_main(void *p)
{
	orga_notify *n = p;

	pthread_mutex_lock(&n->lock);
	for (;;) {
		while (!n->mailer_pending && !n->stopping)
			pthread_cond_wait(&n->cond, &n->lock);
		if (n->stopping)
			break;
		n->mailer_pending = false;
		pthread_mutex_unlock(&n->lock);
		orga_notify_wake_mailer(n);
		pthread_mutex_lock(&n->lock);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

com_err
orga_notify_start(const char *mailer_url, orga_notify **out)
{
	orga_notify *n;
	com_err rv;

	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return COM_ENOMEM;
	rv = com_rpc_client_open(mailer_url, ORGA_NOTIFY_TIMEOUT_MS,
	    &n->mailer);
	if (rv != COM_OK) {
		free(n);
		return rv;
	}
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->cond, NULL);
	if (pthread_create(&n->thread, NULL, orga_notify_main, n) != 0) {
		com_rpc_client_close(n->mailer);
		pthread_cond_destroy(&n->cond);
		pthread_mutex_destroy(&n->lock);
		free(n);
		return COM_EIO;
	}
	*out = n;
	return COM_OK;
}

void
orga_notify_mailer(orga_notify *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->lock);
	n->mailer_pending = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
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
	com_rpc_client_close(n->mailer);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
	free(n);
}
