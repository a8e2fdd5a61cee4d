/*
 * render.h - turns an outbox row (template, recipient, JSON params) into
 * a complete Internet message: headers and a multipart/alternative body
 * with a French text part and an accessible HTML part, from the loaded
 * templates. Pure: no I/O, no clock, no global state.
 */
#ifndef MAIL_RENDER_H
#define MAIL_RENDER_H

#include <time.h>

#include "buf.h"
#include "err.h"
#include "template.h"

/* The largest message we render (a few KiB in practice). */
#define MAIL_RENDER_MAX (256u * 1024u)

/* Everything a rendering needs; the caller owns every string. */
typedef struct mail_render_in {
	const char *id;        /* outbox id, names the Message-ID */
	const char *stamp;     /* row creation time (epoch seconds): with
	                          the id, makes the Message-ID unique */
	const char *template;  /* "invitation" */
	const char *recipient; /* an e-mail address */
	const char *params;    /* JSON object, see docs/architecture.md */
	const char *from;      /* MAIL_FROM: `Name <address>` or address */
	const char *help;      /* ORGA_HELP_EMAIL, in every mail's footer */
	time_t now;            /* the Date header */
	const mail_templates *templates; /* from mail_templates_load */
} mail_render_in;

/*
 * mail_render appends the message for in to out (CRLF line ends, body
 * lines at most 76 bytes, header lines at most 998, ready for SMTP or an
 * .eml file).
 * Returns COM_ENOTFOUND for an unknown template, COM_EINVAL when params,
 * recipient or sender are malformed or in->templates is NULL (both
 * permanent: retrying cannot help; so is a NULL in->help), COM_ENOMEM or COM_ETOOLARGE otherwise. out may hold a partial
 * message on failure; the caller resets it.
 */
com_err mail_render(const mail_render_in *in, com_buf *out) COM_MUSTCHECK;

/*
 * mail_render_html_escape appends s to out with &, <, >, " and '
 * replaced by entities, and control characters by spaces.
 */
com_err mail_render_html_escape(com_buf *out, const char *s) COM_MUSTCHECK;

#endif
