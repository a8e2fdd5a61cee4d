/*
 * render.c - the French invitation e-mail: headers, a text part and an
 * HTML part (from the templates, see template.h) in one
 * multipart/alternative message, both parts quoted-printable.
 */
#include "render.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "mime.h"
#include "validate.h"

/* Limits on the params: a school name is at most 255 characters. */
#define MAIL_NAME_MAX 1024
#define MAIL_LINK_MAX 2048
/* The subject once expanded, before encoding. */
#define MAIL_SUBJECT_MAX 4096

static const char *const mail_days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const mail_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* The invitation's params once checked; strings owned by the JSON or
 * static. */
typedef struct mail_invitation {
	const char *name;
	const char *link;
	const char *uai;
	const char *role;   /* in French */
	const char *help;
} mail_invitation;

com_err
mail_render_html_escape(com_buf *out, const char *s)
{
	com_err rv = COM_OK;

	for (; *s != '\0' && rv == COM_OK; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			rv = com_buf_append_str(out, "&amp;");
			break;
		case '<':
			rv = com_buf_append_str(out, "&lt;");
			break;
		case '>':
			rv = com_buf_append_str(out, "&gt;");
			break;
		case '"':
			rv = com_buf_append_str(out, "&quot;");
			break;
		case '\'':
			rv = com_buf_append_str(out, "&#39;");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				c = ' ';
			rv = com_buf_append(out, &c, 1);
			break;
		}
	}
	return rv;
}

/* mail_text_append appends s with control characters made spaces. */
static com_err
mail_text_append(com_buf *out, const char *s)
{
	com_err rv = COM_OK;

	for (; *s != '\0' && rv == COM_OK; s++) {
		char c = *s;

		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		rv = com_buf_append(out, &c, 1);
	}
	return rv;
}

/*
 * mail_link_valid accepts an http(s) URL made of visible ASCII only, so
 * it can go unchanged into the text part and (escaped) into href.
 */
static bool
mail_link_valid(const char *link)
{
	size_t len = strlen(link);

	if (len == 0 || len > MAIL_LINK_MAX)
		return false;
	if (strncmp(link, "https://", 8) != 0 &&
	    strncmp(link, "http://", 7) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)link; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\')
			return false;
	}
	return true;
}

/*
 * mail_invitation_get reads the params of an invitation, or of a recovery
 * mail (reset: a link only, the school name ""). A row queued before the
 * UAI was part of them has none: its mail says so plainly.
 */
static com_err
mail_invitation_get(json_t *root, bool reset, const char *help,
    mail_invitation *out)
{
	const char *name = reset ? "-" : json_string_value(
	    json_object_get(root, "organizationName"));
	const char *link = json_string_value(json_object_get(root, "link"));
	const char *uai = json_string_value(json_object_get(root, "uai"));
	const char *role = json_string_value(json_object_get(root, "role"));

	if (name == NULL || name[0] == '\0' ||
	    strlen(name) > MAIL_NAME_MAX || link == NULL ||
	    !mail_link_valid(link) || help == NULL || help[0] == '\0' ||
	    (uai != NULL && strlen(uai) > 16))
		return COM_EINVAL;
	out->name = reset ? "" : name;
	out->link = link;
	out->uai = uai != NULL && uai[0] != '\0' ? uai : "non précisé";
	out->role = role != NULL && strcmp(role, "ADMIN") == 0
	    ? "Administrateur" : "Membre";
	out->help = help;
	return COM_OK;
}

/*
 * mail_invitation_expand appends the template t with the invitation's
 * values, each through escape.
 */
static com_err
mail_invitation_expand(const mail_template *t, const mail_invitation *inv,
    mail_escape_fn escape, com_buf *out)
{
	const char *values[MAIL_VAR_COUNT] = {
		[MAIL_VAR_SCHOOL_NAME] = inv->name,
		[MAIL_VAR_LINK] = inv->link,
		[MAIL_VAR_UAI] = inv->uai,
		[MAIL_VAR_ROLE] = inv->role,
		[MAIL_VAR_HELP_EMAIL] = inv->help,
	};

	return mail_template_expand(t, values, escape, out);
}

/* mail_header_from writes the From header, encoding the name if needed. */
static com_err
mail_header_from(com_buf *out, const char *from)
{
	char name[MAIL_NAME_SIZE];
	char addr[MAIL_ADDR_SIZE];
	bool plain;
	com_err rv;

	rv = mail_mime_from_parse(from, name, addr);
	if (rv != COM_OK)
		return rv;
	if (name[0] == '\0')
		return com_buf_printf(out, "From: %s\r\n", addr);
	plain = strlen(name) + strlen(addr) < 60;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x7f || strchr("()<>[]:;@\\,.\"=", *p) != NULL)
			plain = false;
	}
	if (plain)
		return com_buf_printf(out, "From: %s <%s>\r\n", name, addr);
	/* Non-ASCII or specials: encoded words are always safe. */
	rv = com_buf_append_str(out, "From: ");
	if (rv == COM_OK)
		rv = mail_mime_header_words(out, name, 6);
	if (rv == COM_OK)
		rv = com_buf_printf(out, "\r\n <%s>\r\n", addr);
	return rv;
}

/*
 * mail_headers writes the headers; subject is the expanded subject
 * template (values made header-safe: controls are spaces, and every
 * non-ASCII or long subject goes as RFC 2047 encoded words).
 */
static com_err
mail_headers(const mail_render_in *in, const char *rcpt,
    const char *subject, com_buf *out)
{
	char name[MAIL_NAME_SIZE];
	char addr[MAIL_ADDR_SIZE];
	const char *domain;
	struct tm tm;
	com_err rv;

	if (gmtime_r(&in->now, &tm) == NULL)
		return COM_EINVAL;
	rv = mail_mime_from_parse(in->from, name, addr);
	if (rv != COM_OK)
		return rv;
	domain = strrchr(addr, '@') + 1;
	rv = mail_header_from(out, in->from);
	if (rv == COM_OK)
		rv = com_buf_printf(out, "To: %s\r\nSubject: ", rcpt);
	if (rv == COM_OK)
		rv = mail_mime_header_words(out, subject, 9);
	if (rv == COM_OK)
		rv = com_buf_printf(out,
		    "\r\nDate: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n"
		    "Message-ID: <orga.%s.%s@%s>\r\n"
		    "MIME-Version: 1.0\r\n"
		    "Content-Language: fr\r\n"
		    "Auto-Submitted: auto-generated\r\n"
		    "Content-Type: multipart/alternative;\r\n"
		    " boundary=\"=_orga_%s_%s\"\r\n"
		    "\r\n"
		    "This is a multi-part message in MIME format.\r\n",
		    mail_days[tm.tm_wday], tm.tm_mday,
		    mail_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, in->id, in->stamp, domain, in->id,
		    in->stamp);
	return rv;
}

/* mail_part appends one body part: its headers, then body as QP. */
static com_err
mail_part(com_buf *out, const mail_render_in *in, const char *type,
    const com_buf *body)
{
	com_err rv;

	rv = com_buf_printf(out,
	    "\r\n--=_orga_%s_%s\r\n"
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n",
	    in->id, in->stamp, type);
	if (rv == COM_OK)
		rv = mail_mime_qp(out, body->data, body->len);
	return rv;
}

/* mail_token_valid: ids and stamps are short runs of digits. */
static bool
mail_token_valid(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 20 && s[n] == '\0';
}

com_err
mail_render(const mail_render_in *in, com_buf *out)
{
	char rcpt[COM_EMAIL_MAX + 1];
	const mail_templates *t = in->templates;
	mail_invitation inv;
	bool reset = false;
	json_t *root = NULL;
	com_buf subject;
	com_buf text;
	com_buf html;
	com_err rv;

	com_buf_init(&subject, MAIL_SUBJECT_MAX);
	com_buf_init(&text, MAIL_RENDER_MAX);
	com_buf_init(&html, MAIL_RENDER_MAX);
	if (t == NULL) {
		rv = COM_EINVAL;
		goto out;
	}
	if (strcmp(in->template, "password_reset") == 0) {
		t = t->reset; /* the same checks; no school name */
		reset = true;
	} else if (strcmp(in->template, "invitation") != 0) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	if (t == NULL) {
		rv = COM_EINVAL;
		goto out;
	}
	if (!mail_token_valid(in->id) || !mail_token_valid(in->stamp) ||
	    com_email_normalize(in->recipient, rcpt, sizeof(rcpt)) !=
	        COM_OK) {
		rv = COM_EINVAL;
		goto out;
	}
	root = json_loads(in->params, JSON_REJECT_DUPLICATES, NULL);
	if (root == NULL || !json_is_object(root)) {
		rv = COM_EINVAL;
		goto out;
	}
	rv = mail_invitation_get(root, reset, in->help, &inv);
	if (rv == COM_OK)
		rv = mail_invitation_expand(&t->subject, &inv, mail_text_append,
		    &subject);
	if (rv == COM_OK)
		rv = mail_invitation_expand(&t->text, &inv, mail_text_append,
		    &text);
	if (rv == COM_OK)
		rv = mail_invitation_expand(&t->html, &inv,
		    mail_render_html_escape, &html);
	if (rv == COM_OK)
		rv = mail_headers(in, rcpt, com_buf_str(&subject), out);
	if (rv == COM_OK)
		rv = mail_part(out, in, "text/plain", &text);
	if (rv == COM_OK)
		rv = mail_part(out, in, "text/html", &html);
	if (rv == COM_OK)
		rv = com_buf_printf(out, "\r\n--=_orga_%s_%s--\r\n", in->id,
		    in->stamp);
out:
	json_decref(root);
	com_buf_fini(&html);
	com_buf_fini(&text);
	com_buf_fini(&subject);
	return rv;
}
