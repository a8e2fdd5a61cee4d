/*
 * sharing.h - "J'envoie mes résultats": a finished participation becomes
 * visible to its school with its results computed once (assessment: the
 * parcours' mastery, competences and topics; profile collection: the 16
 * competence levels built from every outcome the student has), and the
 * student's current profile.
 */
#ifndef ORGA_SHARING_H
#define ORGA_SHARING_H

#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "assessment/content_store.h"
#include "campaigns/linking.h"
#include "err.h"

/*
 * orga_sharing_share shares user_id's participation in campaign_id: in
 * one transaction, with the participation locked, stores its results
 * (participation_results) and makes it SHARED. Errors as orga_join_share:
 * COM_ENOTFOUND (no participation), COM_ECONFLICT (already SHARED, or
 * still STARTED: out says which); database and cache errors.
 */
com_err orga_sharing_share(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, orga_join_participation *out)
    COM_MUSTCHECK;

/*
 * orga_sharing_profile builds user_id's profile (orga_scoring_profile over
 * the newest content version; every level 0 when nothing is published)
 * into *out (the caller owns it).
 */
com_err orga_sharing_profile(orga_content_cache *cache, PGconn *db,
    int64_t user_id, json_t **out) COM_MUSTCHECK;

#endif
