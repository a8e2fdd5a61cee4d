/*
 * notify.h - wakes the mailer or the importers after a commit.
 * Fire and forget from a background thread: a lost wake-up costs one poll
 * interval of the woken daemon, never a mail.
 */
#ifndef ORGA_NOTIFY_H
#define ORGA_NOTIFY_H

#include "err.h"

typedef struct orga_notify orga_notify;

/* orga_notify_start starts the thread that dials both daemons. */
com_err orga_notify_start(const char *mailer_url, const char *importer_url,
    orga_notify **out) COM_MUSTCHECK;

/* orga_notify_mailer asks for a wake-up; never blocks. NULL is a no-op. */
void orga_notify_mailer(orga_notify *n);

/* orga_notify_importer: the same for the importers (a job is queued). */
void orga_notify_importer(orga_notify *n);

/* orga_notify_stop stops the thread and frees n; NULL is a no-op. */
void orga_notify_stop(orga_notify *n);

#endif
