/*
 * parcours.h - the parcours (target profiles) staff choose from when they
 * create an assessment campaign: those of the newest content version, a
 * campaign's own (in the version it was created with), and their JSON.
 */
#ifndef ORGA_PARCOURS_H
#define ORGA_PARCOURS_H

#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "assessment/content.h"
#include "assessment/content_store.h"
#include "err.h"

/*
 * orga_parcours_latest: the newest content version (*version, *c).
 * COM_ENOTFOUND when nothing is published; database and cache errors.
 */
com_err orga_parcours_latest(orga_content_cache *cache, PGconn *db,
    int64_t *version, const orga_content **c) COM_MUSTCHECK;

/*
 * orga_parcours_resolve finds parcours id in the newest version and
 * writes that version into *version. COM_ENOTFOUND when it is not there
 * (or nothing is published).
 */
com_err orga_parcours_resolve(orga_content_cache *cache, PGconn *db,
    const char *id, int64_t *version) COM_MUSTCHECK;

/* orga_parcours_of: parcours id of version (borrowed from the cache);
 * COM_ENOTFOUND when the version has no such parcours. */
com_err orga_parcours_of(orga_content_cache *cache, PGconn *db,
    int64_t version, const char *id, const orga_content **c,
    const orga_content_parcours **p) COM_MUSTCHECK;

/* orga_parcours_json: {"id","name","description","skills",
 * "competences":[{"code","name"}]}; NULL on ENOMEM. */
json_t *orga_parcours_json(const orga_content *c,
    const orga_content_parcours *p);

#endif
