/*
 * register.c - the background RegisterRequest of a small daemon to orga,
 * retried with a doubling pause; a missing orga only costs a warning.
 */
#include "register.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "orga.pb-c.h"
#include "rpc.h"

struct com_register {
	com_register_config cfg; /* its strings are the copies below */
	char *orga_url;
	char *service;
	char *my_url;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* CLOCK_MONOTONIC */
	bool stopping;           /* guarded by lock */
};

long
com_register_pause_ms(const com_register_config *cfg, int attempt)
{
	long pause = cfg->first_pause_ms;

	for (int i = 2; i < attempt && pause < cfg->max_pause_ms; i++)
		pause *= 2;
	return pause < cfg->max_pause_ms ? pause : cfg->max_pause_ms;
}

/* com_register_pause waits ms unless asked to stop; true to go on. */
static bool
com_register_pause(com_register *r, long ms)
{
	struct timespec until = com_deadline(CLOCK_MONOTONIC, ms);
	bool go;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping &&
	    pthread_cond_timedwait(&r->cond, &r->lock, &until) == 0)
		;
	go = !r->stopping;
	pthread_mutex_unlock(&r->lock);
	return go;
}

/* com_register_once sends one RegisterRequest; COM_OK when accepted. */
static com_err
com_register_once(com_register *r, com_rpc_client *client)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__RegisterRequest body = ORGA__REGISTER_REQUEST__INIT;
	Orga__OrgaReply *reply;
	ProtobufCMessage *msg;
	com_err rv;

	body.service = r->service;
	body.url = r->my_url;
	body.pid = (int32_t)getpid();
	req.body_case = ORGA__ORGA_REQUEST__BODY_REGISTER;
	req.register_ = &body;
	rv = com_rpc_call(client, &req.base, &orga__orga_reply__descriptor,
	    &msg);
	if (rv != COM_OK)
		return rv;
	reply = (Orga__OrgaReply *)msg;
	if (reply->error != NULL) {
		com_log_warn("register: orga refused: %s",
		    reply->error->code != NULL ? reply->error->code : "?");
		rv = COM_EPEER;
	}
	protobuf_c_message_free_unpacked(msg, NULL);
	return rv;
}

static void *
com_register_main(void *arg)
{
	com_register *r = arg;
	com_rpc_client *client = NULL;
	com_err rv = COM_EPEER;

	for (int i = 1; i <= r->cfg.tries; i++) {
		if (i > 1 &&
		    !com_register_pause(r, com_register_pause_ms(&r->cfg, i)))
			goto out;
		if (client == NULL &&
		    com_rpc_client_open(r->orga_url, r->cfg.call_ms,
		        &client) != COM_OK) {
			client = NULL;
			continue;
		}
		rv = com_register_once(r, client);
		if (rv == COM_OK) {
			com_log_info("register: registered with orga");
			goto out;
		}
		com_log_debug("register: attempt %d: %s", i, com_strerror(rv));
	}
	com_log_warn("register: orga did not answer at %s (%s); working "
	             "without registration",
	    r->orga_url, com_strerror(rv));
out:
	com_rpc_client_close(client);
	return NULL;
}

/* com_register_free frees r's copies and r. */
static void
com_register_free(com_register *r)
{
	free(r->orga_url);
	free(r->service);
	free(r->my_url);
	free(r);
}

com_err
com_register_start(const com_register_config *cfg, com_register **out)
{
	pthread_condattr_t attr;
	com_register *r;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return COM_ENOMEM;
	r->cfg = *cfg;
	r->orga_url = strdup(cfg->orga_url);
	r->service = strdup(cfg->service);
	r->my_url = strdup(cfg->my_url);
	if (r->orga_url == NULL || r->service == NULL || r->my_url == NULL) {
		com_register_free(r);
		return COM_ENOMEM;
	}
	r->cfg.orga_url = r->orga_url;
	r->cfg.service = r->service;
	r->cfg.my_url = r->my_url;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&r->thread, NULL, com_register_main, r) != 0) {
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		com_register_free(r);
		return COM_EIO;
	}
	*out = r;
	return COM_OK;
}

void
com_register_stop(com_register *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	com_register_free(r);
}
