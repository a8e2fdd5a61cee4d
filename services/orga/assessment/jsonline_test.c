/* jsonline_test.c - the line where each JSON value starts, by path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assessment/jsonline.h"

static const char test_doc[] =
	"{\n"                                   /* 1 */
	"  \"a\": 1,\n"                         /* 2 */
	"  \"list\": [\n"                       /* 3 */
	"    {\"x\": \"brace } and \\\" quote\",\n"   /* 4 */
	"     \"y\": [true,\n"                  /* 5 */
	"       null]},\n"                      /* 6 */
	"    -2.5e3\n"                          /* 7 */
	"  ],\n"                                /* 8 */
	"  \"caf\\u00e9\": {\n"                 /* 9 */
	"    \"k\": false\n"                    /* 10 */
	"  }\n"                                 /* 11 */
	"}\n";

static void
each_value_is_found_at_its_line(void **state)
{
	orga_jsonline *ix = NULL;

	(void)state;
	assert_int_equal(orga_jsonline_new(test_doc, strlen(test_doc), &ix),
	    COM_OK);
	assert_int_equal(orga_jsonline_find(ix, ""), 1);
	assert_int_equal(orga_jsonline_find(ix, "a"), 2);
	assert_int_equal(orga_jsonline_find(ix, "list"), 3);
	assert_int_equal(orga_jsonline_find(ix, "list[0]"), 4);
	assert_int_equal(orga_jsonline_find(ix, "list[0].x"), 4);
	assert_int_equal(orga_jsonline_find(ix, "list[0].y"), 5);
	assert_int_equal(orga_jsonline_find(ix, "list[0].y[1]"), 6);
	assert_int_equal(orga_jsonline_find(ix, "list[1]"), 7);
	assert_int_equal(orga_jsonline_find(ix, "caf\xc3\xa9.k"), 10);
	orga_jsonline_free(ix);
}

static void
a_missing_value_is_found_at_its_nearest_ancestor(void **state)
{
	orga_jsonline *ix = NULL;

	(void)state;
	assert_int_equal(orga_jsonline_new(test_doc, strlen(test_doc), &ix),
	    COM_OK);
	assert_int_equal(orga_jsonline_find(ix, "list[0].z"), 4);
	assert_int_equal(orga_jsonline_find(ix, "list[0].y[7]"), 5);
	assert_int_equal(orga_jsonline_find(ix, "list[9].q"), 3);
	assert_int_equal(orga_jsonline_find(ix, "nothing"), 1);
	orga_jsonline_free(ix);
}

static void
broken_or_too_deep_text_is_refused(void **state)
{
	orga_jsonline *ix = NULL;
	char deep[200];

	(void)state;
	assert_int_equal(orga_jsonline_new("{\"a\": [1}", 9, &ix), COM_EINVAL);
	assert_int_equal(orga_jsonline_new("{\"a\": \"x", 8, &ix), COM_EINVAL);
	assert_int_equal(orga_jsonline_new("[\"\\q\"]", 6, &ix), COM_EINVAL);
	assert_int_equal(orga_jsonline_new("{1: 2}", 6, &ix), COM_EINVAL);
	memset(deep, '[', sizeof(deep));
	assert_int_equal(orga_jsonline_new(deep, sizeof(deep), &ix),
	    COM_EINVAL);
	assert_null(ix);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_value_is_found_at_its_line),
		cmocka_unit_test(
		    a_missing_value_is_found_at_its_nearest_ancestor),
		cmocka_unit_test(broken_or_too_deep_text_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
