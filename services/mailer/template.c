/*
 * template.c - reads and checks the mail templates at start, and expands
 * them: literal runs copied, each {{placeholder}} through its escaper.
 */
#include "template.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAIL_WHY_SIZE 160
#define MAIL_PATH_SIZE 1024
#define MAIL_SUBJECT_PREFIX "Subject: "

/* The placeholder names, indexed by mail_var. */
static const char *const mail_var_names[MAIL_VAR_COUNT] = {
	[MAIL_VAR_SCHOOL_NAME] = "school_name",
	[MAIL_VAR_LINK] = "link",
	[MAIL_VAR_UAI] = "uai",
	[MAIL_VAR_ROLE] = "role",
	[MAIL_VAR_HELP_EMAIL] = "help_email",
};

static int
mail_var_find(const char *name, size_t len)
{
	for (int i = 0; i < MAIL_VAR_COUNT; i++) {
		if (strlen(mail_var_names[i]) == len &&
		    memcmp(mail_var_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* mail_line counts the line ends before offset off in src. */
static unsigned
mail_line(const char *src, size_t off)
{
	unsigned line = 0;

	for (size_t i = 0; i < off; i++)
		line += src[i] == '\n';
	return line;
}

com_err
mail_template_parse(const char *src, size_t len, unsigned first_line,
    mail_template *out, char *why, size_t whylen)
{
	mail_template t = {0};
	size_t at = 0;
	size_t lit = 0;

	if (memchr(src, '\0', len) != NULL) {
		snprintf(why, whylen, "holds a NUL byte");
		return COM_EINVAL;
	}
	t.src = malloc(len + 1);
	/*
	 * A placeholder takes at least 4 bytes, and each has at most one
	 * text run before it, plus one after the last.
	 */
	t.pieces = calloc(2 * (len / 4) + 2, sizeof(*t.pieces));
	if (t.src == NULL || t.pieces == NULL) {
		mail_template_fini(&t);
		return COM_ENOMEM;
	}
	memcpy(t.src, src, len);
	t.src[len] = '\0';
	while (at + 1 < len) {
		const char *end;
		size_t name_len;
		int var;

		if (t.src[at] != '{' || t.src[at + 1] != '{') {
			at++;
			continue;
		}
		end = strstr(t.src + at + 2, "}}");
		name_len = end == NULL ? 0 : (size_t)(end - (t.src + at + 2));
		var = end == NULL ? -1 : mail_var_find(t.src + at + 2, name_len);
		if (end == NULL) {
			snprintf(why, whylen, "line %u: \"{{\" without \"}}\"",
			    first_line + mail_line(t.src, at));
			mail_template_fini(&t);
			return COM_EINVAL;
		}
		if (var < 0) {
			snprintf(why, whylen, "line %u: unknown placeholder "
			    "%.*s", first_line + mail_line(t.src, at),
			    (int)(name_len < 40 ? name_len + 4 : 44), t.src + at);
			mail_template_fini(&t);
			return COM_EINVAL;
		}
		if (at > lit) {
			t.pieces[t.count++] = (mail_piece){t.src + lit, at - lit,
			    -1};
		}
		t.pieces[t.count++] = (mail_piece){NULL, 0, var};
		at += name_len + 4;
		lit = at;
	}
	if (len > lit)
		t.pieces[t.count++] = (mail_piece){t.src + lit, len - lit, -1};
	*out = t;
	return COM_OK;
}

void
mail_template_fini(mail_template *t)
{
	free(t->pieces);
	free(t->src);
	memset(t, 0, sizeof(*t));
}

com_err
mail_template_expand(const mail_template *t,
    const char *const values[MAIL_VAR_COUNT], mail_escape_fn escape,
    com_buf *out)
{
	com_err rv = COM_OK;

	for (size_t i = 0; i < t->count && rv == COM_OK; i++) {
		const mail_piece *p = &t->pieces[i];

		if (p->var < 0)
			rv = com_buf_append(out, p->text, p->len);
		else
			rv = escape(out, values[p->var]);
	}
	return rv;
}

/*
 * mail_file_read reads the file at path into buf (bounded by its
 * maximum). On failure it writes the reason to why.
 */
static com_err
mail_file_read(const char *path, com_buf *buf, char *why, size_t whylen)
{
	char chunk[4096];
	com_err rv = COM_OK;
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return errno == ENOENT ? COM_ENOTFOUND : COM_EIO;
	}
	while (rv == COM_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rv = com_buf_append(buf, chunk, n);
	if (rv == COM_OK && ferror(f)) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		rv = COM_EIO;
	} else if (rv == COM_ETOOLARGE) {
		snprintf(why, whylen, "larger than %u bytes",
		    MAIL_TEMPLATE_MAX);
	}
	fclose(f);
	return rv;
}

/*
 * mail_text_split parses "Subject: …\n\n<text part>" into t's subject and
 * text templates. The subject is one line of visible text.
 */
static com_err
mail_text_split(const com_buf *b, mail_templates *t, char *why,
    size_t whylen)
{
	const size_t plen = strlen(MAIL_SUBJECT_PREFIX);
	const char *subject = b->data + plen;
	const char *nl;
	com_err rv;

	if (b->len < plen || memcmp(b->data, MAIL_SUBJECT_PREFIX, plen) != 0) {
		snprintf(why, whylen, "line 1: no \"Subject: \" line");
		return COM_EINVAL;
	}
	nl = memchr(subject, '\n', b->len - plen);
	if (nl == NULL || nl == subject || nl[1] != '\n') {
		snprintf(why, whylen, "line 1: the subject must be one line, "
		    "followed by an empty line");
		return COM_EINVAL;
	}
	for (const char *p = subject; p < nl; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(why, whylen, "line 1: control character in the "
			    "subject");
			return COM_EINVAL;
		}
	}
	rv = mail_template_parse(subject, (size_t)(nl - subject), 1,
	    &t->subject, why, whylen);
	if (rv == COM_OK) {
		rv = mail_template_parse(nl + 2, b->len - (size_t)(nl + 2 -
		    b->data), 3, &t->text, why, whylen);
	}
	return rv;
}

/* mail_template_file reads one file; text: the .txt layout (subject). */
static com_err
mail_template_file(const char *dir, const char *name, mail_templates *t,
    bool text)
{
	char path[MAIL_PATH_SIZE];
	char why[MAIL_WHY_SIZE] = "";
	com_buf b;
	com_err rv;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		com_log_err("templates: directory name too long: %.60s…", dir);
		return COM_EINVAL;
	}
	com_buf_init(&b, MAIL_TEMPLATE_MAX);
	rv = mail_file_read(path, &b, why, sizeof(why));
	if (rv == COM_OK && text)
		rv = mail_text_split(&b, t, why, sizeof(why));
	else if (rv == COM_OK)
		rv = mail_template_parse(b.data, b.len, 1, &t->html, why,
		    sizeof(why));
	if (rv == COM_ENOMEM)
		snprintf(why, sizeof(why), "%s", com_strerror(rv));
	if (rv != COM_OK)
		com_log_err("templates: %s: %s (the mailer does not start)",
		    path, why);
	com_buf_fini(&b);
	return rv;
}

com_err
mail_templates_load(const char *dir, mail_templates **out)
{
	mail_templates *t;
	com_err rv;

	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		com_log_err("templates: %s", com_strerror(COM_ENOMEM));
		return COM_ENOMEM;
	}
	rv = mail_template_file(dir, "invitation.txt", t, true);
	if (rv == COM_OK)
		rv = mail_template_file(dir, "invitation.html", t, false);
	if (rv == COM_OK) {
		t->reset = calloc(1, sizeof(*t->reset));
		if (t->reset == NULL) {
			com_log_err("templates: %s", com_strerror(COM_ENOMEM));
			rv = COM_ENOMEM;
		}
	}
	if (rv == COM_OK)
		rv = mail_template_file(dir, "password_reset.txt", t->reset,
		    true);
	if (rv == COM_OK)
		rv = mail_template_file(dir, "password_reset.html", t->reset,
		    false);
	if (rv != COM_OK) {
		mail_templates_free(t);
		return rv;
	}
	*out = t;
	return COM_OK;
}

void
mail_templates_free(mail_templates *t)
{
	if (t == NULL)
		return;
	mail_templates_free(t->reset);
	mail_template_fini(&t->html);
	mail_template_fini(&t->text);
	mail_template_fini(&t->subject);
	free(t);
}
