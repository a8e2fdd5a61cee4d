/* utf8_test.c - well-formed UTF-8 and code point counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static bool
valid(const char *s)
{
	return com_utf8_valid(s, strlen(s));
}

static void
ascii_and_french_letters_are_valid(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("Dupont"));
	assert_true(valid("H\xc3\xa9l\xc3\xa8ne \xc5\x93uvre \xc5\xb8"));
	assert_true(valid("\xe2\x82\xac"));           /* U+20AC */
	assert_true(valid("\xf0\x9f\x98\x80"));       /* U+1F600 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));       /* U+10FFFF */
}

static void
latin1_bytes_and_truncated_sequences_are_refused(void **state)
{
	(void)state;
	assert_false(valid("H\xe9l\xe8ne"));          /* ISO-8859-1 */
	assert_false(valid("\xc3"));
	assert_false(valid("\xe2\x82"));
	assert_false(valid("\xf0\x9f\x98"));
	assert_false(valid("\x80"));
	assert_false(valid("\xff"));
}

static void
overlong_forms_surrogates_and_out_of_range_are_refused(void **state)
{
	(void)state;
	assert_false(valid("\xc0\xaf"));
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\xaf"));
	assert_false(valid("\xed\xa0\x80"));          /* U+D800 */
	assert_false(valid("\xf0\x80\x80\xaf"));
	assert_false(valid("\xf4\x90\x80\x80"));      /* U+110000 */
	assert_false(valid("\xf5\x80\x80\x80"));
}

static void
an_embedded_nul_is_refused(void **state)
{
	(void)state;
	assert_false(com_utf8_valid("a\0b", 3));
}

static void
chars_counts_code_points_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(com_utf8_chars("", 0), 0);
	assert_int_equal(com_utf8_chars("abc", 3), 3);
	assert_int_equal(com_utf8_chars("\xc3\xa9t\xc3\xa9", 5), 3);
	assert_int_equal(com_utf8_chars("\xf0\x9f\x98\x80", 4), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_and_french_letters_are_valid),
		cmocka_unit_test(
		    latin1_bytes_and_truncated_sequences_are_refused),
		cmocka_unit_test(
		    overlong_forms_surrogates_and_out_of_range_are_refused),
		cmocka_unit_test(an_embedded_nul_is_refused),
		cmocka_unit_test(chars_counts_code_points_not_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
