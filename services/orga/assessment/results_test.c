/*
 * results_test.c - mastery rounding, and points and levels of a profile
 * over the test bundle: in 1.1 (alpha 1-6, beta 1-3) levels 1-3 have two
 * skills (4 points each) and 4-6 one (8 points); in 1.3 three skills
 * share level 1 (8/3 points each).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assessment/results.h"

#define TEST_BUNDLE "services/orga/assessment/testdata/bundle"

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

static void
mastery_rounds_to_the_nearest_percent(void **state)
{
	(void)state;
	assert_int_equal(orga_results_mastery(0, 0), 0);
	assert_int_equal(orga_results_mastery(0, 7), 0);
	assert_int_equal(orga_results_mastery(1, 3), 33);
	assert_int_equal(orga_results_mastery(2, 3), 67);
	assert_int_equal(orga_results_mastery(1, 8), 13);     /* 12.5 */
	assert_int_equal(orga_results_mastery(3, 8), 38);     /* 37.5 */
	assert_int_equal(orga_results_mastery(4, 1000), 0);   /* 0.4 */
	assert_int_equal(orga_results_mastery(5, 1000), 1);   /* 0.5 */
	assert_int_equal(orga_results_mastery(995, 1000), 100);
	assert_int_equal(orga_results_mastery(994, 1000), 99);
	assert_int_equal(orga_results_mastery(3, 3), 100);
}

/* Marks the skills named validated in outcomes. */
static void
validate(const orga_content *c, orga_outcome *outcomes,
    const char *const *skills)
{
	for (size_t i = 0; skills[i] != NULL; i++) {
		size_t s;

		assert_int_equal(orga_content_skill_find(c, skills[i], &s),
		    COM_OK);
		outcomes[s] = ORGA_OUTCOME_VALIDATED;
	}
}

static void
a_parcours_mastery_counts_its_validated_targets(void **state)
{
	const orga_content *c = *state;
	const char *const v[] = {"@alpha1", "@alpha2", "@beta1", "@gamma1",
		NULL};
	orga_outcome outcomes[64] = {ORGA_OUTCOME_UNKNOWN};
	size_t p;

	assert_true(c->nskills <= 64);
	validate(c, outcomes, v);
	/* parcours-3e: alpha 1-5 and beta 1-3, 8 skills; 3 validated. */
	assert_int_equal(orga_content_parcours_find(c, "parcours-3e", &p),
	    COM_OK);
	assert_int_equal(c->parcours[p].nskills, 8);
	assert_int_equal(orga_results_parcours_mastery(c, &c->parcours[p],
	    outcomes), 38);
}

static const orga_results_competence *
competence(const orga_results_competence *profile, const orga_content *c,
    const char *code)
{
	size_t k;

	assert_int_equal(orga_content_competence_find(c, code, &k), COM_OK);
	assert_int_equal(profile[k].competence, k);
	return &profile[k];
}

static void
points_are_shared_by_the_skills_of_a_level(void **state)
{
	const orga_content *c = *state;
	const char *const v[] = {"@alpha1", "@alpha2", "@alpha3", "@alpha4",
		"@beta1", "@gamma1", "@t131", "@delta1", NULL};
	orga_outcome outcomes[64] = {ORGA_OUTCOME_UNKNOWN};
	orga_results_competence profile[ORGA_CONTENT_COMPETENCES];
	size_t s;

	validate(c, outcomes, v);
	orga_results_profile(c, outcomes, ORGA_RESULTS_LEVEL_CAP, profile);
	/* 4 + 4 + 4 + 8 + 4 = 24: level 3. */
	assert_float_equal(competence(profile, c, "1.1")->points, 24, 1e-9);
	assert_int_equal(competence(profile, c, "1.1")->level, 3);
	/* gamma1 alone at its level: 8, level 1 exactly. */
	assert_float_equal(competence(profile, c, "1.2")->points, 8, 1e-9);
	assert_int_equal(competence(profile, c, "1.2")->level, 1);
	/* Two thirds of level 1: 16/3, level 0. */
	assert_float_equal(competence(profile, c, "1.3")->points, 16.0 / 3,
	    1e-9);
	assert_int_equal(competence(profile, c, "1.3")->level, 0);
	assert_float_equal(competence(profile, c, "5.2")->points, 0, 1e-9);
	assert_int_equal(competence(profile, c, "5.2")->level, 0);
	assert_int_equal(orga_content_skill_find(c, "@delta1", &s), COM_OK);
	assert_float_equal(orga_results_skill_points(c, s), 8.0 / 3, 1e-9);
	assert_int_equal(orga_content_skill_find(c, "@alpha5", &s), COM_OK);
	assert_float_equal(orga_results_skill_points(c, s), 8, 1e-9);
}

static void
levels_are_whole_eights_capped(void **state)
{
	const orga_content *c = *state;
	const char *const v[] = {"@alpha1", "@alpha2", "@alpha3", "@alpha4",
		"@alpha5", "@alpha6", "@beta1", "@beta2", "@beta3", "@t131",
		"@delta1", "@epsilon1", NULL};
	orga_outcome outcomes[64] = {ORGA_OUTCOME_UNKNOWN};
	orga_results_competence profile[ORGA_CONTENT_COMPETENCES];

	validate(c, outcomes, v);
	orga_results_profile(c, outcomes, ORGA_RESULTS_LEVEL_CAP, profile);
	/* Six whole levels, capped at 5. */
	assert_float_equal(competence(profile, c, "1.1")->points, 48, 1e-9);
	assert_int_equal(competence(profile, c, "1.1")->level, 5);
	/* 3 x 8/3 is a whole level, not 7.999... */
	assert_int_equal(competence(profile, c, "1.3")->level, 1);
	orga_results_profile(c, outcomes, 8, profile);
	assert_int_equal(competence(profile, c, "1.1")->level, 6);
	/* Invalidated skills are worth nothing. */
	for (size_t i = 0; i < c->nskills; i++)
		if (outcomes[i] == ORGA_OUTCOME_VALIDATED)
			outcomes[i] = ORGA_OUTCOME_INVALIDATED;
	orga_results_profile(c, outcomes, ORGA_RESULTS_LEVEL_CAP, profile);
	assert_int_equal(competence(profile, c, "1.1")->level, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mastery_rounds_to_the_nearest_percent),
		cmocka_unit_test(
		    a_parcours_mastery_counts_its_validated_targets),
		cmocka_unit_test(points_are_shared_by_the_skills_of_a_level),
		cmocka_unit_test(levels_are_whole_eights_capped),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
