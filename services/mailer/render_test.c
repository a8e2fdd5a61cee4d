/*
 * render_test.c - the invitation e-mail: headers, parts, escaping, lines;
 * rendered from the shipped templates (services/mailer/templates, read
 * from the repository root, where tests/run-unit.sh runs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "render.h"

#define LINK                                                            \
	"https://orga.example.fr/rejoindre?invitationId=12&code="          \
	"ABCDEFGHJKMNPQRSTUVWXYZ23456789ABCDEFGHJKMNPQRSTUVWXYZ23456789"

static const char params_pix[] =
    "{\"organizationName\": \"Lycée <Pix> & Co\", \"link\": \"" LINK
    "\", \"role\": \"ADMIN\", \"uai\": \"0123456A\"}";

/* The shipped templates, loaded once for the whole group. */
static mail_templates *templates;

static int
templates_load(void **state)
{
	(void)state;
	return mail_templates_load(MAIL_TEMPLATES_DIR_DEFAULT, &templates) ==
	    COM_OK ? 0 : -1;
}

static int
templates_free(void **state)
{
	(void)state;
	mail_templates_free(templates);
	templates = NULL;
	return 0;
}

static mail_render_in
input(const char *params)
{
	mail_render_in in = {
		.id = "12",
		.stamp = "1700000000",
		.template = "invitation",
		.recipient = "ce.0123456a@ac-exemple.fr",
		.params = params,
		.from = "Orga <ne-pas-repondre@orga.invalid>",
		.help = "aide@orga.example.fr",
		.now = 1700000000,
		.templates = templates,
	};

	return in;
}

/* render_ok renders in into a fresh string the test frees. */
static char *
render_ok(const mail_render_in *in)
{
	com_buf b;

	com_buf_init(&b, MAIL_RENDER_MAX);
	assert_int_equal(mail_render(in, &b), COM_OK);
	return com_buf_steal(&b);
}

/* qp_decode decodes quoted-printable (CRLF lines) into a new string. */
static char *
qp_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	assert_non_null(out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=' && i + 2 < len && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=' && i + 2 < len) {
			char hex[3] = {s[i + 1], s[i + 2], '\0'};

			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			out[o++] = '\n';
			i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* part_decoded finds the part of the given type and decodes its body. */
static char *
part_decoded(const char *msg, const char *type)
{
	char header[80];
	const char *start;
	const char *end;

	snprintf(header, sizeof(header), "Content-Type: %s; charset=UTF-8",
	    type);
	start = strstr(msg, header);
	assert_non_null(start);
	start = strstr(start, "\r\n\r\n");
	assert_non_null(start);
	start += 4;
	end = strstr(start, "\r\n--=_orga_12_1700000000");
	assert_non_null(end);
	return qp_decode(start, (size_t)(end - start));
}

static int
b64_value(char c)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(alpha, c);

	return c != '\0' && p != NULL ? (int)(p - alpha) : -1;
}

/* b64_decode decodes a padded base64 run of len characters. */
static char *
b64_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;

	assert_non_null(out);
	for (size_t i = 0; i < len && s[i] != '='; i++) {
		int v = b64_value(s[i]);

		assert_true(v >= 0);
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

static void
invitation_has_every_header(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);

	(void)state;
	assert_non_null(
	    strstr(msg, "From: Orga <ne-pas-repondre@orga.invalid>\r\n"));
	assert_non_null(strstr(msg, "\r\nTo: ce.0123456a@ac-exemple.fr\r\n"));
	assert_non_null(strstr(msg, "\r\nSubject: =?UTF-8?B?"));
	assert_non_null(
	    strstr(msg, "\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
	assert_non_null(strstr(msg,
	    "\r\nMessage-ID: <orga.12.1700000000@orga.invalid>\r\n"));
	assert_non_null(strstr(msg, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(msg,
	    "\r\nContent-Type: multipart/alternative;\r\n"
	    " boundary=\"=_orga_12_1700000000\"\r\n"));
	free(msg);
}

static void
subject_is_encoded_utf8_and_decodes_to_the_french_text(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	const char *word = strstr(msg, "Subject: =?UTF-8?B?");
	const char *end;
	char *subject;

	(void)state;
	assert_non_null(word);
	word += strlen("Subject: =?UTF-8?B?");
	end = strstr(word, "?=");
	assert_non_null(end);
	subject = b64_decode(word, (size_t)(end - word));
	assert_string_equal(subject, "Invitation à rejoindre Orga");
	free(subject);
	free(msg);
}

static void
message_holds_a_text_part_and_an_html_part(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	char *text;
	char *html;

	(void)state;
	text = part_decoded(msg, "text/plain");
	html = part_decoded(msg, "text/html");
	assert_non_null(strstr(text, "Vous êtes invité(e) à rejoindre Orga"));
	assert_non_null(strstr(text, "Ceci est un e-mail automatique, merci "
	                             "de ne pas y répondre."));
	assert_non_null(strstr(html, "<html lang=\"fr\">"));
	assert_non_null(strstr(html, ">Accepter l'invitation</a>"));
	assert_non_null(strstr(html, "Orga est le service public en ligne "
	                             "pour évaluer, développer et certifier "
	                             "ses compétences numériques."));
	assert_non_null(strstr(msg, "\r\n--=_orga_12_1700000000--\r\n"));
	free(html);
	free(text);
	free(msg);
}

static void
message_names_the_uai_the_role_the_help_contact_and_the_resend_rule(
    void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	char *text = part_decoded(msg, "text/plain");
	char *html = part_decoded(msg, "text/html");
	mail_render_in member = input("{\"organizationName\": \"Lycée\", "
	    "\"link\": \"" LINK "\", \"role\": \"MEMBER\"}");
	char *msg2 = render_ok(&member);
	char *text2 = part_decoded(msg2, "text/plain");

	(void)state;
	assert_non_null(strstr(text, "UAI : 0123456A\n"));
	assert_non_null(strstr(text, "Rôle proposé : Administrateur\n"));
	assert_non_null(strstr(text, "Écrivez à aide@orga.example.fr"));
	assert_non_null(strstr(text, "les liens des e-mails précédents ne "
	                             "fonctionnent plus."));
	assert_non_null(strstr(html, "UAI 0123456A"));
	assert_non_null(strstr(html, "Administrateur"));
	assert_non_null(strstr(html, "<a href=\"mailto:aide@orga.example.fr\""));
	/* A row queued before the UAI was in the params still goes. */
	assert_non_null(strstr(text2, "UAI : non précisé\n"));
	assert_non_null(strstr(text2, "Rôle proposé : Membre\n"));
	free(text2);
	free(msg2);
	free(html);
	free(text);
	free(msg);
}

static void
a_missing_help_contact_is_refused(void **state)
{
	mail_render_in in = input(params_pix);
	com_buf b;

	(void)state;
	in.help = NULL;
	com_buf_init(&b, MAIL_RENDER_MAX);
	assert_int_equal(mail_render(&in, &b), COM_EINVAL);
	com_buf_fini(&b);
}

static void
school_name_is_escaped_in_html_and_plain_in_text(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	char *text = part_decoded(msg, "text/plain");
	char *html = part_decoded(msg, "text/html");

	(void)state;
	assert_non_null(strstr(text, "Lycée <Pix> & Co"));
	assert_non_null(strstr(html, "Lycée &lt;Pix&gt; &amp; Co"));
	assert_null(strstr(html, "<Pix>"));
	free(html);
	free(text);
	free(msg);
}

static void
link_is_whole_in_both_parts_once_decoded(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	char *text = part_decoded(msg, "text/plain");
	char *html = part_decoded(msg, "text/html");

	(void)state;
	assert_non_null(strstr(text, "\n" LINK "\n"));
	assert_non_null(strstr(html,
	    "<a href=\"https://orga.example.fr/rejoindre?invitationId=12"
	    "&amp;code=ABCDEFGHJKMNPQRSTUVWXYZ23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	    "23456789\""));
	free(html);
	free(text);
	free(msg);
}

static void
every_line_ends_in_crlf_and_stays_short(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg = render_ok(&in);
	const char *body = strstr(msg, "\r\n\r\n");
	const char *line = msg;

	(void)state;
	assert_non_null(body);
	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t len;

		assert_non_null(nl);
		assert_true(nl > line && nl[-1] == '\r');
		len = (size_t)(nl - line) - 1;
		assert_true(len <= 998);
		if (line > body)
			assert_true(len <= 76);
		for (const char *p = line; p < nl - 1; p++)
			assert_true(*p != '\r' && (unsigned char)*p < 0x80);
		line = nl + 1;
	}
	free(msg);
}

static void
unknown_template_is_a_permanent_failure(void **state)
{
	mail_render_in in = input(params_pix);
	com_buf b;

	(void)state;
	in.template = "newsletter";
	com_buf_init(&b, MAIL_RENDER_MAX);
	assert_int_equal(mail_render(&in, &b), COM_ENOTFOUND);
	com_buf_fini(&b);
}

static void
malformed_params_or_recipient_are_refused(void **state)
{
	static const char *const bad[] = {
		"not json",
		"[]",
		"{\"organizationName\": \"Lycée\"}",
		"{\"organizationName\": \"\", \"link\": \"" LINK "\"}",
		"{\"organizationName\": \"L\", \"link\": \"javascript:x()\"}",
		"{\"organizationName\": \"L\", \"link\": \"https://a b\"}",
		"{\"organizationName\": \"L\", \"link\": \"https://a\\\"b\"}",
		"{\"organizationName\": 3, \"link\": \"" LINK "\"}",
	};
	mail_render_in in;
	com_buf b;

	(void)state;
	com_buf_init(&b, MAIL_RENDER_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = input(bad[i]);
		com_buf_reset(&b);
		assert_int_equal(mail_render(&in, &b), COM_EINVAL);
	}
	in = input(params_pix);
	in.recipient = "a@b.fr\r\nBcc: c@d.fr";
	assert_int_equal(mail_render(&in, &b), COM_EINVAL);
	com_buf_fini(&b);
}

static void
accented_sender_name_is_encoded(void **state)
{
	mail_render_in in = input(params_pix);
	char *msg;

	(void)state;
	in.from = "Équipe Orga <contact@orga.example.fr>";
	msg = render_ok(&in);
	assert_non_null(strstr(msg, "From: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "?=\r\n <contact@orga.example.fr>\r\n"));
	assert_non_null(strstr(msg, "@orga.example.fr>\r\nMIME-Version"));
	free(msg);
}

static void
too_small_a_buffer_fails_cleanly(void **state)
{
	mail_render_in in = input(params_pix);
	com_buf b;

	(void)state;
	for (size_t max = 0; max < 2000; max += 97) {
		com_buf_init(&b, max);
		assert_int_equal(mail_render(&in, &b), COM_ETOOLARGE);
		com_buf_fini(&b);
	}
}

static void
password_reset_mail_holds_the_link_and_no_school(void **state)
{
	mail_render_in in = input("{\"link\": \"https://orga.example.fr/"
	                          "mot-de-passe/nouveau?jeton=abc_DEF-123\"}");
	char *msg, *text, *html;

	(void)state;
	in.template = "password_reset";
	msg = render_ok(&in);
	assert_non_null(strstr(msg, "Subject: =?UTF-8?"));
	text = part_decoded(msg, "text/plain");
	html = part_decoded(msg, "text/html");
	assert_non_null(strstr(text, "Choisissez un nouveau mot de passe"));
	assert_non_null(strstr(text, "https://orga.example.fr/mot-de-passe/"
	                             "nouveau?jeton=abc_DEF-123"));
	assert_non_null(strstr(html, "href=\"https://orga.example.fr/"
	                             "mot-de-passe/nouveau?jeton=abc_DEF-123"));
	assert_null(strstr(text, "Établissement"));
	free(html);
	free(text);
	free(msg);
	/* A link that is not one is refused for good. */
	in.params = "{\"link\": \"javascript:alert(1)\"}";
	{
		com_buf b;

		com_buf_init(&b, MAIL_RENDER_MAX);
		assert_int_equal(mail_render(&in, &b), COM_EINVAL);
		com_buf_fini(&b);
	}
}

static void
no_templates_is_a_permanent_failure(void **state)
{
	mail_render_in in = input(params_pix);
	com_buf b;

	(void)state;
	in.templates = NULL;
	com_buf_init(&b, MAIL_RENDER_MAX);
	assert_int_equal(mail_render(&in, &b), COM_EINVAL);
	com_buf_fini(&b);
}

static void
html_escape_replaces_markup_and_controls(void **state)
{
	com_buf b;

	(void)state;
	com_buf_init(&b, 1024);
	assert_int_equal(mail_render_html_escape(&b, "a<b>&\"c'\n"), COM_OK);
	assert_string_equal(com_buf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39; ");
	com_buf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invitation_has_every_header),
		cmocka_unit_test(
		    subject_is_encoded_utf8_and_decodes_to_the_french_text),
		cmocka_unit_test(
		    message_names_the_uai_the_role_the_help_contact_and_the_resend_rule),
		cmocka_unit_test(a_missing_help_contact_is_refused),
		cmocka_unit_test(message_holds_a_text_part_and_an_html_part),
		cmocka_unit_test(
		    school_name_is_escaped_in_html_and_plain_in_text),
		cmocka_unit_test(link_is_whole_in_both_parts_once_decoded),
		cmocka_unit_test(every_line_ends_in_crlf_and_stays_short),
		cmocka_unit_test(unknown_template_is_a_permanent_failure),
		cmocka_unit_test(malformed_params_or_recipient_are_refused),
		cmocka_unit_test(accented_sender_name_is_encoded),
		cmocka_unit_test(too_small_a_buffer_fails_cleanly),
		cmocka_unit_test(password_reset_mail_holds_the_link_and_no_school),
		cmocka_unit_test(no_templates_is_a_permanent_failure),
		cmocka_unit_test(html_escape_replaces_markup_and_controls),
	};

	return cmocka_run_group_tests(tests, templates_load, templates_free);
}
