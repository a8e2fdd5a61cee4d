/*
 * terms.h - versioned terms of use (CGU). Each acceptance is a row with
 * its version and date; publishing a new version makes every user accept
 * again.
 */
#ifndef ORGA_TERMS_H
#define ORGA_TERMS_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

/*
 * orga_terms_current loads the latest version; *body is malloc'd (caller
 * frees). COM_ENOTFOUND when none was ever published (migrations publish
 * a first one, so this means a broken database).
 */
com_err orga_terms_current(PGconn *db, int *version, char **body)
    COM_MUSTCHECK;

/* orga_terms_publish stores a new version; *version is its number. */
com_err orga_terms_publish(PGconn *db, const char *body, int *version)
    COM_MUSTCHECK;

/*
 * orga_terms_accept records that user_id accepts version, which must be the
 * current one (COM_ECONFLICT otherwise: the page is stale). Idempotent.
 */
com_err orga_terms_accept(PGconn *db, int64_t user_id, int version)
    COM_MUSTCHECK;

/* orga_terms_must_accept: true when the user has not accepted the latest. */
com_err orga_terms_must_accept(PGconn *db, int64_t user_id, bool *out)
    COM_MUSTCHECK;

#endif
