/*
 * template_test.c - the template syntax ({{placeholder}} only, unknown
 * ones refused with their line), expansion through an escaper, and the
 * loader's refusals (missing file, no subject line) on files it writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "template.h"

static const char *const values[MAIL_VAR_COUNT] = {
	[MAIL_VAR_SCHOOL_NAME] = "A & B",
	[MAIL_VAR_LINK] = "https://x.example/?a=1",
};

/* upper is an escaper that upper-cases ASCII, to see it applied. */
static com_err
upper(com_buf *out, const char *s)
{
	com_err rv = COM_OK;

	for (; *s != '\0' && rv == COM_OK; s++) {
		char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;

		rv = com_buf_append(out, &c, 1);
	}
	return rv;
}

/* expand parses src and returns its expansion, which the test frees. */
static char *
expand(const char *src)
{
	char why[120] = "";
	mail_template t;
	com_buf b;

	assert_int_equal(mail_template_parse(src, strlen(src), 1, &t, why,
	    sizeof(why)), COM_OK);
	com_buf_init(&b, 4096);
	assert_int_equal(mail_template_expand(&t, values, upper, &b), COM_OK);
	mail_template_fini(&t);
	return com_buf_steal(&b);
}

/* refused parses len bytes of src, checks COM_EINVAL and the reason. */
static void
refused(const char *src, size_t len, const char *want)
{
	char why[120] = "";
	mail_template t;

	assert_int_equal(mail_template_parse(src, len, 1, &t, why,
	    sizeof(why)), COM_EINVAL);
	assert_string_equal(why, want);
}

static void
placeholders_are_replaced_through_the_escaper(void **state)
{
	char *s;

	(void)state;
	s = expand("<p>{{school_name}}</p><a href=\"{{link}}\">{{link}}</a>");
	assert_string_equal(s, "<p>A & B</p><a href=\"HTTPS://X.EXAMPLE/?A=1\">"
	                       "HTTPS://X.EXAMPLE/?A=1</a>");
	free(s);
	s = expand("{{link}}");
	assert_string_equal(s, "HTTPS://X.EXAMPLE/?A=1");
	free(s);
}

static void
text_without_placeholders_is_kept_byte_for_byte(void **state)
{
	char *s;

	(void)state;
	s = expand("a { b } {c} }} -- \n\n");
	assert_string_equal(s, "a { b } {c} }} -- \n\n");
	free(s);
	s = expand("");
	assert_string_equal(s, "");
	free(s);
}

static void
unknown_or_unclosed_placeholders_are_refused_with_their_line(void **state)
{
	(void)state;
	refused("Bonjour\n{{nom}}", 15, "line 2: unknown placeholder {{nom}}");
	refused("{{ link }}", 10, "line 1: unknown placeholder {{ link }}");
	refused("{{}}", 4, "line 1: unknown placeholder {{}}");
	refused("a\nb\n{{link", 10, "line 3: \"{{\" without \"}}\"");
	refused("a\0b", 3, "holds a NUL byte");
}

static void
a_full_buffer_stops_the_expansion(void **state)
{
	char why[120] = "";
	mail_template t;
	com_buf b;

	(void)state;
	assert_int_equal(mail_template_parse("abc{{link}}", 11, 1, &t, why,
	    sizeof(why)), COM_OK);
	com_buf_init(&b, 8);
	assert_int_equal(mail_template_expand(&t, values, upper, &b),
	    COM_ETOOLARGE);
	com_buf_fini(&b);
	mail_template_fini(&t);
}

/* write_file writes text as dir/name. */
static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)unlink(path);
}

static void
loader_refuses_a_missing_file_or_a_bad_subject(void **state)
{
	/* Each step writes one file, then loads the directory. */
	static const struct {
		const char *name;
		const char *text;
		com_err want;
	} steps[] = {
		{NULL, NULL, COM_ENOTFOUND},
		{"invitation.txt", "Subject: Invitation\n\n{{link}}\n",
		    COM_ENOTFOUND},
		{"invitation.html", "<p>{{school}}</p>\n", COM_EINVAL},
		{"invitation.html", "<p>{{school_name}}</p>\n", COM_ENOTFOUND},
		{"password_reset.txt", "Subject: R\n\n{{link}}\n", COM_ENOTFOUND},
		{"password_reset.html", "<p>{{lien}}</p>\n", COM_EINVAL},
		{"password_reset.html", "<p>{{link}}</p>\n", COM_OK},
		{"invitation.txt", "Invitation\n\n{{link}}\n", COM_EINVAL},
		{"invitation.txt", "Subject: Invitation\n{{link}}\n", COM_EINVAL},
		{"invitation.txt", "Subject: In\tvitation\n\nx\n", COM_EINVAL},
		{"invitation.txt", "Subject: x\n\n\n{{lien}}\n", COM_EINVAL},
	};
	char dir[] = "/tmp/orga-templates-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		mail_templates *t = NULL;

		if (steps[i].name != NULL)
			write_file(dir, steps[i].name, steps[i].text);
		assert_int_equal(mail_templates_load(dir, &t), steps[i].want);
		assert_true((t != NULL) == (steps[i].want == COM_OK));
		mail_templates_free(t);
	}
	remove_file(dir, "invitation.txt");
	remove_file(dir, "invitation.html");
	remove_file(dir, "password_reset.txt");
	remove_file(dir, "password_reset.html");
	assert_int_equal(rmdir(dir), 0);
}

static void
shipped_templates_load(void **state)
{
	mail_templates *t = NULL;

	(void)state;
	assert_int_equal(mail_templates_load(MAIL_TEMPLATES_DIR_DEFAULT, &t),
	    COM_OK);
	assert_true(t->subject.count > 0 && t->text.count > 0 &&
	    t->html.count > 0);
	assert_true(t->reset->subject.count > 0 && t->reset->text.count > 0 &&
	    t->reset->html.count > 0);
	mail_templates_free(t);
	mail_templates_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(placeholders_are_replaced_through_the_escaper),
		cmocka_unit_test(text_without_placeholders_is_kept_byte_for_byte),
		cmocka_unit_test(
		    unknown_or_unclosed_placeholders_are_refused_with_their_line),
		cmocka_unit_test(a_full_buffer_stops_the_expansion),
		cmocka_unit_test(loader_refuses_a_missing_file_or_a_bad_subject),
		cmocka_unit_test(shipped_templates_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
