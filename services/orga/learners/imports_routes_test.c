/*
 * api_import_test.c - what an upload is (format from its Content-Type or
 * its first bytes), the ?confirm flag, and the size in the 413 message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "learners/imports_routes.h"
#include "edge/http/http_route.h"

static orga_upload_format
format_of(const char *type)
{
	orga_upload_format f = (orga_upload_format)-1;

	assert_int_equal(orga_upload_format_of(type, &f), COM_OK);
	return f;
}

static void
xml_and_zip_content_types_give_their_format(void **state)
{
	(void)state;
	assert_int_equal(format_of("application/xml"), ORGA_UPLOAD_XML);
	assert_int_equal(format_of("text/xml"), ORGA_UPLOAD_XML);
	assert_int_equal(format_of("text/xml; charset=ISO-8859-15"),
	    ORGA_UPLOAD_XML);
	assert_int_equal(format_of("Application/XML"), ORGA_UPLOAD_XML);
	assert_int_equal(format_of("application/zip"), ORGA_UPLOAD_ZIP);
	assert_int_equal(format_of("application/x-zip-compressed"),
	    ORGA_UPLOAD_ZIP);
}

static void
octet_stream_or_no_content_type_is_sniffed(void **state)
{
	(void)state;
	assert_int_equal(format_of("application/octet-stream"),
	    ORGA_UPLOAD_SNIFF);
	assert_int_equal(format_of(NULL), ORGA_UPLOAD_SNIFF);
	assert_int_equal(format_of(""), ORGA_UPLOAD_SNIFF);
}

static void
other_content_types_are_refused(void **state)
{
	static const char *const bad[] = {
	    "application/x-www-form-urlencoded", "multipart/form-data; b=x",
	    "application/json", "application/xmlfoo", "text/plain",
	    "application/zipx"};
	orga_upload_format f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(orga_upload_format_of(bad[i], &f),
		    COM_EINVAL);
}

static void
zip_is_sniffed_from_its_local_header(void **state)
{
	(void)state;
	assert_true(orga_upload_sniff_zip("PK\x03\x04rest", 8));
	assert_true(orga_upload_sniff_zip("PK\x05\x06", 4));
	assert_false(orga_upload_sniff_zip("PK\x03", 3));
	assert_false(orga_upload_sniff_zip("<?xml version=\"1.0\"?>", 21));
	assert_false(orga_upload_sniff_zip("\xef\xbb\xbf<?xml", 8));
	assert_false(orga_upload_sniff_zip("", 0));
	assert_false(orga_upload_sniff_zip("PK\x07\x08", 4));
}

static void
confirm_flag_accepts_true_false_one_zero(void **state)
{
	bool b = false;

	(void)state;
	assert_int_equal(orga_http_parse_bool("true", &b), COM_OK);
	assert_true(b);
	assert_int_equal(orga_http_parse_bool("0", &b), COM_OK);
	assert_false(b);
	assert_int_equal(orga_http_parse_bool("1", &b), COM_OK);
	assert_true(b);
	assert_int_equal(orga_http_parse_bool("FALSE", &b), COM_OK);
	assert_false(b);
	assert_int_equal(orga_http_parse_bool("yes", &b), COM_EINVAL);
	assert_int_equal(orga_http_parse_bool("", &b), COM_EINVAL);
	assert_int_equal(orga_http_parse_bool(NULL, &b), COM_EINVAL);
	assert_int_equal(orga_http_parse_bool("10", &b), COM_EINVAL);
}

static void
sizes_read_in_binary_units_when_round(void **state)
{
	char out[64];

	(void)state;
	orga_http_size_text(2048LL * 1024 * 1024, out, sizeof(out));
	assert_string_equal(out, "2 Gio");
	orga_http_size_text(20LL * 1024 * 1024, out, sizeof(out));
	assert_string_equal(out, "20 Mio");
	orga_http_size_text(1536LL * 1024 * 1024, out, sizeof(out));
	assert_string_equal(out, "1536 Mio");
	orga_http_size_text(4096, out, sizeof(out));
	assert_string_equal(out, "4 Kio");
	orga_http_size_text(1500, out, sizeof(out));
	assert_string_equal(out, "1500 octets");
	orga_http_size_text(0, out, sizeof(out));
	assert_string_equal(out, "0 octets");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_and_zip_content_types_give_their_format),
		cmocka_unit_test(octet_stream_or_no_content_type_is_sniffed),
		cmocka_unit_test(other_content_types_are_refused),
		cmocka_unit_test(zip_is_sniffed_from_its_local_header),
		cmocka_unit_test(confirm_flag_accepts_true_false_one_zero),
		cmocka_unit_test(sizes_read_in_binary_units_when_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
