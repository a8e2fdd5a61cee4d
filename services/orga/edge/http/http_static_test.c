/* static_test.c - which URLs may name a file, and their content types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edge/http/http_static.h"

static void
plain_paths_are_accepted(void **state)
{
	static const char *const ok[] = {"/", "/index.html", "/app.mjs",
	    "/docs/", "/assets/logo.svg", "/rejoindre", "/a.b/c"};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(orga_static_path_ok(ok[i]));
}

static void
traversal_and_dot_files_are_refused(void **state)
{
	static const char *const bad[] = {"", "index.html", "/..", "/../x",
	    "/a/../b", "/a/..", "/.env", "/.git/config", "/a//b", "/a\\..\\b",
	    "/./a"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(orga_static_path_ok(bad[i]));
	assert_false(orga_static_path_ok(NULL));
}

static void
content_types_follow_the_extension(void **state)
{
	(void)state;
	assert_string_equal(orga_static_content_type("index.html"),
	    "text/html; charset=utf-8");
	assert_string_equal(orga_static_content_type("app.mjs"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(orga_static_content_type("app.js"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(orga_static_content_type("s.CSS"),
	    "text/css; charset=utf-8");
	assert_string_equal(orga_static_content_type("logo.svg"),
	    "image/svg+xml");
	assert_string_equal(orga_static_content_type("f.woff2"), "font/woff2");
	assert_string_equal(orga_static_content_type("favicon.ico"),
	    "image/x-icon");
	assert_string_equal(orga_static_content_type("a.png"), "image/png");
	assert_string_equal(orga_static_content_type("robots.txt"),
	    "text/plain; charset=utf-8");
	assert_string_equal(orga_static_content_type("/x.d/README"),
	    "application/octet-stream");
	assert_string_equal(orga_static_content_type("archive.tar.gz"),
	    "application/octet-stream");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_paths_are_accepted),
		cmocka_unit_test(traversal_and_dot_files_are_refused),
		cmocka_unit_test(content_types_follow_the_extension),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
