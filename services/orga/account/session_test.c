/* session_test.c - session cookie values and token shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/session.h"

#define TOKEN "abcdefghijklmnopqrstuvwxyz012-_A"

static void
cookie_sets_token_http_only_lax_on_root_path(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(orga_session_cookie(TOKEN, false, out, sizeof(out)),
	    COM_OK);
	assert_string_equal(out,
	    "orga_session=" TOKEN "; Path=/; HttpOnly; SameSite=Lax");
}

static void
cookie_is_secure_behind_https(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(orga_session_cookie(TOKEN, true, out, sizeof(out)),
	    COM_OK);
	assert_non_null(strstr(out, "; Secure"));
}

static void
clearing_cookie_expires_at_once(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(orga_session_cookie(NULL, false, out, sizeof(out)),
	    COM_OK);
	assert_true(strncmp(out, "orga_session=;", 14) == 0);
	assert_non_null(strstr(out, "Max-Age=0"));
	assert_non_null(strstr(out, "HttpOnly"));
	assert_null(strstr(out, "Secure"));
}

static void
cookie_too_long_for_buffer_is_refused(void **state)
{
	char out[20];

	(void)state;
	assert_int_equal(orga_session_cookie(TOKEN, false, out, sizeof(out)),
	    COM_ETOOLARGE);
}

static void
only_url_safe_tokens_of_32_chars_are_ours(void **state)
{
	char out[256];

	(void)state;
	assert_true(orga_session_token_ok(TOKEN));
	assert_false(orga_session_token_ok(NULL));
	assert_false(orga_session_token_ok(""));
	assert_false(orga_session_token_ok(TOKEN "a"));
	assert_false(orga_session_token_ok("abcdefghijklmnopqrstuvwxyz012-_"));
	assert_false(orga_session_token_ok("abcdefghijklmnopqrstuvwxyz01;-_A"));
	assert_int_equal(orga_session_cookie("a;b", false, out, sizeof(out)),
	    COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cookie_sets_token_http_only_lax_on_root_path),
		cmocka_unit_test(cookie_is_secure_behind_https),
		cmocka_unit_test(clearing_cookie_expires_at_once),
		cmocka_unit_test(cookie_too_long_for_buffer_is_refused),
		cmocka_unit_test(only_url_safe_tokens_of_32_chars_are_ours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
