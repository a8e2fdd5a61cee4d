/* sharing.c - sharing a participation with its results computed. */
#include "assessment/sharing.h"

#include <stdlib.h>
#include <string.h>

#include "assessment/attempt.h"
#include "assessment/scoring.h"
#include "db.h"
#include "log.h"

/* sharing_empty: the 16 competences at level 0 (nothing published). */
static json_t *
sharing_empty(void)
{
	json_t *list = json_array();

	for (int i = 0; list != NULL && i < ORGA_CRCN_COUNT; i++) {
		if (json_array_append_new(list,
		        json_pack("{s:s,s:s,s:s,s:i,s:i}", "code",
		            orga_crcn[i].code, "name", orga_crcn[i].name, "area",
		            orga_crcn[i].area, "level", 0, "pixScore", 0)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	if (list == NULL)
		return NULL;
	return json_pack("{s:o,s:i,s:i}", "competences", list, "evaluated", 0,
	    "pixScore", 0);
}

com_err
orga_sharing_profile(orga_content_cache *cache, PGconn *db, int64_t user_id,
    json_t **out)
{
	const orga_content *c;
	orga_outcome *o;
	int64_t latest;
	json_t *j;
	com_err rv;

	rv = orga_content_latest(db, &latest);
	if (rv == COM_ENOTFOUND) {
		j = sharing_empty();
		if (j == NULL)
			return COM_ENOMEM;
		*out = j;
		return COM_OK;
	}
	if (rv == COM_OK)
		rv = orga_content_version_get(cache, db, latest, &c);
	if (rv != COM_OK)
		return rv;
	o = calloc(c->nskills + 1, sizeof(*o));
	if (o == NULL)
		return COM_ENOMEM;
	rv = orga_attempt_user_outcomes(cache, db, user_id, c, o);
	if (rv == COM_OK) {
		j = orga_scoring_profile(c, o);
		if (j == NULL)
			rv = COM_ENOMEM;
		else
			*out = j;
	}
	free(o);
	return rv;
}

/* sharing_results computes what participation shares into *out:
 * {"mastery"?, "validated", "targets", "competences", "topics"}. */
static com_err
sharing_results(orga_content_cache *cache, PGconn *db, int64_t campaign_id,
    int64_t user_id, json_t **out)
{
	orga_attempt_review review;
	orga_attempt a;
	json_t *j, *profile;
	com_err rv;

	rv = orga_attempt_get(cache, db, campaign_id, user_id, &a);
	if (rv == COM_OK) {
		rv = orga_attempt_review_load(db, &a, &review);
		if (rv != COM_OK)
			return rv;
		j = orga_scoring_parcours(a.content, a.parcours, review.outcomes);
		orga_attempt_review_fini(&review);
		if (j == NULL)
			return COM_ENOMEM;
		*out = j;
		return COM_OK;
	}
	if (rv != COM_ENOTFOUND)
		return rv;
	/* A profile collection: the profile, no mastery. */
	rv = orga_sharing_profile(cache, db, user_id, &profile);
	if (rv != COM_OK)
		return rv;
	j = json_pack("{s:n,s:O,s:i,s:O,s:[]}", "mastery", "validated",
	    json_object_get(profile, "evaluated"), "targets", 0, "competences",
	    json_object_get(profile, "competences"), "topics");
	json_decref(profile);
	if (j == NULL)
		return COM_ENOMEM;
	*out = j;
	return COM_OK;
}

/* sharing_store inserts the results row of the locked participation. */
static com_err
sharing_store(PGconn *db, const char *org, const char *part,
    const char *camp, const json_t *r)
{
	char *comps = json_dumps(json_object_get(r, "competences"), JSON_COMPACT);
	char *topics = json_dumps(json_object_get(r, "topics"), JSON_COMPACT);
	const json_t *m = json_object_get(r, "mastery");
	char mastery[16], validated[16], targets[16];
	const char *params[8] = {org, part, camp,
	    json_is_integer(m) ? mastery : NULL, validated, targets, comps,
	    topics};
	com_err rv;

	snprintf(mastery, sizeof(mastery), "%lld",
	    (long long)json_integer_value(m));
	snprintf(validated, sizeof(validated), "%lld",
	    (long long)json_integer_value(json_object_get(r, "validated")));
	snprintf(targets, sizeof(targets), "%lld",
	    (long long)json_integer_value(json_object_get(r, "targets")));
	if (comps == NULL || topics == NULL)
		rv = COM_ENOMEM;
	else
		rv = com_db_exec(db,
		    "INSERT INTO participation_results (organization_id, "
		    "  participation_id, campaign_id, mastery, validated, "
		    "  targets, competences, topics) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		    8, params, NULL);
	free(comps);
	free(topics);
	return rv;
}

com_err
orga_sharing_share(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, orga_join_participation *out)
{
	com_db_id camp = com_db_id_of(campaign_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {camp.s, user.s};
	PGresult *res = NULL;
	json_t *results = NULL;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = com_db_one(db,
	    "SELECT organization_id, id, status FROM participations "
	    "WHERE campaign_id = $1 AND user_id = $2 FOR UPDATE",
	    2, params, &res);
	if (rv != COM_OK)
		goto out;
	if (strcmp(com_db_value(res, 0, 2), "TO_SHARE") != 0) {
		com_db_rollback(db);
		PQclear(res);
		rv = orga_join_participation_get(db, campaign_id, user_id, out);
		return rv == COM_OK ? COM_ECONFLICT : rv;
	}
	rv = sharing_results(cache, db, campaign_id, user_id, &results);
	if (rv == COM_OK)
		rv = sharing_store(db, com_db_value(res, 0, 0),
		    com_db_value(res, 0, 1), camp.s, results);
	if (rv == COM_OK)
		rv = orga_join_share(db, campaign_id, user_id, out);
out:
	json_decref(results);
	PQclear(res);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	else
		com_db_rollback(db);
	return rv;
}
