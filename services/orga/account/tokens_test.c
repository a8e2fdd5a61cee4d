/* tokens_test.c - the Authorization header, token shapes and names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/tokens.h"

#define RANDOM40 "abcdefghijABCDEFGHIJ0123456789-_abcdefgh"
#define TOKEN ORGA_TOKEN_PREFIX RANDOM40

/* Runs orga_token_bearer and copies the token out ("" on error). */
static com_err
bearer(const char *value, char *out, size_t size)
{
	const char *t = NULL;
	size_t len = 0;
	com_err rv = orga_token_bearer(value, &t, &len);

	out[0] = '\0';
	if (rv == COM_OK) {
		assert_true(len < size);
		memcpy(out, t, len);
		out[len] = '\0';
	}
	return rv;
}

static void
bearer_header_gives_the_token(void **state)
{
	char tok[64];

	(void)state;
	assert_int_equal(bearer("Bearer " TOKEN, tok, sizeof(tok)), COM_OK);
	assert_string_equal(tok, TOKEN);
}

static void
bearer_scheme_is_case_insensitive_and_spaces_are_skipped(void **state)
{
	char tok[64];

	(void)state;
	assert_int_equal(bearer("bearer " TOKEN, tok, sizeof(tok)), COM_OK);
	assert_string_equal(tok, TOKEN);
	assert_int_equal(bearer("BEARER   " TOKEN "  ", tok, sizeof(tok)),
	    COM_OK);
	assert_string_equal(tok, TOKEN);
	assert_int_equal(bearer("Bearer\t" TOKEN, tok, sizeof(tok)), COM_OK);
	assert_string_equal(tok, TOKEN);
}

static void
other_schemes_and_empty_tokens_are_refused(void **state)
{
	char tok[64];

	(void)state;
	assert_int_equal(bearer(NULL, tok, sizeof(tok)), COM_EINVAL);
	assert_int_equal(bearer("", tok, sizeof(tok)), COM_EINVAL);
	assert_int_equal(bearer("Basic dXNlcjpwdw==", tok, sizeof(tok)),
	    COM_EINVAL);
	assert_int_equal(bearer("Bearer", tok, sizeof(tok)), COM_EINVAL);
	assert_int_equal(bearer("Bearer ", tok, sizeof(tok)), COM_EINVAL);
	assert_int_equal(bearer("Bearer" TOKEN, tok, sizeof(tok)),
	    COM_EINVAL);
	assert_int_equal(bearer("Bearers " TOKEN, tok, sizeof(tok)),
	    COM_EINVAL);
	assert_int_equal(bearer("Bearer a b", tok, sizeof(tok)), COM_EINVAL);
}

static void
token_shape_is_prefix_and_forty_url_safe_characters(void **state)
{
	(void)state;
	assert_int_equal(ORGA_TOKEN_LEN, 45);
	assert_true(orga_token_shape_ok(TOKEN));
	assert_false(orga_token_shape_ok(NULL));
	assert_false(orga_token_shape_ok(""));
	assert_false(orga_token_shape_ok(RANDOM40));
	assert_false(orga_token_shape_ok("orgb_" RANDOM40));
	assert_false(orga_token_shape_ok(TOKEN "x"));
	assert_false(orga_token_shape_ok(
	    "orga_abcdefghijABCDEFGHIJ0123456789-_abcdefg"));
	assert_false(orga_token_shape_ok(
	    "orga_abcdefghijABCDEFGHIJ0123456789-_abcdef+"));
	assert_false(orga_token_shape_ok(
	    "orga_abcdefghijABCDEFGHIJ0123456789-_abcde=="));
}

static void
token_names_are_short_printable_utf8(void **state)
{
	char name[ORGA_TOKEN_NAME_MAX + 8];

	(void)state;
	assert_true(orga_token_name_ok("Poste du secrétariat"));
	assert_true(orga_token_name_ok("x"));
	assert_false(orga_token_name_ok(NULL));
	assert_false(orga_token_name_ok(""));
	assert_false(orga_token_name_ok("tab\there"));
	assert_false(orga_token_name_ok("del\x7f"));
	assert_false(orga_token_name_ok("latin1 \xe9"));
	memset(name, 'a', 100);
	name[100] = '\0';
	assert_true(orga_token_name_ok(name));
	name[100] = 'a';
	name[101] = '\0';
	assert_false(orga_token_name_ok(name));
	/* 100 characters of two bytes each are fine. */
	for (int i = 0; i < 100; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[200] = '\0';
	assert_true(orga_token_name_ok(name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bearer_header_gives_the_token),
		cmocka_unit_test(
		    bearer_scheme_is_case_insensitive_and_spaces_are_skipped),
		cmocka_unit_test(other_schemes_and_empty_tokens_are_refused),
		cmocka_unit_test(
		    token_shape_is_prefix_and_forty_url_safe_characters),
		cmocka_unit_test(token_names_are_short_printable_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
