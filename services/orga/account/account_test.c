/* account_test.c - login throttling steps and name checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/account.h"

static void
every_tenth_failure_blocks_for_a_doubling_time(void **state)
{
	(void)state;
	assert_int_equal(orga_account_block_minutes(1), 0);
	assert_int_equal(orga_account_block_minutes(9), 0);
	assert_int_equal(orga_account_block_minutes(10), 2);
	assert_int_equal(orga_account_block_minutes(11), 0);
	assert_int_equal(orga_account_block_minutes(20), 4);
	assert_int_equal(orga_account_block_minutes(30), 8);
	assert_int_equal(orga_account_block_minutes(40), 16);
	assert_int_equal(orga_account_block_minutes(45), 0);
}

static void
fifty_failures_block_until_unblocked(void **state)
{
	(void)state;
	assert_int_equal(orga_account_block_minutes(50), -1);
	assert_int_equal(orga_account_block_minutes(51), -1);
	assert_int_equal(orga_account_block_minutes(1000), -1);
}

static void
names_are_one_to_255_characters_without_controls(void **state)
{
	char name[600];

	(void)state;
	assert_true(orga_account_name_ok("Éloïse"));
	assert_true(orga_account_name_ok("N'Diaye-Dupont"));
	assert_false(orga_account_name_ok(""));
	assert_false(orga_account_name_ok("a\tb"));
	assert_false(orga_account_name_ok("a\nb"));
	memset(name, 'a', 255);
	name[255] = '\0';
	assert_true(orga_account_name_ok(name));
	name[255] = 'a';
	name[256] = '\0';
	assert_false(orga_account_name_ok(name));
	/* 255 two-byte characters are 510 bytes, still fine. */
	for (int i = 0; i < 255; i++)
		memcpy(name + 2 * i, "é", 2);
	name[510] = '\0';
	assert_true(orga_account_name_ok(name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_tenth_failure_blocks_for_a_doubling_time),
		cmocka_unit_test(fifty_failures_block_until_unblocked),
		cmocka_unit_test(names_are_one_to_255_characters_without_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
