/* form.c - urlencoded form fields and HTML escaping. */
#include "form.h"

#include <string.h>

static int
form_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends the decoded value s[0..len) to out. */
static com_err
form_decode(const char *s, size_t len, com_buf *out)
{
	char c;
	com_err rv;

	for (size_t i = 0; i < len; i++) {
		c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return COM_EINVAL;
			hi = form_hex(s[i + 1]);
			lo = form_hex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return COM_EINVAL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		rv = com_buf_append(out, &c, 1);
		if (rv != COM_OK)
			return rv;
	}
	return COM_OK;
}

com_err
com_form_value(const char *body, size_t len, const char *name, com_buf *out)
{
	size_t nlen = strlen(name), pos = 0, end, klen, found_len = 0;
	const char *found = NULL, *eq, *amp;

	while (pos < len) {
		amp = memchr(body + pos, '&', len - pos);
		end = amp != NULL ? (size_t)(amp - body) : len;
		eq = memchr(body + pos, '=', end - pos);
		klen = eq != NULL ? (size_t)(eq - (body + pos)) : end - pos;
		if (klen == nlen && memcmp(body + pos, name, nlen) == 0) {
			if (found != NULL)
				return COM_EINVAL;
			found = eq != NULL ? eq + 1 : body + end;
			found_len = (size_t)(body + end - found);
		}
		pos = end + 1;
	}
	if (found == NULL)
		return COM_ENOTFOUND;
	return form_decode(found, found_len, out);
}

com_err
com_html_escape(com_buf *out, const char *s)
{
	const char *rep;
	com_err rv = COM_OK;

	for (; *s != '\0' && rv == COM_OK; s++) {
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			rep = NULL;
			break;
		}
		rv = rep != NULL ? com_buf_append_str(out, rep) :
		    com_buf_append(out, s, 1);
	}
	return rv;
}
