/*
 * engine.c - knowledge state, maximum-likelihood level and the smart
 * random choice of the next question (filters, then the best reward).
 */
#include "assessment/engine.h"

#include <math.h>
#include <stdlib.h>

/* The estimate's grid: 0.5, 1.0 ... 7.5. */
#define ENG_GRID_STEP 0.5
#define ENG_GRID_POINTS 15
/* The two virtual answers: difficulty 0 right, 7 wrong. */
#define ENG_VIRTUAL_RIGHT 0.0
#define ENG_VIRTUAL_WRONG 7.0
/* Candidates above estimate + 2 are dropped, and above the topic's
 * highest validated skill + 2. */
#define ENG_REACH 2
/* Topics whose hardest target is at most 3 come first. */
#define ENG_EASY_TOPIC 3
/* Rewards this close are equal. */
#define ENG_EPSILON 1e-9

struct orga_engine {
	const orga_content *c;
	orga_outcome *outcome;      /* one a skill */
	bool *direct;               /* one a skill */
	bool *target;               /* one a skill */
	unsigned *hardest;          /* one a topic: its hardest target */
	size_t *cands;              /* scratch of next(): ntargets */
	double *rewards;            /* scratch of next(): ntargets */
	size_t ntargets;
	unsigned right[ORGA_CONTENT_DIFFICULTY_MAX + 1];
	unsigned wrong[ORGA_CONTENT_DIFFICULTY_MAX + 1];
	unsigned answered;
	unsigned cap;
};

uint32_t
orga_engine_rng_next(void *arg)
{
	uint64_t *state = arg;
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* A uniform draw in [0, n), n > 0 (Lemire's multiply; the bias of 2^-32
 * is nothing next to the handful of choices). */
static size_t
eng_draw(orga_engine_rand_fn rnd, void *arg, size_t n)
{
	return (size_t)(((uint64_t)rnd(arg) * n) >> 32);
}

com_err
orga_engine_new(const orga_content *c, const size_t *targets,
    size_t ntargets, orga_engine **out)
{
	orga_engine *e = NULL;
	com_err rv = COM_OK;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return COM_ENOMEM;
	e->c = c;
	e->cap = ORGA_ENGINE_CAP;
	e->ntargets = ntargets;
	e->outcome = calloc(c->nskills + 1, sizeof(*e->outcome));
	e->direct = calloc(c->nskills + 1, sizeof(*e->direct));
	e->target = calloc(c->nskills + 1, sizeof(*e->target));
	e->hardest = calloc(c->ntopics + 1, sizeof(*e->hardest));
	e->cands = calloc(ntargets + 1, sizeof(*e->cands));
	e->rewards = calloc(ntargets + 1, sizeof(*e->rewards));
	if (e->outcome == NULL || e->direct == NULL || e->target == NULL ||
	    e->hardest == NULL || e->cands == NULL || e->rewards == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < ntargets; i++) {
		const orga_content_skill *s;

		if (targets[i] >= c->nskills) {
			rv = COM_EINVAL;
			goto out;
		}
		s = &c->skills[targets[i]];
		e->target[targets[i]] = true;
		if (s->difficulty > e->hardest[s->topic])
			e->hardest[s->topic] = s->difficulty;
	}
	*out = e;
	e = NULL;
out:
	orga_engine_free(e);
	return rv;
}

void
orga_engine_free(orga_engine *e)
{
	if (e == NULL)
		return;
	free(e->outcome);
	free(e->direct);
	free(e->target);
	free(e->hardest);
	free(e->cands);
	free(e->rewards);
	free(e);
}

void
orga_engine_set_cap(orga_engine *e, unsigned cap)
{
	e->cap = cap;
}

com_err
orga_engine_record(orga_engine *e, size_t question, bool right)
{
	const orga_content *c = e->c;
	const orga_content_skill *s;
	const orga_content_topic *t;
	size_t skill;

	if (question >= c->nquestions)
		return COM_EINVAL;
	skill = c->questions[question].skill;
	if (e->outcome[skill] != ORGA_OUTCOME_UNKNOWN)
		return COM_ECONFLICT;
	s = &c->skills[skill];
	t = &c->topics[s->topic];
	for (size_t i = t->skill; i < t->skill + t->nskills; i++) {
		unsigned d = c->skills[i].difficulty;

		if (e->outcome[i] != ORGA_OUTCOME_UNKNOWN)
			continue;
		if (right && d <= s->difficulty)
			e->outcome[i] = ORGA_OUTCOME_VALIDATED;
		else if (!right && d >= s->difficulty)
			e->outcome[i] = ORGA_OUTCOME_INVALIDATED;
	}
	e->direct[skill] = true;
	if (right)
		e->right[s->difficulty]++;
	else
		e->wrong[s->difficulty]++;
	e->answered++;
	return COM_OK;
}

/* P(right | level, difficulty), the logistic curve of the rules. */
static double
eng_p(double level, double difficulty)
{
	return 1.0 / (1.0 + exp(difficulty - level));
}

double
orga_engine_estimate(const orga_engine *e)
{
	double best = ENG_GRID_STEP, best_ll = -INFINITY;

	for (int g = 1; g <= ENG_GRID_POINTS; g++) {
		double level = g * ENG_GRID_STEP;
		double ll = log(eng_p(level, ENG_VIRTUAL_RIGHT)) +
		    log(1.0 - eng_p(level, ENG_VIRTUAL_WRONG));

		for (unsigned d = 1; d <= ORGA_CONTENT_DIFFICULTY_MAX; d++) {
			double p = eng_p(level, d);

			if (e->right[d] > 0)
				ll += e->right[d] * log(p);
			if (e->wrong[d] > 0)
				ll += e->wrong[d] * log(1.0 - p);
		}
		/* Ties keep the lower level. */
		if (ll > best_ll + ENG_EPSILON) {
			best_ll = ll;
			best = level;
		}
	}
	return best;
}

unsigned
orga_engine_answered(const orga_engine *e)
{
	return e->answered;
}

const orga_outcome *
orga_engine_outcomes(const orga_engine *e)
{
	return e->outcome;
}

bool
orga_engine_direct(const orga_engine *e, size_t skill)
{
	return skill < e->c->nskills && e->direct[skill];
}

/* A target skill with a question and no outcome yet. */
static bool
eng_candidate(const orga_engine *e, size_t s)
{
	return e->target[s] && e->outcome[s] == ORGA_OUTCOME_UNKNOWN &&
	    e->c->skills[s].nquestions > 0;
}

/*
 * Whether candidate s is within reach of its topic: at most two levels
 * above the topic's highest validated skill (0 when none), or the
 * topic's easiest candidate, so that a gap in a topic's difficulties
 * never hides its harder skills.
 */
static bool
eng_within_topic(const orga_engine *e, size_t s)
{
	const orga_content *c = e->c;
	const orga_content_topic *t = &c->topics[c->skills[s].topic];
	unsigned base = 0;
	size_t easiest = SIZE_MAX;

	for (size_t i = t->skill; i < t->skill + t->nskills; i++) {
		if (e->outcome[i] == ORGA_OUTCOME_VALIDATED)
			base = c->skills[i].difficulty;
		if (easiest == SIZE_MAX && eng_candidate(e, i))
			easiest = i;
	}
	return c->skills[s].difficulty <= base + ENG_REACH || s == easiest;
}

/* Keeps the candidates for which keep() holds, unless none does (then
 * all stay) when soft. Returns the new count. */
static size_t
eng_filter(const orga_engine *e, size_t n, bool soft,
    bool (*keep)(const orga_engine *, size_t, double), double level)
{
	size_t k = 0;

	if (soft) {
		size_t i;

		for (i = 0; i < n && !keep(e, e->cands[i], level); i++)
			;
		if (i == n)
			return n;
	}
	for (size_t i = 0; i < n; i++)
		if (keep(e, e->cands[i], level))
			e->cands[k++] = e->cands[i];
	return k;
}

static bool
eng_keep_first(const orga_engine *e, size_t s, double level)
{
	(void)level;
	return e->c->skills[s].difficulty == ORGA_ENGINE_FIRST_DIFFICULTY;
}

static bool
eng_keep_reach(const orga_engine *e, size_t s, double level)
{
	return e->c->skills[s].difficulty <= level + ENG_REACH &&
	    eng_within_topic(e, s);
}

static bool
eng_keep_easy(const orga_engine *e, size_t s, double level)
{
	(void)level;
	return e->hardest[e->c->skills[s].topic] <= ENG_EASY_TOPIC;
}

/* P × (candidates of the topic at most as hard: they would be validated)
 * + (1 − P) × (those at least as hard: invalidated); s counts in both. */
static double
eng_reward(const orga_engine *e, size_t s, double level)
{
	const orga_content *c = e->c;
	const orga_content_skill *sk = &c->skills[s];
	const orga_content_topic *t = &c->topics[sk->topic];
	unsigned easier = 0, harder = 0;
	double p = eng_p(level, sk->difficulty);

	for (size_t i = t->skill; i < t->skill + t->nskills; i++) {
		if (!eng_candidate(e, i))
			continue;
		if (c->skills[i].difficulty <= sk->difficulty)
			easier++;
		if (c->skills[i].difficulty >= sk->difficulty)
			harder++;
	}
	return p * easier + (1.0 - p) * harder;
}

com_err
orga_engine_next(const orga_engine *e, orga_engine_rand_fn rnd, void *arg,
    size_t *question)
{
	const orga_content *c = e->c;
	double level, best = 0;
	size_t n = 0, nbest = 0, pick;
	const orga_content_skill *s;

	if (e->answered >= e->cap)
		return COM_ENOTFOUND;
	for (size_t i = 0; i < c->nskills && n < e->ntargets; i++)
		if (eng_candidate(e, i))
			e->cands[n++] = i;
	level = orga_engine_estimate(e);
	if (e->answered == 0)
		n = eng_filter(e, n, true, eng_keep_first, level);
	n = eng_filter(e, n, false, eng_keep_reach, level);
	n = eng_filter(e, n, true, eng_keep_easy, level);
	for (size_t i = 0; i < n; i++) {
		/* The first question: any of them, for variety. */
		e->rewards[i] = e->answered == 0 ? 1.0 :
		    eng_reward(e, e->cands[i], level);
		if (e->rewards[i] > best)
			best = e->rewards[i];
	}
	if (n == 0 || best <= 0)
		return COM_ENOTFOUND;
	for (size_t i = 0; i < n; i++)
		if (e->rewards[i] >= best - ENG_EPSILON)
			e->cands[nbest++] = e->cands[i];
	pick = e->cands[eng_draw(rnd, arg, nbest)];
	s = &c->skills[pick];
	*question = s->question + eng_draw(rnd, arg, s->nquestions);
	return COM_OK;
}
