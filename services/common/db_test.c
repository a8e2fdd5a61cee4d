/* db_test.c - typed column readers, on results built in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"

/* A one-column result of the given values (NULL: SQL NULL). */
static PGresult *
result_of(const char *const *values, int n)
{
	PGresAttDesc col;
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	memset(&col, 0, sizeof(col));
	col.name = (char *)"v";
	col.format = 0;
	assert_non_null(res);
	assert_int_equal(PQsetResultAttrs(res, 1, &col), 1);
	for (int i = 0; i < n; i++)
		assert_int_equal(PQsetvalue(res, i, 0, (char *)values[i],
		    values[i] != NULL ? (int)strlen(values[i]) : -1), 1);
	return res;
}

static void
integers_are_read_whole_or_refused(void **state)
{
	static const char *const values[] = {"42", "-7",
	    "9223372036854775807", "", NULL, "12x", "99999999999999999999",
	    " 3"};
	PGresult *res = result_of(values, 8);
	int64_t v = 0;

	(void)state;
	assert_int_equal(com_db_i64(res, 0, 0, &v), COM_OK);
	assert_int_equal(v, 42);
	assert_int_equal(com_db_i64(res, 1, 0, &v), COM_OK);
	assert_int_equal(v, -7);
	assert_int_equal(com_db_i64(res, 2, 0, &v), COM_OK);
	assert_true(v == INT64_MAX);
	for (int i = 3; i < 8; i++)
		assert_int_equal(com_db_i64(res, i, 0, &v), COM_EINVAL);
	assert_true(v == INT64_MAX); /* written only on success */
	PQclear(res);
}

static void
only_true_reads_as_true(void **state)
{
	static const char *const values[] = {"t", "f", NULL, "true"};
	PGresult *res = result_of(values, 4);

	(void)state;
	assert_true(com_db_bool(res, 0, 0));
	assert_false(com_db_bool(res, 1, 0));
	assert_false(com_db_bool(res, 2, 0));
	assert_false(com_db_bool(res, 3, 0));
	PQclear(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_are_read_whole_or_refused),
		cmocka_unit_test(only_true_reads_as_true),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
