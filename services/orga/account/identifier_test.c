/* identifier_test.c - identifiers of students' accounts and their
 * one-time passwords. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/identifier.h"
#include "secret.h"

static void
check_base(const char *first, const char *last, const char *date,
    const char *want)
{
	char out[ORGA_IDENTIFIER_SIZE];

	assert_int_equal(orga_identifier_base(first, last, date, out,
	                     sizeof(out)), COM_OK);
	assert_string_equal(out, want);
	assert_true(orga_identifier_ok(out));
}

static void
names_lose_case_accents_spaces_and_punctuation(void **state)
{
	(void)state;
	check_base("Léa", "Martin", "2010-03-07", "lea.martin0703");
	check_base("Jean-Pierre", "D'Arc", "2011-12-25",
	    "jeanpierre.darc2512");
	check_base("Zoé Anaïs", "Le Gall-Dupré", "2012-01-09",
	    "zoeanais.legalldupre0901");
	check_base("Chloë", "N’Diaye", "2009-10-31", "chloe.ndiaye3110");
	check_base("Œdipe", "Straßer", "2010-05-05", "oedipe.strasser0505");
	check_base("ÉLODIE", "ÇA", "2010-06-01", "elodie.ca0106");
}

static void
names_without_latin_letters_fall_back(void **state)
{
	(void)state;
	check_base("Мария", "Иванова", "2010-02-03", "eleve.eleve0302");
	check_base("---", "O'", "2010-02-03", "eleve.o0302");
}

static void
long_names_are_cut(void **state)
{
	char first[200], want[100];

	(void)state;
	memset(first, 'a', 120);
	first[120] = '\0';
	memset(want, 'a', ORGA_IDENTIFIER_PART_MAX);
	memcpy(want + ORGA_IDENTIFIER_PART_MAX, ".b0101", 7);
	check_base(first, "B", "2010-01-01", want);
}

static void
bad_dates_and_small_buffers_are_refused(void **state)
{
	char out[ORGA_IDENTIFIER_SIZE];

	(void)state;
	assert_int_equal(orga_identifier_base("a", "b", "2010-1-01", out,
	                     sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_identifier_base("a", "b", "01/01/2010", out,
	                     sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_identifier_base("a", "b", NULL, out,
	                     sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_identifier_base("a\xff", "b", "2010-01-01",
	                     out, sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_identifier_base("a", "b", "2010-01-01", out, 6),
	    COM_ETOOLARGE);
}

static void
a_taken_identifier_gets_four_digits(void **state)
{
	char out[ORGA_IDENTIFIER_SIZE], digits[5];

	(void)state;
	assert_int_equal(orga_identifier_suffixed("lea.martin0703", "4821",
	                     out, sizeof(out)), COM_OK);
	assert_string_equal(out, "lea.martin07034821");
	assert_int_equal(orga_identifier_suffixed("lea.martin0703", "48a1",
	                     out, sizeof(out)), COM_EINVAL);
	assert_int_equal(orga_identifier_suffixed("lea.martin0703", "482",
	                     out, sizeof(out)), COM_EINVAL);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(orga_identifier_digits_new(digits), COM_OK);
		assert_int_equal(strspn(digits, "0123456789"), 4);
		assert_int_equal(strlen(digits), 4);
	}
}

static void
identifiers_are_never_addresses(void **state)
{
	(void)state;
	assert_false(orga_identifier_ok("lea@martin.fr"));
	assert_false(orga_identifier_ok("Lea.martin0703"));
	assert_false(orga_identifier_ok("ab"));
	assert_false(orga_identifier_ok(""));
	assert_false(orga_identifier_ok(NULL));
	assert_true(orga_identifier_ok("lea.martin07034821"));
}

static void
onetime_passwords_are_six_letters_and_two_digits(void **state)
{
	char pw[ORGA_ONETIME_LEN + 1];
	int seen[256] = {0};

	(void)state;
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(orga_onetime_password_new(pw, sizeof(pw)),
		    COM_OK);
		assert_int_equal(strlen(pw), ORGA_ONETIME_LEN);
		assert_true(orga_onetime_password_ok(pw));
		for (int k = 0; k < ORGA_ONETIME_LEN; k++)
			seen[(unsigned char)pw[k]]++;
	}
	/* No look-alike ever, and the whole alphabet is used. */
	assert_int_equal(seen['I'] + seen['L'] + seen['O'] + seen['0'] +
	                     seen['1'], 0);
	for (const char *p = ORGA_ONETIME_LETTERS ORGA_ONETIME_DIGITS; *p;
	     p++)
		assert_true(seen[(unsigned char)*p] > 0);
	assert_int_equal(orga_onetime_password_new(pw, ORGA_ONETIME_LEN),
	    COM_EINVAL);
	assert_false(orga_onetime_password_ok("ABCDEF1X"));
	assert_false(orga_onetime_password_ok("ABCDEFG2"));
	assert_false(orga_onetime_password_ok("ABCDEI22"));
	assert_false(orga_onetime_password_ok("abcdef22"));
}

static int
setup(void **state)
{
	(void)state;
	return com_secret_init() == COM_OK ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_lose_case_accents_spaces_and_punctuation),
		cmocka_unit_test(names_without_latin_letters_fall_back),
		cmocka_unit_test(long_names_are_cut),
		cmocka_unit_test(bad_dates_and_small_buffers_are_refused),
		cmocka_unit_test(a_taken_identifier_gets_four_digits),
		cmocka_unit_test(identifiers_are_never_addresses),
		cmocka_unit_test(onetime_passwords_are_six_letters_and_two_digits),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
