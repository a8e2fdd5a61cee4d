/* mime_test.c - base64, quoted-printable, encoded words, sender parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "mime.h"

static void
base64_pads_the_last_group(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 64);
	assert_int_equal(mail_mime_base64(&b, "M", 1), COM_OK);
	assert_int_equal(mail_mime_base64(&b, "Ma", 2), COM_OK);
	assert_int_equal(mail_mime_base64(&b, "Man", 3), COM_OK);
	assert_string_equal(com_buf_str(&b), "TQ==TWE=TWFu");
	com_buf_fini(&b);
}

static void
qp_keeps_ascii_and_escapes_the_rest(void **state)
{
	const char in[] = "é = x \n.dot\nend ";
	com_buf b;

	(void)state;
	com_buf_init(&b, 256);
	assert_int_equal(mail_mime_qp(&b, in, strlen(in)), COM_OK);
	assert_string_equal(com_buf_str(&b),
	    "=C3=A9 =3D x=20\r\n=2Edot\r\nend=20\r\n");
	com_buf_fini(&b);
}

static void
qp_breaks_long_lines_softly_without_splitting_escapes(void **state)
{
	char in[300];
	com_buf b;
	const char *line;

	(void)state;
	for (size_t i = 0; i < sizeof(in) - 1; i++)
		in[i] = i % 7 == 0 ? '=' : 'a';
	in[sizeof(in) - 1] = '\0';
	com_buf_init(&b, 4096);
	assert_int_equal(mail_mime_qp(&b, in, strlen(in)), COM_OK);
	line = com_buf_str(&b);
	while (*line != '\0') {
		const char *end = strstr(line, "\r\n");

		assert_non_null(end);
		assert_true(end - line <= 76);
		/* A soft break follows a whole token: "=" ends the line. */
		if (end[2] != '\0')
			assert_int_equal(end[-1], '=');
		line = end + 2;
	}
	com_buf_fini(&b);
}

static void
header_words_leave_plain_ascii_alone(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 256);
	assert_int_equal(mail_mime_header_words(&b, "Hello Orga", 9), COM_OK);
	assert_string_equal(com_buf_str(&b), "Hello Orga");
	com_buf_fini(&b);
}

static void
header_words_fold_long_text_on_character_boundaries(void **state)
{
	com_buf b;
	const char *s;

	(void)state;
	com_buf_init(&b, 4096);
	assert_int_equal(mail_mime_header_words(&b,
	                     "Élève éééééééééééééééééééééééééééééééééééééé"
	                     "ééééééééééééééé",
	                     9),
	    COM_OK);
	s = com_buf_str(&b);
	assert_non_null(strstr(s, "?=\r\n =?UTF-8?B?"));
	for (const char *line = s; line != NULL;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);

		assert_true(len <= 77);
		line = end != NULL ? end + 2 : NULL;
	}
	com_buf_fini(&b);
}

static void
header_words_refuse_controls_and_bad_utf8(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 256);
	assert_int_equal(mail_mime_header_words(&b, "a\r\nBcc: x", 9),
	    COM_EINVAL);
	com_buf_reset(&b);
	assert_int_equal(mail_mime_header_words(&b, "caf\xc3", 9), COM_EINVAL);
	com_buf_fini(&b);
}

static void
from_setting_splits_name_and_address(void **state)
{
	char name[MAIL_NAME_SIZE];
	char addr[MAIL_ADDR_SIZE];

	(void)state;
	assert_int_equal(mail_mime_from_parse(
	                     " Orga <ne-pas-repondre@orga.invalid> ", name,
	                     addr),
	    COM_OK);
	assert_string_equal(name, "Orga");
	assert_string_equal(addr, "ne-pas-repondre@orga.invalid");
	assert_int_equal(mail_mime_from_parse("\"Orga, Pix\" <a@b.fr>", name,
	                     addr),
	    COM_OK);
	assert_string_equal(name, "Orga, Pix");
	assert_int_equal(mail_mime_from_parse("a@b.fr", name, addr), COM_OK);
	assert_string_equal(name, "");
	assert_string_equal(addr, "a@b.fr");
}

static void
from_setting_without_a_valid_address_is_refused(void **state)
{
	static const char *const bad[] = {
		"", "Orga", "Orga <>", "Orga <a b@c.fr>", "Orga <a@c.fr",
		"Orga <a@c.fr> x", "<@c.fr>", "a@", "Or\nga <a@b.fr>",
	};
	char name[MAIL_NAME_SIZE];
	char addr[MAIL_ADDR_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mail_mime_from_parse(bad[i], name, addr),
		    COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base64_pads_the_last_group),
		cmocka_unit_test(qp_keeps_ascii_and_escapes_the_rest),
		cmocka_unit_test(
		    qp_breaks_long_lines_softly_without_splitting_escapes),
		cmocka_unit_test(header_words_leave_plain_ascii_alone),
		cmocka_unit_test(
		    header_words_fold_long_text_on_character_boundaries),
		cmocka_unit_test(header_words_refuse_controls_and_bad_utf8),
		cmocka_unit_test(from_setting_splits_name_and_address),
		cmocka_unit_test(
		    from_setting_without_a_valid_address_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
