/* form_test.c - urlencoded form fields and HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"

static com_err
field(const char *body, const char *name, char *out, size_t max)
{
	com_buf b;
	com_err rv;

	com_buf_init(&b, max);
	rv = com_form_value(body, strlen(body), name, &b);
	snprintf(out, 256, "%s", com_buf_str(&b));
	com_buf_fini(&b);
	return rv;
}

static void
a_field_is_found_and_decoded(void **state)
{
	char v[256];

	(void)state;
	assert_int_equal(field("SAMLResponse=PHNh%2Bbg%3D%3D&RelayState="
	    "%2Fcampagnes%2FABC+x", "SAMLResponse", v, 255), COM_OK);
	assert_string_equal(v, "PHNh+bg==");
	assert_int_equal(field("SAMLResponse=a&RelayState=%2Fcampagnes%2FABC+x",
	    "RelayState", v, 255), COM_OK);
	assert_string_equal(v, "/campagnes/ABC x");
	assert_int_equal(field("a=&b", "a", v, 255), COM_OK);
	assert_string_equal(v, "");
	assert_int_equal(field("a=1&b", "b", v, 255), COM_OK);
	assert_string_equal(v, "");
}

static void
absent_repeated_or_malformed_fields_are_refused(void **state)
{
	char v[256];

	(void)state;
	assert_int_equal(field("a=1&bb=2", "b", v, 255), COM_ENOTFOUND);
	assert_int_equal(field("", "a", v, 255), COM_ENOTFOUND);
	assert_int_equal(field("a=1&a=2", "a", v, 255), COM_EINVAL);
	assert_int_equal(field("a=%4", "a", v, 255), COM_EINVAL);
	assert_int_equal(field("a=%zz", "a", v, 255), COM_EINVAL);
	assert_int_equal(field("a=123456", "a", v, 4), COM_ETOOLARGE);
}

static void
html_escaping_covers_text_and_attributes(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 256);
	assert_int_equal(com_html_escape(&b, "<a href=\"x\">l'é & co</a>"),
	    COM_OK);
	assert_string_equal(com_buf_str(&b), "&lt;a href=&quot;x&quot;&gt;"
	    "l&#39;é &amp; co&lt;/a&gt;");
	com_buf_fini(&b);
	com_buf_init(&b, 3);
	assert_int_equal(com_html_escape(&b, "<"), COM_ETOOLARGE);
	com_buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_field_is_found_and_decoded),
		cmocka_unit_test(absent_repeated_or_malformed_fields_are_refused),
		cmocka_unit_test(html_escaping_covers_text_and_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
