/*
 * form.h - HTML forms: reading application/x-www-form-urlencoded fields and
 * escaping text for HTML. Used by orga's GAR assertion consumer and by the
 * local GAR (gar-idp).
 */
#ifndef COM_FORM_H
#define COM_FORM_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * com_form_value finds field name in an application/x-www-form-urlencoded
 * body (or query string) of len bytes and appends its decoded value ('+'
 * is a space, %XX a byte) to out, bounded by out's max. COM_ENOTFOUND when
 * absent, COM_EINVAL when malformed or repeated, COM_ETOOLARGE. Pure.
 */
com_err com_form_value(const char *body, size_t len, const char *name,
    com_buf *out) COM_MUSTCHECK;

/*
 * com_html_escape appends s to out with &, <, >, " and ' escaped (for
 * text and attribute values). COM_ETOOLARGE / COM_ENOMEM. Pure.
 */
com_err com_html_escape(com_buf *out, const char *s) COM_MUSTCHECK;

#endif
