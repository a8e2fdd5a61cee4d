/* deadline_test.c - the instants handed to pthread_cond_timedwait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "deadline.h"

static int64_t
ns_of(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Every millisecond count, across second boundaries, lands ms after the
 * moment it was asked, with nanoseconds kept under a second. */
static void
deadline_is_ms_later_and_normalised(void **state)
{
	const long cases[] = { 0, 1, 999, 1000, 1001, 1999, 2500, 60000 };
	const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };

	(void)state;
	for (size_t c = 0; c < 2; c++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct timespec before, after, d;

			clock_gettime(clocks[c], &before);
			d = com_deadline(clocks[c], cases[i]);
			clock_gettime(clocks[c], &after);
			assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
			assert_true(ns_of(d) >= ns_of(before) +
			    (int64_t)cases[i] * 1000000);
			assert_true(ns_of(d) <= ns_of(after) +
			    (int64_t)cases[i] * 1000000);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadline_is_ms_later_and_normalised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
