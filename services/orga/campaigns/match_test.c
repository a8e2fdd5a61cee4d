/*
 * match_test.c - name keys, edit distance, and choosing the one learner a
 * student is (rattachement), over in-memory candidates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "campaigns/match.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
assert_key(const char *name, const char *want)
{
	char out[ORGA_MATCH_KEY_MAX];

	assert_int_equal(orga_match_key(name, out, sizeof(out)), COM_OK);
	assert_string_equal(out, want);
}

/* find runs orga_match_find and returns the chosen id, or -err. */
static int64_t
find(const char *first, const char *last, const orga_match_candidate *c,
    size_t n)
{
	size_t at = 99;
	com_err rv = orga_match_find(first, last, c, n, &at);

	if (rv != COM_OK) {
		assert_int_equal(at, 99);   /* out-param untouched */
		return -(int64_t)rv;
	}
	assert_true(at < n);
	return c[at].id;
}

static void
keys_drop_case_accents_and_ligatures(void **state)
{
	(void)state;
	assert_key("Éloïse", "eloise");
	assert_key("ÇÀÂÄÈÊËÎÏÔÖÙÛÜŸ", "caaaeeeiioouuuy");
	assert_key("Cœur Æther Straße", "coeuraetherstrasse");
	assert_key("ŒDIPE", "oedipe");
	assert_key("Łukasz Dvořák Ştefan Ţepeş", "lukaszdvorakstefantepes");
	assert_key("Ḁ", "Ḁ");      /* unmapped Latin: kept as is */
	assert_key("Łódź Þór Ðan Øystein", "lodzthordanoystein");
	assert_key("ÿves", "yves");
	/* decomposed accents (NFD) lose their combining marks */
	assert_key("E\xcc\x81lise", "elise");
}

static void
keys_drop_spaces_hyphens_apostrophes_and_punctuation(void **state)
{
	(void)state;
	assert_key("Jean-Pierre D'Arc", "jeanpierredarc");
	assert_key("  Le Gall ", "legall");
	assert_key("N\xe2\x80\x99" "Diaye", "ndiaye");            /* ’ */
	assert_key("Marie\xc2\xa0" "Claire", "marieclaire");     /* nbsp */
	assert_key("Anne\xe2\x80\x93Sophie", "annesophie");   /* – */
	assert_key("O.B. (dit « Bob »)!?", "obditbob");
	assert_key("Louis 14", "louis14");
	assert_key("---", "");
}

static void
keys_keep_other_scripts_and_refuse_bad_utf8(void **state)
{
	char out[8];

	(void)state;
	assert_key("Αλέξης", "Αλέξης");
	assert_int_equal(orga_match_key("\xc3(", out, sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_match_key("abcdefgh", out, sizeof(out)),
	    COM_ETOOLARGE);
	assert_int_equal(orga_match_key("abcdefg", out, sizeof(out)), COM_OK);
}

static void
distance_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(orga_match_distance("", ""), 0);
	assert_int_equal(orga_match_distance("abc", ""), 3);
	assert_int_equal(orga_match_distance("", "abc"), 3);
	assert_int_equal(orga_match_distance("kitten", "sitting"), 3);
	assert_int_equal(orga_match_distance("martin", "martine"), 1);
	assert_int_equal(orga_match_distance("dupont", "dupnot"), 2);
	assert_int_equal(orga_match_distance("Αλέξης", "Αλεξης"), 1);
	assert_int_equal(orga_match_chars("Αλέξης"), 6);
}

static const orga_match_candidate class_a[] = {
	{1, "Camille", NULL, NULL, "Abba", NULL},
	{2, "Jean-Pierre", "Louis", "Marie", "D'Arc", ""},
	{3, "Éloïse", "Anne", NULL, "Martin", "Dupont-Martin"},
	{4, "Christophe", NULL, NULL, "Lefebvre", NULL},
};

static void
exact_names_match_despite_accents_hyphens_apostrophes_spaces(void **state)
{
	(void)state;
	assert_int_equal(find("camille", "ABBA", class_a, N(class_a)), 1);
	assert_int_equal(find("Jean Pierre", "Darc", class_a, N(class_a)), 2);
	assert_int_equal(find("jeanpierre", "d arc", class_a, N(class_a)), 2);
	assert_int_equal(find("Eloise", "MARTIN", class_a, N(class_a)), 3);
}

static void
typos_within_a_quarter_of_the_typed_length_are_tolerated(void **state)
{
	(void)state;
	/* "christofe" (9): 2 edits allowed; "lefevre" (7): 1 allowed */
	assert_int_equal(find("Christofe", "Lefevre", class_a, N(class_a)), 4);
	/* "eloize" (6): 1 edit allowed */
	assert_int_equal(find("Eloize", "Martin", class_a, N(class_a)), 3);
	assert_int_equal(find("Camile", "Abba", class_a, N(class_a)), 1);
}

static void
typos_beyond_the_tolerance_match_nobody(void **state)
{
	(void)state;
	/* "elouize" (7): 1 edit allowed, 2 made */
	assert_int_equal(find("Elouize", "Martin", class_a, N(class_a)),
	    -(int64_t)COM_ENOTFOUND);
	/* short names allow no typo at all: "abb" (3) */
	assert_int_equal(find("Camille", "Abb", class_a, N(class_a)),
	    -(int64_t)COM_ENOTFOUND);
	assert_int_equal(find("Kristof", "Lefebvre", class_a, N(class_a)),
	    -(int64_t)COM_ENOTFOUND);
}

static void
second_and_third_given_names_are_tried(void **state)
{
	(void)state;
	assert_int_equal(find("Louis", "D'Arc", class_a, N(class_a)), 2);
	assert_int_equal(find("Marie", "D'Arc", class_a, N(class_a)), 2);
	assert_int_equal(find("Anne", "Martin", class_a, N(class_a)), 3);
	/* tolerant on the third given name too: "maria" (5), 1 edit */
	assert_int_equal(find("Maria", "Darc", class_a, N(class_a)), 2);
	/* "mary" (4): 1 edit allowed, 2 needed */
	assert_int_equal(find("Mary", "Darc", class_a, N(class_a)),
	    -(int64_t)COM_ENOTFOUND);
}

static void
usage_names_match_like_family_names(void **state)
{
	(void)state;
	assert_int_equal(find("Éloïse", "Dupont-Martin", class_a, N(class_a)),
	    3);
	assert_int_equal(find("Eloise", "dupont martin", class_a, N(class_a)),
	    3);
	/* an empty usage name matches nothing, not an empty typed name */
	assert_int_equal(find("Jean-Pierre", "-", class_a, N(class_a)),
	    -(int64_t)COM_EINVAL);
}

static void
two_learners_sharing_a_birth_date_are_told_apart(void **state)
{
	/* twins: the first given name decides before the second */
	static const orga_match_candidate twins[] = {
		{10, "Marie", "Anne", NULL, "Dupont", NULL},
		{11, "Anne", "Marie", NULL, "Dupont", NULL},
	};
	/* the same names twice: nobody can be chosen */
	static const orga_match_candidate same[] = {
		{20, "Léa", NULL, NULL, "Martin", NULL},
		{21, "Lea", NULL, NULL, "Martin", NULL},
	};
	/* exact beats tolerant: "Louis" is exact for 31, close to 30 */
	static const orga_match_candidate close[] = {
		{30, "Louise", NULL, NULL, "Bernard", NULL},
		{31, "Louis", NULL, NULL, "Bernard", NULL},
	};
	/* two close names, no exact one: ambiguous */
	static const orga_match_candidate ambiguous[] = {
		{40, "Lina", NULL, NULL, "Leroy", NULL},
		{41, "Line", NULL, NULL, "Leroy", NULL},
	};

	(void)state;
	assert_int_equal(find("Marie", "Dupont", twins, N(twins)), 10);
	assert_int_equal(find("Anne", "Dupont", twins, N(twins)), 11);
	assert_int_equal(find("Lea", "Martin", same, N(same)),
	    -(int64_t)COM_ECONFLICT);
	assert_int_equal(find("Louis", "Bernard", close, N(close)), 31);
	assert_int_equal(find("Louise", "Bernard", close, N(close)), 30);
	assert_int_equal(find("Lino", "Leroy", ambiguous, N(ambiguous)),
	    -(int64_t)COM_ECONFLICT);
}

static void
no_candidate_matches_nobody(void **state)
{
	(void)state;
	assert_int_equal(find("Camille", "Abba", NULL, 0),
	    -(int64_t)COM_ENOTFOUND);
	assert_int_equal(find("Camille", "Abba", class_a + 3, 1),
	    -(int64_t)COM_ENOTFOUND);
	assert_int_equal(find("", "Abba", class_a, N(class_a)),
	    -(int64_t)COM_EINVAL);
	assert_int_equal(find("Camille", "\xff", class_a, N(class_a)),
	    -(int64_t)COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_drop_case_accents_and_ligatures),
		cmocka_unit_test(
		    keys_drop_spaces_hyphens_apostrophes_and_punctuation),
		cmocka_unit_test(keys_keep_other_scripts_and_refuse_bad_utf8),
		cmocka_unit_test(distance_counts_code_points),
		cmocka_unit_test(
		    exact_names_match_despite_accents_hyphens_apostrophes_spaces),
		cmocka_unit_test(
		    typos_within_a_quarter_of_the_typed_length_are_tolerated),
		cmocka_unit_test(typos_beyond_the_tolerance_match_nobody),
		cmocka_unit_test(second_and_third_given_names_are_tried),
		cmocka_unit_test(usage_names_match_like_family_names),
		cmocka_unit_test(
		    two_learners_sharing_a_birth_date_are_told_apart),
		cmocka_unit_test(no_candidate_matches_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
