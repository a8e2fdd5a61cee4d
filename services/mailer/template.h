/*
 * template.h - the mails' template files (MAILER_TEMPLATES_DIR): text with
 * {{name}} placeholders, read and checked once at start, then expanded
 * with each value escaped for where it goes (HTML, text, header).
 */
#ifndef MAIL_TEMPLATE_H
#define MAIL_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* The default of MAILER_TEMPLATES_DIR, relative to the working directory. */
#define MAIL_TEMPLATES_DIR_DEFAULT "services/mailer/templates"

/* The largest template file we read. */
#define MAIL_TEMPLATE_MAX (64u * 1024u)

/* The placeholders a template may hold, in this order in a values array. */
typedef enum mail_var {
	MAIL_VAR_SCHOOL_NAME, /* {{school_name}} */
	MAIL_VAR_LINK,        /* {{link}} */
	MAIL_VAR_UAI,         /* {{uai}}: the school's UAI */
	MAIL_VAR_ROLE,        /* {{role}}: "Administrateur" or "Membre" */
	MAIL_VAR_HELP_EMAIL,  /* {{help_email}}: ORGA_HELP_EMAIL */
	MAIL_VAR_COUNT
} mail_var;

/* One run of a template: literal text, or a placeholder (var >= 0). */
typedef struct mail_piece {
	const char *text; /* into the template's src; NULL for a placeholder */
	size_t len;
	int var;          /* a mail_var, or -1 for text */
} mail_piece;

/* A checked template; owns src and pieces. */
typedef struct mail_template {
	char *src;
	mail_piece *pieces;
	size_t count;
} mail_template;

/*
 * The invitation mail: subject (one line), text part and HTML part; reset
 * holds the password recovery mail's three (its own reset is NULL).
 */
typedef struct mail_templates {
	mail_template subject;
	mail_template text;
	mail_template html;
	struct mail_templates *reset;
} mail_templates;

/* An escaper: appends value to out as its part needs it. */
typedef com_err (*mail_escape_fn)(com_buf *out, const char *value);

/*
 * mail_template_parse checks src (len bytes, UTF-8 text, whose first line
 * is line first_line of its file) and compiles it
 * into *out, which the caller releases with mail_template_fini. Every
 * "{{" must open a known placeholder closed by "}}", and src holds no
 * NUL byte; otherwise COM_EINVAL, with the reason ("line 3: unknown
 * placeholder {{x}}") written to why (whylen bytes). COM_ENOMEM. Pure.
 */
com_err mail_template_parse(const char *src, size_t len,
    unsigned first_line, mail_template *out, char *why, size_t whylen)
    COM_MUSTCHECK;

/* mail_template_fini frees what t owns; a zeroed t is a no-op. */
void mail_template_fini(mail_template *t);

/*
 * mail_template_expand appends t to out, each placeholder replaced by
 * values[var] passed through escape. Returns what out or escape returns
 * (COM_ETOOLARGE, COM_ENOMEM, COM_EINVAL). Pure.
 */
com_err mail_template_expand(const mail_template *t,
    const char *const values[MAIL_VAR_COUNT], mail_escape_fn escape,
    com_buf *out) COM_MUSTCHECK;

/*
 * mail_templates_load reads dir/invitation.txt (a "Subject: " line, an
 * empty line, then the text part) and dir/invitation.html, then
 * password_reset.txt and password_reset.html the same way into ->reset. On COM_OK the
 * caller frees *out with mail_templates_free. On failure it has logged
 * one line naming the file and the reason, and returns COM_ENOTFOUND
 * (missing file), COM_EINVAL (malformed: unknown placeholder, no subject
 * line), COM_ETOOLARGE, COM_EIO or COM_ENOMEM.
 */
com_err mail_templates_load(const char *dir, mail_templates **out)
    COM_MUSTCHECK;

/* mail_templates_free frees t; NULL is a no-op. */
void mail_templates_free(mail_templates *t);

#endif
