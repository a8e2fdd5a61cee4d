/* str_test.c - a bounded copy fits or says so, never cuts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "str.h"

static void
a_string_that_fits_is_copied_whole(void **state)
{
	char out[6] = "xxxxx";

	(void)state;
	assert_int_equal(com_str_copy(out, sizeof(out), "Marie"), COM_OK);
	assert_string_equal(out, "Marie");
	assert_int_equal(com_str_copy(out, sizeof(out), ""), COM_OK);
	assert_string_equal(out, "");
}

static void
a_string_too_long_leaves_an_empty_buffer(void **state)
{
	char out[5] = "xxxx";

	(void)state;
	assert_int_equal(com_str_copy(out, sizeof(out), "Marie"),
	    COM_ETOOLARGE);
	assert_string_equal(out, "");
	assert_int_equal(com_str_copy(out, sizeof(out), NULL), COM_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(com_str_copy(out, 0, "x"), COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_string_that_fits_is_copied_whole),
		cmocka_unit_test(a_string_too_long_leaves_an_empty_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
