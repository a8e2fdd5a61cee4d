/* outbox_test.c - the retry delay of a failed mail (a pure function). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "outbox.h"

static void
first_failure_waits_the_base_delay(void **state)
{
	(void)state;
	assert_int_equal(mail_backoff_ms(1, 2000, 600000), 2000);
	assert_int_equal(mail_backoff_ms(0, 2000, 600000), 2000);
}

static void
each_further_failure_doubles_the_delay(void **state)
{
	(void)state;
	assert_int_equal(mail_backoff_ms(2, 2000, 600000), 4000);
	assert_int_equal(mail_backoff_ms(3, 2000, 600000), 8000);
	assert_int_equal(mail_backoff_ms(8, 2000, 600000), 256000);
}

static void
delay_is_capped_by_the_maximum(void **state)
{
	(void)state;
	assert_int_equal(mail_backoff_ms(9, 2000, 600000), 512000);
	assert_int_equal(mail_backoff_ms(10, 2000, 600000), 600000);
	assert_int_equal(mail_backoff_ms(49, 2000, 600000), 600000);
	assert_int_equal(mail_backoff_ms(5, 700000, 600000), 600000);
}

static void
huge_attempt_counts_never_overflow(void **state)
{
	(void)state;
	assert_int_equal(mail_backoff_ms(INT_MAX, 1, LONG_MAX), LONG_MAX);
	assert_int_equal(mail_backoff_ms(1000, LONG_MAX / 3, LONG_MAX),
	    LONG_MAX);
	assert_int_equal(mail_backoff_ms(70, 1, 600000), 600000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_failure_waits_the_base_delay),
		cmocka_unit_test(each_further_failure_doubles_the_delay),
		cmocka_unit_test(delay_is_capped_by_the_maximum),
		cmocka_unit_test(huge_attempt_counts_never_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
