/*
 * register.h - announces the mailer to orga (OrgaRequest.register) from
 * a background thread: orga may start later or never, and delivery never
 * waits for it.
 */
#ifndef MAIL_REGISTER_H
#define MAIL_REGISTER_H

#include "err.h"

typedef struct mail_register mail_register;

/*
 * mail_register_start copies orga_url and my_url and starts the thread,
 * which tries a few times with a growing pause (about half a minute in
 * all), then logs a warning and ends. Stop with mail_register_stop.
 */
com_err mail_register_start(const char *orga_url, const char *my_url,
    mail_register **out) COM_MUSTCHECK;

/*
 * mail_register_stop ends the attempts (waiting at most for the call in
 * flight, about 2 s), joins the thread and frees r; NULL is a no-op.
 */
void mail_register_stop(mail_register *r);

#endif
