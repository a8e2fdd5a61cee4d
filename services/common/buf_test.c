/* buf_test.c - the bounded buffer never grows past its maximum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void
empty_buffer_reads_as_empty_string(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 16);
	assert_string_equal(com_buf_str(&b), "");
	assert_int_equal(b.len, 0);
	com_buf_fini(&b);
}

static void
appends_and_printf_stay_nul_terminated(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 1024);
	assert_int_equal(com_buf_append_str(&b, "Lycée "), COM_OK);
	assert_int_equal(com_buf_printf(&b, "%s n°%d", "Pix", 42), COM_OK);
	assert_string_equal(com_buf_str(&b), "Lycée Pix n°42");
	assert_int_equal(b.len, strlen("Lycée Pix n°42"));
	com_buf_fini(&b);
}

static void
append_past_maximum_is_refused_and_changes_nothing(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 8);
	assert_int_equal(com_buf_append_str(&b, "12345678"), COM_OK);
	assert_int_equal(com_buf_append_str(&b, "9"), COM_ETOOLARGE);
	assert_int_equal(com_buf_printf(&b, "%d", 9), COM_ETOOLARGE);
	assert_string_equal(com_buf_str(&b), "12345678");
	com_buf_reset(&b);
	assert_int_equal(com_buf_append_str(&b, "123456789"), COM_ETOOLARGE);
	assert_string_equal(com_buf_str(&b), "");
	com_buf_fini(&b);
}

static void
extend_reserves_bytes_to_fill(void **state)
{
	com_buf b;
	char *p;

	(void)state;
	com_buf_init(&b, 100);
	assert_int_equal(com_buf_extend(&b, 3, &p), COM_OK);
	memcpy(p, "abc", 3);
	assert_string_equal(com_buf_str(&b), "abc");
	assert_int_equal(com_buf_extend(&b, 98, &p), COM_ETOOLARGE);
	com_buf_fini(&b);
}

static void
steal_hands_over_the_storage(void **state)
{
	com_buf b;
	char *s;

	(void)state;
	com_buf_init(&b, 100);
	assert_int_equal(com_buf_append_str(&b, "élève"), COM_OK);
	s = com_buf_steal(&b);
	assert_string_equal(s, "élève");
	assert_string_equal(com_buf_str(&b), "");
	free(s);
	s = com_buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	com_buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_buffer_reads_as_empty_string),
		cmocka_unit_test(appends_and_printf_stay_nul_terminated),
		cmocka_unit_test(
		    append_past_maximum_is_refused_and_changes_nothing),
		cmocka_unit_test(extend_reserves_bytes_to_fill),
		cmocka_unit_test(steal_hands_over_the_storage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
