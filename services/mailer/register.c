/*
 * register.c - the background RegisterRequest to orga, retried with a
 * doubling pause; a missing orga only costs a warning.
 */
#include "register.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "orga.pb-c.h"
#include "rpc.h"

#define MAIL_REGISTER_TRIES 6
#define MAIL_REGISTER_FIRST_PAUSE_MS 1000L
#define MAIL_REGISTER_CALL_MS 2000

struct mail_register {
	char *orga_url;
	char *my_url;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* CLOCK_MONOTONIC */
	bool stopping;        /* guarded by lock */
};

/* mail_register_pause waits ms unless asked to stop; true to go on. */
static bool
mail_register_pause(mail_register *r, long ms)
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

/* mail_register_once sends one RegisterRequest; COM_OK when accepted. */
static com_err
mail_register_once(mail_register *r, com_rpc_client *client)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__RegisterRequest body = ORGA__REGISTER_REQUEST__INIT;
	Orga__OrgaReply *reply;
	ProtobufCMessage *msg;
	com_err rv;

	body.service = "mailer";
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
mail_register_main(void *arg)
{
	mail_register *r = arg;
	com_rpc_client *client = NULL;
	long pause = MAIL_REGISTER_FIRST_PAUSE_MS;
	com_err rv = COM_EPEER;

	for (int i = 0; i < MAIL_REGISTER_TRIES; i++) {
		if (i > 0) {
			if (!mail_register_pause(r, pause))
				goto out;
			pause *= 2;
		}
		if (client == NULL &&
		    com_rpc_client_open(r->orga_url, MAIL_REGISTER_CALL_MS,
		        &client) != COM_OK) {
			client = NULL;
			continue;
		}
		rv = mail_register_once(r, client);
		if (rv == COM_OK) {
			com_log_info("register: registered with orga");
			goto out;
		}
		com_log_debug("register: attempt %d: %s", i + 1,
		    com_strerror(rv));
	}
	com_log_warn("register: orga did not answer at %s (%s); delivering "
	             "without registration",
	    r->orga_url, com_strerror(rv));
out:
	com_rpc_client_close(client);
	return NULL;
}

com_err
mail_register_start(const char *orga_url, const char *my_url,
    mail_register **out)
{
	pthread_condattr_t attr;
	mail_register *r;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return COM_ENOMEM;
	r->orga_url = strdup(orga_url);
	r->my_url = strdup(my_url);
	if (r->orga_url == NULL || r->my_url == NULL) {
		free(r->orga_url);
		free(r->my_url);
		free(r);
		return COM_ENOMEM;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&r->thread, NULL, mail_register_main, r) != 0) {
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		free(r->orga_url);
		free(r->my_url);
		free(r);
		return COM_EIO;
	}
	*out = r;
	return COM_OK;
}

void
mail_register_stop(mail_register *r)
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
	free(r->orga_url);
	free(r->my_url);
	free(r);
}
