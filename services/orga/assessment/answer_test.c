/*
 * answer_test.c - choice sets, and free answers under each tolerance
 * (accents, spaces, punctuation, typos at the 25 % boundary), QROCM
 * independent and dependent, bounded input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assessment/answer.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const test_choices[] = {"a", "b", "c", "d"};

static orga_content_question
choice_question(orga_question_kind kind, uint8_t solution)
{
	orga_content_question q;

	memset(&q, 0, sizeof(q));
	q.kind = kind;
	q.choices.v = test_choices;
	q.choices.n = N(test_choices);
	q.solution = solution;
	return q;
}

static bool
picks(const orga_content_question *q, const unsigned *v, size_t n)
{
	orga_answer a = {.choices = v, .nchoices = n};

	return orga_answer_check(q, &a);
}

/* One typed text against spellings under tol. */
static bool
typed(const char *text, const char *spelling, unsigned tol)
{
	const char *v[] = {spelling};
	orga_content_strings sp = {v, 1};

	return orga_answer_text_matches(text, strlen(text), &sp, tol);
}

static void
a_single_choice_is_right_only_with_the_one_index(void **state)
{
	orga_content_question q = choice_question(ORGA_QUESTION_QCU, 0x4);
	const unsigned three[] = {3}, two[] = {2}, both[] = {3, 2};
	const unsigned zero[] = {0}, five[] = {5};

	(void)state;
	assert_true(picks(&q, three, 1));
	assert_false(picks(&q, two, 1));
	assert_false(picks(&q, both, 2));
	assert_false(picks(&q, zero, 1));
	assert_false(picks(&q, five, 1));
	assert_false(picks(&q, NULL, 0));
}

static void
a_multiple_choice_is_right_only_with_exactly_the_set(void **state)
{
	orga_content_question q = choice_question(ORGA_QUESTION_QCM, 0x5);
	const unsigned set[] = {1, 3}, reversed[] = {3, 1}, sub[] = {1};
	const unsigned super[] = {1, 3, 4}, twice[] = {1, 3, 3};
	const unsigned many[] = {1, 2, 3, 4, 1, 2, 3, 4, 1};

	(void)state;
	assert_true(picks(&q, set, 2));
	assert_true(picks(&q, reversed, 2));
	assert_false(picks(&q, sub, 1));
	assert_false(picks(&q, super, 3));
	assert_false(picks(&q, twice, 3));
	assert_false(picks(&q, many, N(many)));
}

static void
without_tolerance_only_surrounding_spaces_are_forgiven(void **state)
{
	(void)state;
	assert_true(typed("Paris", "Paris", 0));
	assert_true(typed("  Paris\t\n", "Paris", 0));
	assert_true(typed("\xc2\xa0Paris", "Paris", 0));   /* NBSP */
	assert_false(typed("paris", "Paris", 0));
	assert_false(typed("Pa ris", "Paris", 0));
	assert_false(typed("Parus", "Paris", 0));
}

static void
t1_folds_case_french_accents_ligatures_and_removes_spaces(void **state)
{
	(void)state;
	assert_true(typed("\xc3\x8ele de France ", "iledefrance",
	    ORGA_TOL_T1));
	assert_true(typed("\xc3\x89""COLE", "\xc3\xa9""cole", ORGA_TOL_T1));
	/* é è ê à ç ô î ù œ æ, and their capitals. */
	assert_true(typed("\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xa0\xc3\xa7\xc3\xb4"
	    "\xc3\xae\xc3\xb9\xc5\x93\xc3\xa6", "eeeacoiuoeae", ORGA_TOL_T1));
	assert_true(typed("\xc3\x89\xc3\x88\xc3\x8a\xc3\x80\xc3\x87\xc3\x94"
	    "\xc3\x8e\xc3\x99\xc5\x92\xc3\x86", "eeeacoiuoeae", ORGA_TOL_T1));
	assert_true(typed("\xc5\x93uvre", "oeuvre", ORGA_TOL_T1));
	assert_true(typed("Cha\xc3\xaene", "CHAINE", ORGA_TOL_T1));
	/* e and a combining acute accent. */
	assert_true(typed("e\xcc\x81t\xc3\xa9", "ete", ORGA_TOL_T1));
	assert_false(typed("Ile-de-France", "Ile de France", ORGA_TOL_T1));
	assert_false(typed("iledefranc", "Ile de France", ORGA_TOL_T1));
}

static void
t2_removes_punctuation(void **state)
{
	unsigned t12 = ORGA_TOL_T1 | ORGA_TOL_T2;

	(void)state;
	assert_true(typed("ile de france !", "\xc3\x8ele-de-France", t12));
	assert_true(typed("l\xe2\x80\x99\xc3\xa9t\xc3\xa9", "L'\xc3\xa9t\xc3\xa9",
	    t12));
	assert_true(typed("\xc2\xab Paris \xc2\xbb", "Paris", ORGA_TOL_T2));
	assert_false(typed("paris", "Paris", ORGA_TOL_T2));
	assert_false(typed("ile de france !", "\xc3\x8ele-de-France",
	    ORGA_TOL_T1));
}

static void
t3_forgives_typos_up_to_a_quarter_of_the_spelling(void **state)
{
	unsigned all = ORGA_TOL_T1 | ORGA_TOL_T2 | ORGA_TOL_T3;

	(void)state;
	/* "imprimante": 10 letters, 2 typos at most. */
	assert_true(typed("imprimnte", "imprimante", ORGA_TOL_T3));
	assert_true(typed("imprmnte", "imprimante", ORGA_TOL_T3));
	assert_true(typed("imprimatne", "imprimante", ORGA_TOL_T3));
	assert_false(typed("imprmnt", "imprimante", ORGA_TOL_T3));
	/* "chat": 1 at most; "abc": none. */
	assert_true(typed("chut", "chat", ORGA_TOL_T3));
	assert_false(typed("chien", "chat", ORGA_TOL_T3));
	assert_false(typed("abd", "abc", ORGA_TOL_T3));
	/* Counted after t1 and t2: "iledefrance", 11 letters, 2 at most;
	 * an accent is not a typo under t1, one code point without. */
	assert_true(typed("ile de frence", "\xc3\x8ele-de-France", all));
	assert_true(typed("ildefrnce", "\xc3\x8ele-de-France", all));
	assert_false(typed("ildfrnce", "\xc3\x8ele-de-France", all));
	assert_true(typed("ecole", "\xc3\xa9""cole", ORGA_TOL_T3));
	assert_int_equal(orga_answer_distance("\xc3\xa9t\xc3\xa9", "ete", 5),
	    2);
	assert_int_equal(orga_answer_distance("kitten", "sitting", 9), 3);
	assert_int_equal(orga_answer_distance("kitten", "sitting", 1), 2);
}

static void
overlong_malformed_or_empty_answers_are_wrong(void **state)
{
	char big[ORGA_ANSWER_TEXT_MAX + 2];
	const char *v[] = {"x"};
	orga_content_strings sp = {v, 1};
	orga_content_question q;
	const char *texts[1];
	orga_answer a = {.texts = texts, .ntexts = 1};

	(void)state;
	memset(&q, 0, sizeof(q));
	q.kind = ORGA_QUESTION_QROC;
	q.answers = sp;
	q.tolerances = ORGA_TOL_T1 | ORGA_TOL_T2 | ORGA_TOL_T3;
	memset(big, ' ', sizeof(big));
	big[0] = 'x';
	big[sizeof(big) - 1] = '\0';
	texts[0] = big;                       /* 501 bytes */
	assert_false(orga_answer_check(&q, &a));
	big[ORGA_ANSWER_TEXT_MAX] = '\0';     /* 500 bytes */
	assert_true(orga_answer_check(&q, &a));
	texts[0] = "x\xff";
	assert_false(orga_answer_check(&q, &a));
	texts[0] = "   ";
	assert_false(orga_answer_check(&q, &a));
	texts[0] = NULL;
	assert_false(orga_answer_check(&q, &a));
	a.ntexts = 0;
	assert_false(orga_answer_check(&q, &a));
}

static void
independent_fields_each_match_their_own_answers(void **state)
{
	const char *proto[] = {"https"}, *domain[] = {"exemple.fr",
		"www.exemple.fr"};
	orga_content_field fields[] = {
		{"Protocole", {proto, 1}}, {"Domaine", {domain, 2}}};
	orga_content_question q;
	const char *right[] = {"HTTPS", "www.exemple.fr "};
	const char *swapped[] = {"exemple.fr", "https"};
	const char *one[] = {"https"};
	orga_answer a = {.texts = right, .ntexts = 2};

	(void)state;
	memset(&q, 0, sizeof(q));
	q.kind = ORGA_QUESTION_QROCM;
	q.fields = fields;
	q.nfields = 2;
	q.tolerances = ORGA_TOL_T1;
	assert_true(orga_answer_check(&q, &a));
	a.texts = swapped;
	assert_false(orga_answer_check(&q, &a));
	a.texts = one;
	a.ntexts = 1;
	assert_false(orga_answer_check(&q, &a));
}

static void
dependent_fields_match_distinct_answers_in_any_order(void **state)
{
	const char *ff[] = {"Firefox", "Mozilla Firefox"};
	const char *ch[] = {"Chrome", "Google Chrome"}, *sa[] = {"Safari"};
	orga_content_strings groups[] = {{ff, 2}, {ch, 2}, {sa, 1}};
	orga_content_field fields[] = {{"Premier", {NULL, 0}},
		{"Second", {NULL, 0}}};
	orga_content_question q;
	const char *t[2];
	orga_answer a = {.texts = t, .ntexts = 2};

	(void)state;
	memset(&q, 0, sizeof(q));
	q.kind = ORGA_QUESTION_QROCM;
	q.dependent = true;
	q.fields = fields;
	q.nfields = 2;
	q.groups = groups;
	q.ngroups = N(groups);
	q.tolerances = ORGA_TOL_T1 | ORGA_TOL_T3;
	t[0] = "chrome";
	t[1] = "firefox";
	assert_true(orga_answer_check(&q, &a));
	t[0] = "Safari";
	t[1] = "Google Chrome";
	assert_true(orga_answer_check(&q, &a));
	/* Two spellings of one answer are one answer. */
	t[0] = "Firefox";
	t[1] = "Mozilla Firefox";
	assert_false(orga_answer_check(&q, &a));
	t[0] = "chrome";
	t[1] = "chrome";
	assert_false(orga_answer_check(&q, &a));
	t[0] = "Firefx";
	t[1] = "Safari";
	assert_true(orga_answer_check(&q, &a));
	t[1] = "";
	assert_false(orga_answer_check(&q, &a));
	t[1] = "Opera";
	assert_false(orga_answer_check(&q, &a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    a_single_choice_is_right_only_with_the_one_index),
		cmocka_unit_test(
		    a_multiple_choice_is_right_only_with_exactly_the_set),
		cmocka_unit_test(
		    without_tolerance_only_surrounding_spaces_are_forgiven),
		cmocka_unit_test(
		    t1_folds_case_french_accents_ligatures_and_removes_spaces),
		cmocka_unit_test(t2_removes_punctuation),
		cmocka_unit_test(
		    t3_forgives_typos_up_to_a_quarter_of_the_spelling),
		cmocka_unit_test(overlong_malformed_or_empty_answers_are_wrong),
		cmocka_unit_test(
		    independent_fields_each_match_their_own_answers),
		cmocka_unit_test(
		    dependent_fields_match_distinct_answers_in_any_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
