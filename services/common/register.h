/*
 * register.h - announces a small daemon to orga (OrgaRequest.register)
 * from a background thread: orga may start later or never, and the
 * daemon's work never waits for it. A few tries with a growing pause,
 * then a warning.
 */
#ifndef COM_REGISTER_H
#define COM_REGISTER_H

#include "err.h"

typedef struct com_register_config {
	const char *orga_url;  /* orga's RPC URL */
	const char *service;   /* RegisterRequest.service: "mailer" */
	const char *my_url;    /* RegisterRequest.url: this daemon's */
	int tries;             /* attempts in all (>= 1) */
	long first_pause_ms;   /* pause after the first failed attempt */
	long max_pause_ms;     /* the pause doubles up to this */
	int call_ms;           /* how long one attempt waits for orga */
} com_register_config;

typedef struct com_register com_register;

/*
 * com_register_start copies cfg's strings and starts the thread. Stop
 * with com_register_stop, also once it ended. COM_ENOMEM, COM_EIO (no
 * thread).
 */
com_err com_register_start(const com_register_config *cfg,
    com_register **out) COM_MUSTCHECK;

/*
 * com_register_stop ends the attempts (waiting at most for the call in
 * flight, cfg->call_ms), joins the thread and frees r; NULL is a no-op.
 */
void com_register_stop(com_register *r);

/*
 * com_register_pause_ms is the pause before attempt (1-based, >= 2):
 * first_pause_ms doubled for each attempt after the second, at most
 * max_pause_ms. Pure.
 */
long com_register_pause_ms(const com_register_config *cfg, int attempt);

#endif
