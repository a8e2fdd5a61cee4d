/* format_test.c - orgactl's display of dates and statuses, text checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "format.h"

static void
iso_dates_are_shown_day_first_with_utc_named(void **state)
{
	char out[CTL_DATE_SIZE];

	(void)state;
	ctl_date_fr("2024-09-02T08:30:15Z", out);
	assert_string_equal(out, "02/09/2024 08:30 UTC");
	ctl_date_fr("2024-09-02 08:30:15.123456+00", out);
	assert_string_equal(out, "02/09/2024 08:30 UTC");
	ctl_date_fr("2024-09-02T08:30:15+02:00", out);
	assert_string_equal(out, "02/09/2024 08:30 +02:00");
	ctl_date_fr("2024-09-02T08:30", out);
	assert_string_equal(out, "02/09/2024 08:30");
}

static void
unexpected_or_missing_dates_are_shown_as_given(void **state)
{
	char out[CTL_DATE_SIZE];

	(void)state;
	ctl_date_fr("hier", out);
	assert_string_equal(out, "hier");
	ctl_date_fr("", out);
	assert_string_equal(out, "—");
	ctl_date_fr(NULL, out);
	assert_string_equal(out, "—");
}

static void
invitation_statuses_are_translated(void **state)
{
	(void)state;
	assert_string_equal(ctl_status_fr("pending"), "en attente");
	assert_string_equal(ctl_status_fr("accepted"), "acceptée");
	assert_string_equal(ctl_status_fr("cancelled"), "annulée");
	assert_string_equal(ctl_status_fr("expired"), "expired");
}

static void
blank_text_is_detected(void **state)
{
	(void)state;
	assert_true(ctl_blank("", 0));
	assert_true(ctl_blank(" \n\t\r\n", 5));
	assert_false(ctl_blank("  x ", 4));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iso_dates_are_shown_day_first_with_utc_named),
		cmocka_unit_test(
		    unexpected_or_missing_dates_are_shown_as_given),
		cmocka_unit_test(invitation_statuses_are_translated),
		cmocka_unit_test(blank_text_is_detected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
