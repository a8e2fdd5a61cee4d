/* validate_test.c - UAI, e-mail and password rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

static void
uai_with_lower_case_letter_is_upper_cased(void **state)
{
	char out[COM_UAI_SIZE];

	(void)state;
	assert_int_equal(com_uai_normalize(" 0123456a ", out), COM_OK);
	assert_string_equal(out, "0123456A");
}

static void
uai_of_wrong_shape_is_refused(void **state)
{
	char out[COM_UAI_SIZE];
	static const char *const bad[] = {"", "123456A", "01234567", "0123456AB",
	    "A1234567", "01234 6A", "WRONGUAI", "0123456É"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(com_uai_normalize(bad[i], out), COM_EINVAL);
}

static void
email_is_trimmed_and_lower_cased(void **state)
{
	char out[COM_EMAIL_MAX + 1];

	(void)state;
	assert_int_equal(com_email_normalize("  Ce.0123456A@AC-Exemple.FR\n",
	                     out, sizeof(out)),
	    COM_OK);
	assert_string_equal(out, "ce.0123456a@ac-exemple.fr");
}

static void
malformed_emails_are_refused(void **state)
{
	char out[COM_EMAIL_MAX + 1];
	static const char *const bad[] = {"", "prof", "prof@", "@x.fr",
	    "prof@x", "prof@@x.fr", "pr of@x.fr", "prof@x..fr", "prof@.fr",
	    "a@b.fr,c@d.fr", "prof@x.", "rémi.x@ac-exemple.fr"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(com_email_normalize(bad[i], out, sizeof(out)),
		    COM_EINVAL);
}

static void
password_needs_eight_chars_upper_lower_digit(void **state)
{
	(void)state;
	assert_true(com_password_strong("Pix12345"));
	assert_true(com_password_strong("éléPhant9"));
	assert_false(com_password_strong("Pix1234"));
	assert_false(com_password_strong("pix12345"));
	assert_false(com_password_strong("PIX12345"));
	assert_false(com_password_strong("Pixpixpix"));
	assert_false(com_password_strong(""));
	/* Seven code points though more than eight bytes. */
	assert_false(com_password_strong("Éé1aaaa"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uai_with_lower_case_letter_is_upper_cased),
		cmocka_unit_test(uai_of_wrong_shape_is_refused),
		cmocka_unit_test(email_is_trimmed_and_lower_cased),
		cmocka_unit_test(malformed_emails_are_refused),
		cmocka_unit_test(password_needs_eight_chars_upper_lower_digit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
