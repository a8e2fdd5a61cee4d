/* api_learners_test.c - the query string of the learners list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "learners/learner_list_routes.h"

typedef struct parsed {
	orga_learner_query q;
	int64_t page;
	int size;
	const char *field;
} parsed;

static com_err
parse(const orga_learner_args *in, parsed *out)
{
	memset(out, 0, sizeof(*out));
	return orga_learner_args_parse(in, &out->q, &out->page, &out->size,
	    &out->field);
}

static void
no_parameters_give_the_first_page_of_50_active_by_last_name(void **state)
{
	orga_learner_args in = {0};
	parsed p;

	(void)state;
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_int_equal(p.page, 1);
	assert_int_equal(p.size, 50);
	assert_int_equal(p.q.limit, 50);
	assert_int_equal(p.q.offset, 0);
	assert_int_equal(p.q.state, ORGA_LEARNERS_ACTIVE);
	assert_int_equal(p.q.sort, ORGA_SORT_LAST_NAME);
	assert_false(p.q.descending);
	assert_null(p.q.search);
	assert_null(p.q.class_code);
}

static void
every_parameter_is_read(void **state)
{
	orga_learner_args in = {.search = "h\xc3\xa9l\xc3\xa8ne",
	    .class_code = "4A", .status = "all", .sort = "birthDate",
	    .order = "desc", .page = "3", .page_size = "200"};
	parsed p;

	(void)state;
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_string_equal(p.q.search, "h\xc3\xa9l\xc3\xa8ne");
	assert_string_equal(p.q.class_code, "4A");
	assert_int_equal(p.q.state, ORGA_LEARNERS_ALL);
	assert_int_equal(p.q.sort, ORGA_SORT_BIRTH_DATE);
	assert_true(p.q.descending);
	assert_int_equal(p.page, 3);
	assert_int_equal(p.size, 200);
	assert_int_equal(p.q.offset, 400);
	assert_int_equal(p.q.limit, 200);
}

static void
status_sort_and_order_take_their_listed_values(void **state)
{
	orga_learner_args in = {.status = "gone", .sort = "class",
	    .order = "asc"};
	parsed p;

	(void)state;
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_int_equal(p.q.state, ORGA_LEARNERS_GONE);
	assert_int_equal(p.q.sort, ORGA_SORT_CLASS);
	assert_false(p.q.descending);
	in.sort = "firstName";
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_int_equal(p.q.sort, ORGA_SORT_FIRST_NAME);
	in.sort = "lastName";
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_int_equal(p.q.sort, ORGA_SORT_LAST_NAME);
}

/* Parses in with one bad value and checks the field named. */
static void
expect_bad(orga_learner_args in, const char *field)
{
	parsed p;

	assert_int_equal(parse(&in, &p), COM_EINVAL);
	assert_non_null(p.field);
	assert_string_equal(p.field, field);
}

static void
bad_values_name_their_field(void **state)
{
	char long_search[ORGA_LEARNERS_SEARCH_MAX + 2];

	(void)state;
	memset(long_search, 'a', sizeof(long_search) - 1);
	long_search[sizeof(long_search) - 1] = '\0';
	expect_bad((orga_learner_args){.status = "left"}, "status");
	expect_bad((orga_learner_args){.status = "ACTIVE"}, "status");
	expect_bad((orga_learner_args){.sort = "ine"}, "sort");
	expect_bad((orga_learner_args){.sort = "last_name; DROP"}, "sort");
	expect_bad((orga_learner_args){.order = "up"}, "order");
	expect_bad((orga_learner_args){.page = "0"}, "page");
	expect_bad((orga_learner_args){.page = "-1"}, "page");
	expect_bad((orga_learner_args){.page = "01"}, "page");
	expect_bad((orga_learner_args){.page = "2x"}, "page");
	expect_bad((orga_learner_args){.page = ""}, "page");
	expect_bad((orga_learner_args){.page = "99999999999999999999"},
	    "page");
	expect_bad((orga_learner_args){.page_size = "0"}, "pageSize");
	expect_bad((orga_learner_args){.page_size = "201"}, "pageSize");
	expect_bad((orga_learner_args){.search = long_search}, "search");
	expect_bad((orga_learner_args){.search = "\xe9t\xe9"}, "search");
	expect_bad((orga_learner_args){.class_code = "4\xff"}, "class");
	expect_bad((orga_learner_args){.login_method = "gar"}, "loginMethod");
	expect_bad((orga_learner_args){.login_method = "SSO"}, "loginMethod");
}

static void
search_length_counts_characters_not_bytes(void **state)
{
	char search[2 * ORGA_LEARNERS_SEARCH_MAX + 1];
	orga_learner_args in = {.search = search};
	parsed p;

	(void)state;
	for (int i = 0; i < ORGA_LEARNERS_SEARCH_MAX; i++)
		memcpy(search + 2 * i, "\xc3\xa9", 2);
	search[2 * ORGA_LEARNERS_SEARCH_MAX] = '\0';
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_string_equal(p.q.search, search);
}

static void
the_last_allowed_page_does_not_overflow(void **state)
{
	orga_learner_args in = {.page = "1000000", .page_size = "200"};
	parsed p;

	(void)state;
	assert_int_equal(parse(&in, &p), COM_OK);
	assert_int_equal(p.q.offset, 999999LL * 200);
	in.page = "1000001";
	assert_int_equal(parse(&in, &p), COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    no_parameters_give_the_first_page_of_50_active_by_last_name),
		cmocka_unit_test(every_parameter_is_read),
		cmocka_unit_test(status_sort_and_order_take_their_listed_values),
		cmocka_unit_test(bad_values_name_their_field),
		cmocka_unit_test(search_length_counts_characters_not_bytes),
		cmocka_unit_test(the_last_allowed_page_does_not_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
