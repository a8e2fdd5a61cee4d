/* throttle_test.c - the pure parts of the limits: rules' bounds, stored
 * keys, waits in whole seconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/throttle.h"

static void
rules_within_bounds_are_accepted_and_others_refused(void **state)
{
	const orga_throttle_rule ok = {"login-ip", 20, 0.5};
	const orga_throttle_rule bad[] = {
		{NULL, 1, 1}, {"", 1, 1}, {"Login", 1, 1}, {"a b", 1, 1},
		{"x", 0.5, 1}, {"x", 1, 0}, {"x", 1, -1},
		{"x", 100000, 1}, /* takes more than a day to refill */
		{"a-scope-name-longer-than-forty-characters", 1, 1},
	};

	(void)state;
	assert_int_equal(orga_throttle_rule_ok(&ok), 1);
	assert_int_equal(orga_throttle_rule_ok(NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (orga_throttle_rule_ok(&bad[i]))
			fail_msg("rule %zu accepted", i);
}

static void
a_key_is_stored_as_a_hash_of_its_scope_and_value(void **state)
{
	char a[COM_TOKEN_HASH_SIZE], b[COM_TOKEN_HASH_SIZE];
	char c[COM_TOKEN_HASH_SIZE];

	(void)state;
	orga_throttle_key("login-ip", "127.0.0.1", a);
	orga_throttle_key("login-ip", "127.0.0.1", b);
	orga_throttle_key("signup-ip", "127.0.0.1", c);
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_null(strstr(a, "127"));
	/* "ab" + "c" and "a" + "bc" are different keys. */
	orga_throttle_key("ab", "c", a);
	orga_throttle_key("a", "bc", b);
	assert_string_not_equal(a, b);
}

static void
waits_are_whole_seconds_of_at_least_one(void **state)
{
	(void)state;
	assert_int_equal(orga_throttle_seconds(0), 1);
	assert_int_equal(orga_throttle_seconds(0.2), 1);
	assert_int_equal(orga_throttle_seconds(1.0), 1);
	assert_int_equal(orga_throttle_seconds(1.01), 2);
	assert_int_equal(orga_throttle_seconds(59.5), 60);
	assert_int_equal(orga_throttle_seconds(1e12), 86400);
	assert_int_equal(orga_throttle_seconds(-3), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    rules_within_bounds_are_accepted_and_others_refused),
		cmocka_unit_test(
		    a_key_is_stored_as_a_hash_of_its_scope_and_value),
		cmocka_unit_test(waits_are_whole_seconds_of_at_least_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
