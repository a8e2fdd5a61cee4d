/* csv_test.c - fields are quoted only when they must be, and formulas
 * are neutralised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"

static void
plain_fields_are_joined_with_semicolons(void **state)
{
	com_buf line;

	(void)state;
	com_buf_init(&line, 256);
	assert_int_equal(com_csv_field(&line, "123456789AB", 1), COM_OK);
	assert_int_equal(com_csv_field(&line, "COVERT", 0), COM_OK);
	assert_int_equal(com_csv_field(&line, "Cocœ, Harry", 0), COM_OK);
	assert_string_equal(com_buf_str(&line), "123456789AB;COVERT;Cocœ, Harry");
	com_buf_fini(&line);
}

static void
semicolon_quote_and_newline_are_quoted(void **state)
{
	com_buf line;

	(void)state;
	com_buf_init(&line, 256);
	assert_int_equal(com_csv_field(&line, "a;b", 1), COM_OK);
	assert_int_equal(com_csv_field(&line, "dit \"Lulu\"", 0), COM_OK);
	assert_int_equal(com_csv_field(&line, "deux\nlignes", 0), COM_OK);
	assert_int_equal(com_csv_field(&line, "", 0), COM_OK);
	assert_string_equal(com_buf_str(&line),
	    "\"a;b\";\"dit \"\"Lulu\"\"\";\"deux\nlignes\";");
	com_buf_fini(&line);
}

static void
line_longer_than_its_maximum_is_refused(void **state)
{
	com_buf line;

	(void)state;
	com_buf_init(&line, 4);
	assert_int_equal(com_csv_field(&line, "abcdef", 1), COM_ETOOLARGE);
	com_buf_fini(&line);
}

static void
cells_a_spreadsheet_would_run_start_with_an_apostrophe(void **state)
{
	static const char *const cases[][2] = {
		{"=HYPERLINK(\"http://x\",\"y\")",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
		{"+33 1", "'+33 1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "\"'\rx\""},
		{"a=b", "a=b"},
		{"Jean-Pierre", "Jean-Pierre"},
		{"", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		com_buf line;

		com_buf_init(&line, 256);
		assert_int_equal(com_csv_field(&line, cases[i][0], 1), COM_OK);
		assert_string_equal(com_buf_str(&line), cases[i][1]);
		com_buf_fini(&line);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_fields_are_joined_with_semicolons),
		cmocka_unit_test(semicolon_quote_and_newline_are_quoted),
		cmocka_unit_test(line_longer_than_its_maximum_is_refused),
		cmocka_unit_test(
		    cells_a_spreadsheet_would_run_start_with_an_apostrophe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
