/*
 * engine_test.c - the adaptive engine over the test bundle's topics alpha
 * (difficulties 1-6, three questions at 2), beta (1-3: an easy topic) and
 * gamma (1, 2, 5: a gap): inference, the level estimate, the filters, the
 * reward, the stop rule and the cap, determinism and variety.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assessment/engine.h"

#define TEST_BUNDLE "services/orga/assessment/testdata/bundle"
#define TEST_MAX_TARGETS 64
#define TEST_MAX_STEPS 64

typedef struct test_targets {
	size_t v[TEST_MAX_TARGETS];
	size_t n;
} test_targets;

static int
group_setup(void **state)
{
	orga_content *c = NULL;

	if (orga_content_load_dir(TEST_BUNDLE, &c, NULL) != COM_OK)
		return -1;
	*state = c;
	return 0;
}

static int
group_teardown(void **state)
{
	orga_content_free(*state);
	return 0;
}

/* The skills of the topics named (a NULL-terminated list). */
static test_targets
targets_of(const orga_content *c, const char *const *topics)
{
	test_targets t = {.n = 0};

	for (size_t i = 0; topics[i] != NULL; i++) {
		size_t k;

		assert_int_equal(orga_content_topic_find(c, topics[i], &k),
		    COM_OK);
		for (size_t s = c->topics[k].skill;
		     s < c->topics[k].skill + c->topics[k].nskills; s++)
			t.v[t.n++] = s;
	}
	return t;
}

static orga_engine *
engine_of(const orga_content *c, const char *const *topics)
{
	test_targets t = targets_of(c, topics);
	orga_engine *e = NULL;

	assert_int_equal(orga_engine_new(c, t.v, t.n, &e), COM_OK);
	return e;
}

static size_t
question_of(const orga_content *c, const char *id)
{
	size_t q;

	assert_int_equal(orga_content_question_find(c, id, &q), COM_OK);
	return q;
}

static orga_outcome
outcome_of(const orga_content *c, const orga_engine *e, const char *skill)
{
	size_t s;

	assert_int_equal(orga_content_skill_find(c, skill, &s), COM_OK);
	return orga_engine_outcomes(e)[s];
}

static const char *
next_skill(const orga_content *c, const orga_engine *e, uint64_t seed)
{
	size_t q;

	assert_int_equal(orga_engine_next(e, orga_engine_rng_next, &seed, &q),
	    COM_OK);
	return c->skills[c->questions[q].skill].id;
}

static void
a_right_answer_validates_the_easier_skills_of_its_topic(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"alpha", "beta", NULL};
	orga_engine *e = engine_of(c, topics);

	assert_int_equal(orga_engine_record(e, question_of(c, "alpha4-a"),
	    true), COM_OK);
	assert_int_equal(outcome_of(c, e, "@alpha1"), ORGA_OUTCOME_VALIDATED);
	assert_int_equal(outcome_of(c, e, "@alpha3"), ORGA_OUTCOME_VALIDATED);
	assert_int_equal(outcome_of(c, e, "@alpha4"), ORGA_OUTCOME_VALIDATED);
	assert_int_equal(outcome_of(c, e, "@alpha5"), ORGA_OUTCOME_UNKNOWN);
	assert_int_equal(outcome_of(c, e, "@beta1"), ORGA_OUTCOME_UNKNOWN);
	assert_true(orga_engine_direct(e, c->questions[question_of(c,
	    "alpha4-a")].skill));
	assert_false(orga_engine_direct(e, c->questions[question_of(c,
	    "alpha3-a")].skill));
	/* A wrong one invalidates the harder ones, not the known ones. */
	assert_int_equal(orga_engine_record(e, question_of(c, "alpha5-a"),
	    false), COM_OK);
	assert_int_equal(outcome_of(c, e, "@alpha5"),
	    ORGA_OUTCOME_INVALIDATED);
	assert_int_equal(outcome_of(c, e, "@alpha6"),
	    ORGA_OUTCOME_INVALIDATED);
	assert_int_equal(outcome_of(c, e, "@alpha4"), ORGA_OUTCOME_VALIDATED);
	/* Known outcomes are never asked or recorded again. */
	assert_int_equal(orga_engine_record(e, question_of(c, "alpha2-b"),
	    false), COM_ECONFLICT);
	assert_int_equal(orga_engine_record(e, c->nquestions, true),
	    COM_EINVAL);
	assert_int_equal(orga_engine_answered(e), 2);
	orga_engine_free(e);
}

static void
a_wrong_answer_or_a_skip_invalidates_the_harder_skills(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"gamma", NULL};
	orga_engine *e = engine_of(c, topics);

	assert_int_equal(orga_engine_record(e, question_of(c, "gamma2-a"),
	    false), COM_OK);
	assert_int_equal(outcome_of(c, e, "@gamma1"), ORGA_OUTCOME_UNKNOWN);
	assert_int_equal(outcome_of(c, e, "@gamma2"),
	    ORGA_OUTCOME_INVALIDATED);
	assert_int_equal(outcome_of(c, e, "@gamma5"),
	    ORGA_OUTCOME_INVALIDATED);
	orga_engine_free(e);
}

/* Records answers (difficulty, right) on alpha and checks the estimate. */
static void
check_estimate(const orga_content *c, const char *const *answers,
    const bool *right, size_t n, double want)
{
	const char *const topics[] = {"alpha", "beta", "gamma", NULL};
	orga_engine *e = engine_of(c, topics);

	for (size_t i = 0; i < n; i++)
		assert_int_equal(orga_engine_record(e, question_of(c,
		    answers[i]), right[i]), COM_OK);
	assert_float_equal(orga_engine_estimate(e), want, 1e-12);
	orga_engine_free(e);
}

static void
the_level_is_the_likeliest_point_of_the_grid(void **state)
{
	const orga_content *c = *state;
	const char *const a[] = {"alpha2-a", "beta3-a", "gamma5-a"};
	const char *const b[] = {"alpha2-a", "gamma2-a", "beta2-a"};
	const char *const d[] = {"alpha2-a", "beta1-a"};
	const bool r1[] = {true}, w1[] = {false}, rr[] = {true, true};
	const bool rrw[] = {true, true, false}, rrr[] = {true, true, true};
	const bool ww[] = {false, false}, rw[] = {true, false};
	const char *const e[] = {"alpha2-a", "gamma5-a"};

	/*
	 * Only the virtual answers (0 right, 7 wrong): symmetric about 3.5.
	 * With one right at 2 the log-likelihood log s(l) + log s(7 - l) +
	 * log s(l - 2) (s the logistic) peaks between 4.5 and 5.0, nearer
	 * 4.5; one wrong at 2 pulls it down to 1.0.
	 */
	check_estimate(c, a, r1, 0, 3.5);
	check_estimate(c, a, r1, 1, 4.5);
	check_estimate(c, a, w1, 1, 1.0);
	check_estimate(c, a, rr, 2, 5.0);          /* right at 2 and 3 */
	check_estimate(c, e, rw, 2, 3.5);          /* right 2, wrong 5 */
	check_estimate(c, a, rrw, 3, 4.0);         /* 2, 3 right, 5 wrong */
	check_estimate(c, b, rrr, 3, 5.0);         /* right at 2, 2, 2 */
	check_estimate(c, d, ww, 2, 0.5);          /* wrong at 2 and 1 */
}

static void
the_first_question_is_at_difficulty_two(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"alpha", "gamma", NULL};
	orga_engine *e = engine_of(c, topics);
	bool seen_alpha = false, seen_gamma = false;

	for (uint64_t seed = 0; seed < 40; seed++) {
		const char *s = next_skill(c, e, seed);

		assert_true(strcmp(s, "@alpha2") == 0 ||
		    strcmp(s, "@gamma2") == 0);
		seen_alpha = seen_alpha || strcmp(s, "@alpha2") == 0;
		seen_gamma = seen_gamma || strcmp(s, "@gamma2") == 0;
	}
	assert_true(seen_alpha && seen_gamma);
	orga_engine_free(e);
}

static void
easy_topics_come_first_while_they_have_candidates(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"alpha", "beta", "gamma", NULL};
	orga_engine *e = engine_of(c, topics);

	assert_string_equal(next_skill(c, e, 1), "@beta2");
	assert_int_equal(orga_engine_record(e, question_of(c, "beta2-a"),
	    true), COM_OK);
	assert_string_equal(next_skill(c, e, 2), "@beta3");
	assert_int_equal(orga_engine_record(e, question_of(c, "beta3-a"),
	    false), COM_OK);
	/* beta is known: alpha and gamma now. */
	assert_true(strncmp(next_skill(c, e, 3), "@beta", 5) != 0);
	orga_engine_free(e);
}

static void
the_best_reward_wins(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"alpha", NULL};
	orga_engine *e = engine_of(c, topics);

	/*
	 * alpha2 right: alpha1-2 validated, estimate 4.5; within the topic's
	 * reach (2 + 2) are alpha3 and alpha4. Rewards at 4.5: alpha3
	 * s(1.5) x 1 + s(-1.5) x 4 = 1.547, alpha4 s(0.5) x 2 + s(-0.5) x 3
	 * = 2.378: alpha4, whatever the draw.
	 */
	assert_int_equal(orga_engine_record(e, question_of(c, "alpha2-c"),
	    true), COM_OK);
	for (uint64_t seed = 0; seed < 10; seed++)
		assert_string_equal(next_skill(c, e, seed), "@alpha4");
	orga_engine_free(e);
}

/* The easiest candidate of s's topic, as the rules define it. */
static size_t
easiest_unknown(const orga_content *c, const orga_engine *e, size_t s,
    const test_targets *t)
{
	const orga_content_topic *topic = &c->topics[c->skills[s].topic];

	for (size_t i = topic->skill; i < topic->skill + topic->nskills; i++)
		for (size_t k = 0; k < t->n; k++)
			if (t->v[k] == i &&
			    orga_engine_outcomes(e)[i] == ORGA_OUTCOME_UNKNOWN)
				return i;
	return SIZE_MAX;
}

/* Whether question q is within the allowed levels, checked from the
 * outside. */
static void
check_allowed(const orga_content *c, const orga_engine *e, size_t q,
    const test_targets *t)
{
	size_t s = c->questions[q].skill;
	const orga_content_topic *topic = &c->topics[c->skills[s].topic];
	unsigned d = c->skills[s].difficulty, base = 0;

	assert_int_equal(orga_engine_outcomes(e)[s], ORGA_OUTCOME_UNKNOWN);
	assert_true(d <= orga_engine_estimate(e) + 2);
	for (size_t i = topic->skill; i < topic->skill + topic->nskills; i++)
		if (orga_engine_outcomes(e)[i] == ORGA_OUTCOME_VALIDATED)
			base = c->skills[i].difficulty;
	assert_true(d <= base + 2 || s == easiest_unknown(c, e, s, t));
}

/*
 * Runs an assessment of topics with the answers of a student of level
 * `level` (right when the difficulty is at most it; a seeded coin when
 * level is 0), writing the questions asked into seq. Returns their count.
 */
static size_t
run(const orga_content *c, const char *const *topics, uint64_t seed,
    unsigned level, unsigned cap, size_t *seq)
{
	test_targets t = targets_of(c, topics);
	orga_engine *e = NULL;
	uint64_t coin = seed ^ 0x5eed;
	size_t n = 0, q;

	assert_int_equal(orga_engine_new(c, t.v, t.n, &e), COM_OK);
	if (cap > 0)
		orga_engine_set_cap(e, cap);
	while (orga_engine_next(e, orga_engine_rng_next, &seed, &q) ==
	    COM_OK) {
		unsigned d = c->skills[c->questions[q].skill].difficulty;
		bool right = level > 0 ? d <= level :
		    (orga_engine_rng_next(&coin) & 1) != 0;

		assert_true(n < TEST_MAX_STEPS);
		check_allowed(c, e, q, &t);
		seq[n++] = q;
		assert_int_equal(orga_engine_record(e, q, right), COM_OK);
	}
	orga_engine_free(e);
	return n;
}

static void
no_question_is_above_the_allowed_levels(void **state)
{
	const orga_content *c = *state;
	const char *const topics[] = {"alpha", "beta", "gamma", NULL};
	size_t seq[TEST_MAX_STEPS];

	for (uint64_t seed = 0; seed < 300; seed++)
		run(c, topics, seed, (unsigned)(seed % 8), 0, seq);
}

static void
the_assessment_stops_when_nothing_is_left_to_learn(void **state)
{
	const orga_content *c = *state;
	const char *const beta[] = {"beta", NULL};
	const char *const all[] = {"alpha", "beta", "gamma", NULL};
	size_t seq[TEST_MAX_STEPS];

	/* beta2 right, beta3 right: known. beta2 wrong, beta1: known. */
	assert_int_equal(run(c, beta, 7, 8, 0, seq), 2);
	assert_int_equal(run(c, beta, 7, 1, 0, seq), 2);
	/*
	 * A perfect student: beta2, beta3, alpha2, alpha4 (the rewards);
	 * then alpha5, alpha6 and gamma2 tie at 2 (estimate 6.0): alpha6,
	 * or alpha5 then alpha6; gamma2, and gamma5 across the gap. 7 or 8
	 * questions for 12 skills, and every seed stops.
	 */
	for (uint64_t seed = 0; seed < 20; seed++) {
		size_t n = run(c, all, seed, 8, 0, seq);

		assert_true(n == 7 || n == 8);
	}
}

static void
the_cap_ends_an_assessment(void **state)
{
	const orga_content *c = *state;
	const char *const all[] = {"alpha", "beta", "gamma", NULL};
	size_t seq[TEST_MAX_STEPS], q;
	orga_engine *e = engine_of(c, all);
	uint64_t seed = 1;

	assert_int_equal(run(c, all, 3, 8, 3, seq), 3);
	orga_engine_set_cap(e, 0);
	assert_int_equal(orga_engine_next(e, orga_engine_rng_next, &seed, &q),
	    COM_ENOTFOUND);
	orga_engine_free(e);
	assert_int_equal(ORGA_ENGINE_CAP, 60);
}

static void
a_seed_gives_one_sequence_and_seeds_give_several(void **state)
{
	const orga_content *c = *state;
	const char *const all[] = {"alpha", "gamma", NULL};
	size_t a[TEST_MAX_STEPS], b[TEST_MAX_STEPS];
	size_t firsts[8] = {0}, kinds = 0;

	for (uint64_t seed = 0; seed < 100; seed++) {
		size_t n = run(c, all, seed, 0, 0, a);

		assert_int_equal(run(c, all, seed, 0, 0, b), n);
		assert_memory_equal(a, b, n * sizeof(*a));
		for (size_t k = 0; k < 8; k++) {
			if (firsts[k] == a[0] + 1)
				break;
			if (firsts[k] == 0) {
				firsts[k] = a[0] + 1;
				kinds++;
				break;
			}
		}
	}
	/* alpha2-a, -b, -c and gamma2-a all come first some time. */
	assert_int_equal(kinds, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    a_right_answer_validates_the_easier_skills_of_its_topic),
		cmocka_unit_test(
		    a_wrong_answer_or_a_skip_invalidates_the_harder_skills),
		cmocka_unit_test(the_level_is_the_likeliest_point_of_the_grid),
		cmocka_unit_test(the_first_question_is_at_difficulty_two),
		cmocka_unit_test(
		    easy_topics_come_first_while_they_have_candidates),
		cmocka_unit_test(the_best_reward_wins),
		cmocka_unit_test(no_question_is_above_the_allowed_levels),
		cmocka_unit_test(
		    the_assessment_stops_when_nothing_is_left_to_learn),
		cmocka_unit_test(the_cap_ends_an_assessment),
		cmocka_unit_test(
		    a_seed_gives_one_sequence_and_seeds_give_several),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
