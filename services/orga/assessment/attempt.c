/*
 * attempt.c - a student's assessment: start, resume, answer, review. The
 * knowledge state is never stored: it is the replay of the answers.
 */
#include "assessment/attempt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "assessment/engine.h"
#include "db.h"
#include "log.h"

/* Each step draws from the seed moved by the number of answers, so the
 * question of a step never depends on when it is asked. */
#define ATTEMPT_STEP 0x9E3779B97F4A7C15ull

#define ATTEMPT_COLUMNS                                                    \
	"a.id, a.organization_id, a.participation_id, a.content_version_id, " \
	"a.parcours_id, a.seed, a.state, coalesce(a.current_question, ''), "  \
	"a.answered "

static int64_t
attempt_int(const PGresult *res, int row, int col)
{
	int64_t v;

	return com_db_i64(res, row, col, &v) == COM_OK ? v : 0;
}

/* attempt_bind finds version, parcours and question of a into a. */
static com_err
attempt_bind(orga_content_cache *cache, PGconn *db, const char *parcours_id,
    const char *question_id, orga_attempt *a)
{
	size_t pi;
	com_err rv;

	rv = orga_content_version_get(cache, db, a->version_id, &a->content);
	if (rv != COM_OK)
		return rv;
	rv = orga_content_parcours_find(a->content, parcours_id, &pi);
	if (rv != COM_OK) {
		com_log_err("assessment %lld: parcours gone from its version",
		    (long long)a->id);
		return COM_EINVAL;
	}
	a->parcours = &a->content->parcours[pi];
	a->planned = a->parcours->nskills < ORGA_ENGINE_CAP
	    ? (unsigned)a->parcours->nskills
	    : ORGA_ENGINE_CAP;
	if (!a->completed &&
	    orga_content_question_find(a->content, question_id, &a->question) !=
	        COM_OK) {
		com_log_err("assessment %lld: current question gone",
		    (long long)a->id);
		return COM_EINVAL;
	}
	return COM_OK;
}

/* attempt_read reads the row of ATTEMPT_COLUMNS into out. */
static com_err
attempt_read(orga_content_cache *cache, PGconn *db, const PGresult *res,
    uint64_t *seed, orga_attempt *out)
{
	memset(out, 0, sizeof(*out));
	out->id = attempt_int(res, 0, 0);
	out->org_id = attempt_int(res, 0, 1);
	out->participation_id = attempt_int(res, 0, 2);
	out->version_id = attempt_int(res, 0, 3);
	if (seed != NULL)
		*seed = (uint64_t)attempt_int(res, 0, 5);
	out->completed = strcmp(com_db_value(res, 0, 6), "COMPLETED") == 0;
	out->answered = (unsigned)attempt_int(res, 0, 8);
	return attempt_bind(cache, db, com_db_value(res, 0, 4),
	    com_db_value(res, 0, 7), out);
}

static com_err
attempt_select(PGconn *db, int64_t campaign_id, int64_t user_id, bool lock,
    PGresult **res)
{
	com_db_id camp = com_db_id_of(campaign_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {camp.s, user.s};

	return com_db_one(db,
	    lock ? "SELECT " ATTEMPT_COLUMNS
	           "FROM assessments a JOIN participations p "
	           "  ON p.organization_id = a.organization_id "
	           " AND p.id = a.participation_id "
	           "WHERE p.campaign_id = $1 AND p.user_id = $2 "
	           "FOR UPDATE OF a"
	         : "SELECT " ATTEMPT_COLUMNS
	           "FROM assessments a JOIN participations p "
	           "  ON p.organization_id = a.organization_id "
	           " AND p.id = a.participation_id "
	           "WHERE p.campaign_id = $1 AND p.user_id = $2",
	    2, params, res);
}

com_err
orga_attempt_get(orga_content_cache *cache, PGconn *db, int64_t campaign_id,
    int64_t user_id, orga_attempt *out)
{
	PGresult *res;
	com_err rv;

	rv = attempt_select(db, campaign_id, user_id, false, &res);
	if (rv != COM_OK)
		return rv;
	rv = attempt_read(cache, db, res, NULL, out);
	PQclear(res);
	return rv;
}

/*
 * attempt_replay builds the engine of a from its stored answers; when
 * steps is not NULL, also writes them (malloc'd, *nsteps entries).
 */
static com_err
attempt_replay(PGconn *db, const orga_attempt *a, orga_engine **out,
    orga_attempt_step **steps, size_t *nsteps)
{
	com_db_id org = com_db_id_of(a->org_id);
	com_db_id id = com_db_id_of(a->id);
	const char *params[2] = {org.s, id.s};
	orga_attempt_step *list = NULL;
	orga_engine *e = NULL;
	PGresult *res = NULL;
	int n;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT question_id, correct, skipped FROM assessment_answers "
	    "WHERE organization_id = $1 AND assessment_id = $2 ORDER BY seq",
	    2, params, &res);
	if (rv != COM_OK)
		goto out;
	rv = orga_engine_new(a->content, a->parcours->skills,
	    a->parcours->nskills, &e);
	if (rv != COM_OK)
		goto out;
	n = PQntuples(res);
	if (steps != NULL) {
		list = calloc(n > 0 ? (size_t)n : 1, sizeof(*list));
		if (list == NULL) {
			rv = COM_ENOMEM;
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		size_t q;
		bool right = com_db_bool(res, i, 1);

		if (orga_content_question_find(a->content,
		        com_db_value(res, i, 0), &q) != COM_OK) {
			rv = COM_EINVAL;
			goto out;
		}
		rv = orga_engine_record(e, q, right);
		if (rv == COM_ECONFLICT)
			rv = COM_OK;  /* known already: changes nothing */
		if (rv != COM_OK)
			goto out;
		if (list != NULL) {
			list[i].question = q;
			list[i].correct = right;
			list[i].skipped = com_db_bool(res, i, 2);
		}
	}
	*out = e;
	e = NULL;
	if (steps != NULL) {
		*steps = list;
		*nsteps = (size_t)n;
		list = NULL;
	}
out:
	free(list);
	orga_engine_free(e);
	PQclear(res);
	return rv;
}

/* attempt_next draws the question after `answered` answers. */
static com_err
attempt_next(const orga_engine *e, uint64_t seed, unsigned answered,
    size_t *question)
{
	uint64_t state = seed + (uint64_t)answered * ATTEMPT_STEP;

	return orga_engine_next(e, orga_engine_rng_next, &state, question);
}

/* The participation and its campaign's parcours, locked. */
typedef struct attempt_join {
	int64_t org_id, participation_id, version_id;
	char status[12];
	char parcours[48];
} attempt_join;

static com_err
attempt_participation(PGconn *db, int64_t campaign_id, int64_t user_id,
    attempt_join *out)
{
	com_db_id camp = com_db_id_of(campaign_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {camp.s, user.s};
	PGresult *res;
	com_err rv;

	rv = com_db_one(db,
	    "SELECT p.organization_id, p.id, p.status, "
	    "  coalesce(c.parcours_id, ''), coalesce(c.content_version_id, 0) "
	    "FROM participations p JOIN campaigns c ON c.id = p.campaign_id "
	    "WHERE p.campaign_id = $1 AND p.user_id = $2 FOR UPDATE OF p",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	out->org_id = attempt_int(res, 0, 0);
	out->participation_id = attempt_int(res, 0, 1);
	snprintf(out->status, sizeof(out->status), "%s",
	    com_db_value(res, 0, 2));
	snprintf(out->parcours, sizeof(out->parcours), "%s",
	    com_db_value(res, 0, 3));
	out->version_id = attempt_int(res, 0, 4);
	PQclear(res);
	return COM_OK;
}

/* attempt_create inserts the assessment of j and fills out. */
static com_err
attempt_create(orga_content_cache *cache, PGconn *db, int64_t user_id,
    const attempt_join *j, orga_attempt *out)
{
	com_db_id org = com_db_id_of(j->org_id);
	com_db_id part = com_db_id_of(j->participation_id);
	com_db_id user = com_db_id_of(user_id);
	com_db_id ver = com_db_id_of(j->version_id);
	char seed_s[24];
	const char *params[7] = {org.s, part.s, user.s, ver.s, j->parcours,
	    seed_s, NULL};
	orga_engine *e = NULL;
	PGresult *res = NULL;
	uint64_t seed;
	size_t first;
	com_err rv;

	memset(out, 0, sizeof(*out));
	out->org_id = j->org_id;
	out->participation_id = j->participation_id;
	out->version_id = j->version_id;
	out->completed = true;  /* no current question to look up yet */
	rv = attempt_bind(cache, db, j->parcours, NULL, out);
	if (rv != COM_OK)
		return rv;
	out->completed = false;
	randombytes_buf(&seed, sizeof(seed));
	seed &= 0x7fffffffffffffffull;  /* a bigint */
	snprintf(seed_s, sizeof(seed_s), "%llu", (unsigned long long)seed);
	rv = orga_engine_new(out->content, out->parcours->skills,
	    out->parcours->nskills, &e);
	if (rv != COM_OK)
		goto out;
	rv = attempt_next(e, seed, 0, &first);
	if (rv == COM_ENOTFOUND)
		rv = COM_EINVAL;  /* the loader refuses empty parcours */
	if (rv != COM_OK)
		goto out;
	params[6] = out->content->questions[first].id;
	rv = com_db_one(db,
	    "INSERT INTO assessments (organization_id, participation_id, "
	    "  user_id, content_version_id, parcours_id, seed, "
	    "  current_question, asked_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id",
	    7, params, &res);
	if (rv != COM_OK)
		goto out;
	out->id = attempt_int(res, 0, 0);
	out->question = first;
out:
	PQclear(res);
	orga_engine_free(e);
	return rv;
}

com_err
orga_attempt_start(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, orga_attempt *out)
{
	attempt_join j;
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = attempt_participation(db, campaign_id, user_id, &j);
	if (rv != COM_OK)
		goto out;
	rv = attempt_select(db, campaign_id, user_id, false, &res);
	if (rv == COM_OK) {
		rv = attempt_read(cache, db, res, NULL, out);
		goto out;
	}
	if (rv != COM_ENOTFOUND)
		goto out;
	if (j.parcours[0] == '\0')
		rv = COM_EINVAL;
	else if (strcmp(j.status, "STARTED") != 0)
		rv = COM_ECONFLICT;
	else
		rv = attempt_create(cache, db, user_id, &j, out);
out:
	PQclear(res);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	else
		com_db_rollback(db);
	return rv;
}

/* attempt_store writes the answer and moves a to its next question. */
static com_err
attempt_store(PGconn *db, orga_attempt *a, uint64_t seed, orga_engine *e,
    bool correct, bool skipped, const char *given)
{
	const orga_content_question *q = &a->content->questions[a->question];
	com_db_id org = com_db_id_of(a->org_id);
	com_db_id id = com_db_id_of(a->id);
	com_db_id part = com_db_id_of(a->participation_id);
	char seq[16];
	const char *ins[7] = {org.s, id.s, seq, q->id,
	    a->content->skills[q->skill].id, correct ? "t" : "f",
	    skipped ? "t" : "f"};
	const char *params[8] = {ins[0], ins[1], ins[2], ins[3], ins[4],
	    ins[5], ins[6], given};
	size_t next;
	com_err rv;

	snprintf(seq, sizeof(seq), "%u", a->answered + 1);
	rv = com_db_exec(db,
	    "INSERT INTO assessment_answers (organization_id, assessment_id, "
	    "  seq, question_id, skill_id, correct, skipped, answer) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	    8, params, NULL);
	if (rv != COM_OK)
		return rv;
	rv = orga_engine_record(e, a->question, correct);
	if (rv != COM_OK && rv != COM_ECONFLICT)
		return rv;
	a->answered++;
	rv = attempt_next(e, seed, a->answered, &next);
	if (rv == COM_ENOTFOUND) {
		const char *done[2] = {org.s, id.s};

		a->completed = true;
		rv = com_db_exec(db,
		    "UPDATE assessments SET state = 'COMPLETED', "
		    "  current_question = NULL, asked_at = NULL, "
		    "  answered = answered + 1, completed_at = now() "
		    "WHERE organization_id = $1 AND id = $2",
		    2, done, NULL);
		done[1] = part.s;
		if (rv == COM_OK)
			rv = com_db_exec(db,
			    "UPDATE participations SET status = 'TO_SHARE' "
			    "WHERE organization_id = $1 AND id = $2 "
			    "  AND status = 'STARTED'",
			    2, done, NULL);
		return rv;
	}
	if (rv != COM_OK)
		return rv;
	a->question = next;
	{
		const char *move[3] = {org.s, id.s,
		    a->content->questions[next].id};

		return com_db_exec(db,
		    "UPDATE assessments SET current_question = $3, "
		    "  asked_at = now(), answered = answered + 1 "
		    "WHERE organization_id = $1 AND id = $2",
		    3, move, NULL);
	}
}

com_err
orga_attempt_answer(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, const char *question_id,
    const orga_answer *ans, const char *given, orga_attempt *out)
{
	orga_engine *e = NULL;
	PGresult *res = NULL;
	uint64_t seed;
	bool correct;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = attempt_select(db, campaign_id, user_id, true, &res);
	if (rv != COM_OK)
		goto out;
	rv = attempt_read(cache, db, res, &seed, out);
	if (rv != COM_OK)
		goto out;
	if (out->completed ||
	    strcmp(out->content->questions[out->question].id, question_id) !=
	        0) {
		rv = COM_ECONFLICT;
		goto out;
	}
	correct = ans != NULL &&
	    orga_answer_check(&out->content->questions[out->question], ans);
	rv = attempt_replay(db, out, &e, NULL, NULL);
	if (rv == COM_OK)
		rv = attempt_store(db, out, seed, e, correct, ans == NULL, given);
out:
	orga_engine_free(e);
	PQclear(res);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	else
		com_db_rollback(db);
	return rv;
}

com_err
orga_attempt_review_load(PGconn *db, const orga_attempt *a,
    orga_attempt_review *out)
{
	orga_engine *e = NULL;
	com_err rv;

	memset(out, 0, sizeof(*out));
	rv = attempt_replay(db, a, &e, &out->steps, &out->nsteps);
	if (rv != COM_OK)
		return rv;
	out->outcomes = malloc(a->content->nskills * sizeof(*out->outcomes) +
	    1);
	if (out->outcomes == NULL) {
		rv = COM_ENOMEM;
		orga_attempt_review_fini(out);
	} else {
		memcpy(out->outcomes, orga_engine_outcomes(e),
		    a->content->nskills * sizeof(*out->outcomes));
	}
	orga_engine_free(e);
	return rv;
}

void
orga_attempt_review_fini(orga_attempt_review *r)
{
	free(r->outcomes);
	free(r->steps);
	r->outcomes = NULL;
	r->steps = NULL;
	r->nsteps = 0;
}

/* attempt_carry copies the known outcomes of a (its replayed engine e)
 * onto target's skills of the same id. */
static void
attempt_carry(const orga_attempt *a, const orga_engine *e,
    const orga_content *target, orga_outcome *out)
{
	const orga_outcome *o = orga_engine_outcomes(e);

	for (size_t s = 0; s < a->content->nskills; s++) {
		size_t t;

		if (o[s] == ORGA_OUTCOME_UNKNOWN)
			continue;
		if (a->content == target)
			t = s;
		else if (orga_content_skill_find(target, a->content->skills[s].id,
		             &t) != COM_OK)
			continue;
		out[t] = o[s];
	}
}

com_err
orga_attempt_user_outcomes(orga_content_cache *cache, PGconn *db,
    int64_t user_id, const orga_content *target, orga_outcome *out)
{
	com_db_id user = com_db_id_of(user_id);
	const char *params[1] = {user.s};
	PGresult *res = NULL;
	com_err rv;

	memset(out, 0, target->nskills * sizeof(*out));
	rv = com_db_exec(db,
	    "SELECT a.id, a.organization_id, a.participation_id, "
	    "  a.content_version_id, a.parcours_id "
	    "FROM assessments a WHERE a.user_id = $1 AND a.answered > 0 "
	    "ORDER BY a.created_at, a.id",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	for (int i = 0; i < PQntuples(res) && rv == COM_OK; i++) {
		orga_engine *e = NULL;
		orga_attempt a;

		memset(&a, 0, sizeof(a));
		a.id = attempt_int(res, i, 0);
		a.org_id = attempt_int(res, i, 1);
		a.participation_id = attempt_int(res, i, 2);
		a.version_id = attempt_int(res, i, 3);
		a.completed = true;
		rv = attempt_bind(cache, db, com_db_value(res, i, 4), NULL, &a);
		if (rv == COM_OK)
			rv = attempt_replay(db, &a, &e, NULL, NULL);
		if (rv == COM_OK)
			attempt_carry(&a, e, target, out);
		orga_engine_free(e);
	}
	PQclear(res);
	return rv;
}
