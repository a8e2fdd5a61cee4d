/*
 * attempt.h - a student taking the assessment of a campaign: starting it
 * ("Je commence", once per participation, with the content version of
 * the campaign kept for good), reading where it stands (the question
 * asked now, resumed on any device), answering or passing that question
 * only, once, and the review shown at the end. The engine is rebuilt from
 * the stored answers at each step; each step is one transaction with the
 * assessment locked. Every function finds the assessment by campaign and
 * user: a student reaches only their own.
 */
#ifndef ORGA_ATTEMPT_H
#define ORGA_ATTEMPT_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "assessment/answer.h"
#include "assessment/content.h"
#include "assessment/content_store.h"
#include "err.h"

#define ORGA_ATTEMPT_ID_SIZE 64
/* The answer as stored (JSON of the choices or texts), at most. */
#define ORGA_ATTEMPT_GIVEN_MAX 4000

/* An assessment as its student sees it. content and parcours are
 * borrowed from the cache (they live for the daemon's life). */
typedef struct orga_attempt {
	int64_t id;
	int64_t org_id;
	int64_t participation_id;
	int64_t version_id;
	const orga_content *content;
	const orga_content_parcours *parcours;
	bool completed;
	size_t question;          /* the current one, when not completed */
	unsigned answered;
	unsigned planned;         /* the most questions it can take */
} orga_attempt;

/*
 * orga_attempt_start starts (or finds, when started already) user_id's
 * assessment in campaign_id: a fresh random seed, the campaign's content
 * version and parcours, and its first question. COM_ENOTFOUND: no
 * participation; COM_EINVAL: the campaign has no parcours (a profile
 * collection, or an assessment campaign created without one);
 * COM_ECONFLICT: the participation is no longer STARTED and has no
 * assessment; database and cache errors.
 */
com_err orga_attempt_start(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, orga_attempt *out) COM_MUSTCHECK;

/* orga_attempt_get loads user_id's assessment in campaign_id;
 * COM_ENOTFOUND when not started. */
com_err orga_attempt_get(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, orga_attempt *out) COM_MUSTCHECK;

/*
 * orga_attempt_answer answers the current question of user_id's
 * assessment in campaign_id: question_id must be the one asked (else
 * COM_ECONFLICT, and out is the assessment as it stands: the caller shows
 * it again); a NULL a is "Je passe" (wrong). given is the answer as
 * stored (JSON, at most ORGA_ATTEMPT_GIVEN_MAX bytes). Records it, picks
 * the next question or ends the assessment (the participation then waits
 * to be sent: TO_SHARE). COM_ENOTFOUND: not started; COM_EBUSY: retry.
 */
com_err orga_attempt_answer(orga_content_cache *cache, PGconn *db,
    int64_t campaign_id, int64_t user_id, const char *question_id,
    const orga_answer *a, const char *given, orga_attempt *out)
    COM_MUSTCHECK;

/* One answered question, for the review. */
typedef struct orga_attempt_step {
	size_t question;
	bool correct;
	bool skipped;
} orga_attempt_step;

/* What is known at the end (or so far): the outcome of every skill of the
 * content (content->nskills entries) and the answers in order. */
typedef struct orga_attempt_review {
	orga_outcome *outcomes;
	orga_attempt_step *steps;
	size_t nsteps;
} orga_attempt_review;

/* orga_attempt_review_load replays a's answers into out (free with
 * _fini). */
com_err orga_attempt_review_load(PGconn *db, const orga_attempt *a,
    orga_attempt_review *out) COM_MUSTCHECK;
void orga_attempt_review_fini(orga_attempt_review *r);



/*
 * orga_attempt_user_outcomes writes into out (target->nskills entries)
 * every outcome known for user_id, whatever the campaign: each of their
 * assessments is replayed in its own content version and its outcomes are
 * carried over to target's skills of the same id, later assessments
 * overriding earlier ones. Skills never met stay UNKNOWN.
 */
com_err orga_attempt_user_outcomes(orga_content_cache *cache, PGconn *db,
    int64_t user_id, const orga_content *target, orga_outcome *out)
    COM_MUSTCHECK;

#endif
