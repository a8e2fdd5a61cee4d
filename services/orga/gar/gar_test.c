/* gar_test.c - the pure parts of the GAR login: returnTo, SAML times,
 * attribute values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gar/gar.h"
#include "gar/saml.h"

static const char *
return_to(const char *in)
{
	static char out[ORGA_GAR_RETURN_TO_MAX];

	orga_gar_return_to(in, out, sizeof(out));
	return out;
}

static void
return_to_keeps_paths_of_this_site(void **state)
{
	(void)state;
	assert_string_equal(return_to("/campagnes/ABCDEF123"),
	    "/campagnes/ABCDEF123");
	assert_string_equal(return_to("/campagnes?code=ABC&x=1#top"),
	    "/campagnes?code=ABC&x=1#top");
	assert_string_equal(return_to("/"), "/");
}

static void
return_to_falls_back_to_the_home_page_for_anything_else(void **state)
{
	char long_path[1100];

	(void)state;
	assert_string_equal(return_to(NULL), "/");
	assert_string_equal(return_to(""), "/");
	assert_string_equal(return_to("https://evil.example/"), "/");
	assert_string_equal(return_to("//evil.example/x"), "/");
	assert_string_equal(return_to("/\\evil.example"), "/");
	assert_string_equal(return_to("/a\\b"), "/");
	assert_string_equal(return_to("campagnes"), "/");
	assert_string_equal(return_to("javascript:alert(1)"), "/");
	assert_string_equal(return_to("/a b"), "/");
	assert_string_equal(return_to("/a\r\nSet-Cookie: x=1"), "/");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_string_equal(return_to(long_path), "/");
}

static void
saml_times_are_read_as_utc_seconds(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(orga_saml_time_parse("1970-01-01T00:00:00Z", &t),
	    COM_OK);
	assert_int_equal(t, 0);
	assert_int_equal(orga_saml_time_parse("2024-02-29T12:30:15Z", &t),
	    COM_OK);
	assert_int_equal(t, 1709209815);
	assert_int_equal(orga_saml_time_parse("2024-02-29T12:30:15.123Z", &t),
	    COM_OK);
	assert_int_equal(t, 1709209815);
	assert_int_equal(orga_saml_time_parse("2024-02-29T12:30:15+00:00",
	    &t), COM_OK);
	assert_int_equal(t, 1709209815);
}

static void
malformed_or_zoned_saml_times_are_refused(void **state)
{
	int64_t t = 42;

	(void)state;
	assert_int_equal(orga_saml_time_parse(NULL, &t), COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2023-02-29T00:00:00Z", &t),
	    COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2024-01-01T00:00:00", &t),
	    COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2024-01-01T00:00:00+02:00",
	    &t), COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2024-13-01T00:00:00Z", &t),
	    COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2024-01-01 00:00:00Z", &t),
	    COM_EINVAL);
	assert_int_equal(orga_saml_time_parse("2024-01-01T00:00:00.Z", &t),
	    COM_EINVAL);
	assert_int_equal(t, 42);
}

static void
names_are_trimmed_and_checked(void **state)
{
	char out[ORGA_NAME_MAX];
	char big[300];

	(void)state;
	assert_int_equal(orga_saml_name_clean("  Jean-Pierre D'Arc \n", out,
	    sizeof(out)), COM_OK);
	assert_string_equal(out, "Jean-Pierre D'Arc");
	assert_int_equal(orga_saml_name_clean("Éloïse", out, sizeof(out)),
	    COM_OK);
	assert_string_equal(out, "Éloïse");
	assert_int_equal(orga_saml_name_clean(NULL, out, sizeof(out)),
	    COM_EINVAL);
	assert_int_equal(orga_saml_name_clean("   ", out, sizeof(out)),
	    COM_EINVAL);
	assert_int_equal(orga_saml_name_clean("a\x01" "b", out, sizeof(out)),
	    COM_EINVAL);
	assert_int_equal(orga_saml_name_clean("\xc3(", out, sizeof(out)),
	    COM_EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(orga_saml_name_clean(big, out, sizeof(out)),
	    COM_EINVAL);
}

static void
an_ido_is_printable_ascii_of_at_most_256_bytes(void **state)
{
	char big[300];

	(void)state;
	assert_true(orga_saml_ido_ok("b3c1f9a0-1234"));
	assert_false(orga_saml_ido_ok(NULL));
	assert_false(orga_saml_ido_ok(""));
	assert_false(orga_saml_ido_ok("a b"));
	assert_false(orga_saml_ido_ok("é"));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(orga_saml_ido_ok(big));
	big[256] = '\0';
	assert_true(orga_saml_ido_ok(big));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(return_to_keeps_paths_of_this_site),
		cmocka_unit_test(
		    return_to_falls_back_to_the_home_page_for_anything_else),
		cmocka_unit_test(saml_times_are_read_as_utc_seconds),
		cmocka_unit_test(malformed_or_zoned_saml_times_are_refused),
		cmocka_unit_test(names_are_trimmed_and_checked),
		cmocka_unit_test(an_ido_is_printable_ascii_of_at_most_256_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
