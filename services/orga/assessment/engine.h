/*
 * engine.h - the adaptive assessment engine ("smart random", rules of
 * shared/design/assessment.md): the knowledge state of one assessment,
 * the level estimate and the choice of the next question. Pure: the
 * caller stores the answers and rebuilds an engine from them at each step
 * (orga_engine_new, then orga_engine_record for each stored answer).
 */
#ifndef ORGA_ENGINE_H
#define ORGA_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assessment/content.h"
#include "err.h"

/* The default most questions of an assessment. */
#define ORGA_ENGINE_CAP 60
/* The difficulty of the first question, when a candidate has it. */
#define ORGA_ENGINE_FIRST_DIFFICULTY 2

/*
 * A source of uniformly random 32-bit values (called a few times a step).
 * arg is the caller's; orga_engine_rng_next over a uint64_t seed is one.
 */
typedef uint32_t (*orga_engine_rand_fn)(void *arg);

typedef struct orga_engine orga_engine;

/*
 * orga_engine_rng_next: a splitmix64 generator; arg points to its
 * uint64_t state (any seed), advanced at each call. Deterministic.
 */
uint32_t orga_engine_rng_next(void *arg);

/*
 * orga_engine_new starts an assessment of the target skills targets
 * (ntargets indexes into c->skills, borrowed: a parcours' skills) over c,
 * which must outlive the engine. Nothing is known yet. Writes the engine
 * into *out (free it with orga_engine_free). COM_EINVAL when a target is
 * out of range, COM_ENOMEM.
 */
com_err orga_engine_new(const orga_content *c, const size_t *targets,
    size_t ntargets, orga_engine **out) COM_MUSTCHECK;

/* orga_engine_free frees an engine; NULL is a no-op. */
void orga_engine_free(orga_engine *e);

/* orga_engine_set_cap sets the most questions asked (default 60). */
void orga_engine_set_cap(orga_engine *e, unsigned cap);

/*
 * orga_engine_record applies one answer to question (an index into
 * c->questions): right validates its skill (direct) and every easier
 * skill of its topic still unknown (inferred); wrong, or a skip, which is
 * wrong, invalidates it and every harder one. COM_EINVAL when question is
 * out of range, COM_ECONFLICT when its skill already has an outcome
 * (nothing changes).
 */
com_err orga_engine_record(orga_engine *e, size_t question, bool right)
    COM_MUSTCHECK;

/*
 * orga_engine_next picks the next question into *question (an index into
 * c->questions), drawing from rnd(arg). COM_ENOTFOUND when the assessment
 * is over: the cap is reached or no candidate is left. Does not change
 * the state: the same engine and generator state give the same question.
 */
com_err orga_engine_next(const orga_engine *e, orga_engine_rand_fn rnd,
    void *arg, size_t *question) COM_MUSTCHECK;

/* orga_engine_estimate: the level estimated from the direct answers, one
 * of 0.5, 1.0 ... 7.5. */
double orga_engine_estimate(const orga_engine *e);

/* orga_engine_answered: how many answers were recorded. */
unsigned orga_engine_answered(const orga_engine *e);

/* orga_engine_outcomes: the state of every skill of c (c->nskills
 * entries), valid until the next record or the free. */
const orga_outcome *orga_engine_outcomes(const orga_engine *e);

/* orga_engine_direct: the outcome of skill came from an answer to one of
 * its questions (else it was inferred, or is unknown). */
bool orga_engine_direct(const orga_engine *e, size_t skill);

#endif
