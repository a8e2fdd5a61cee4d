/*
 * mime.c - base64, quoted-printable and RFC 2047 encoded words, written
 * for the few messages the mailer renders (bounded by com_buf).
 */
#include "mime.h"

#include <stdbool.h>
#include <string.h>

static const char mail_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char mail_hex[] = "0123456789ABCDEF";

com_err
mail_mime_base64(com_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	char *dst;
	size_t n = (len + 2) / 3 * 4;
	com_err rv;

	rv = com_buf_extend(out, n, &dst);
	if (rv != COM_OK)
		return rv;
	while (len >= 3) {
		*dst++ = mail_b64[p[0] >> 2];
		*dst++ = mail_b64[((p[0] & 0x03) << 4) | (p[1] >> 4)];
		*dst++ = mail_b64[((p[1] & 0x0f) << 2) | (p[2] >> 6)];
		*dst++ = mail_b64[p[2] & 0x3f];
		p += 3;
		len -= 3;
	}
	if (len > 0) {
		*dst++ = mail_b64[p[0] >> 2];
		if (len == 1) {
			*dst++ = mail_b64[(p[0] & 0x03) << 4];
			*dst++ = '=';
		} else {
			*dst++ = mail_b64[((p[0] & 0x03) << 4) | (p[1] >> 4)];
			*dst++ = mail_b64[(p[1] & 0x0f) << 2];
		}
		*dst = '=';
	}
	return COM_OK;
}

/*
 * mail_qp_line encodes one line (without its end) and its CRLF. Soft
 * breaks leave room for the "=" so no line exceeds MAIL_MIME_LINE_MAX.
 */
static com_err
mail_qp_line(com_buf *out, const unsigned char *s, size_t len)
{
	size_t col = 0;
	char tok[3];
	size_t toklen;
	com_err rv;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		bool last = i + 1 == len;
		bool plain;

		for (int pass = 0; pass < 2; pass++) {
			plain = (c >= 33 && c <= 126 && c != '=') ||
			    ((c == ' ' || c == '\t') && !last);
			if (c == '.' && col == 0)
				plain = false;
			toklen = plain ? 1 : 3;
			if (col + toklen < MAIL_MIME_LINE_MAX)
				break;
			/* Soft line break, then decide again at column 0. */
			rv = com_buf_append(out, "=\r\n", 3);
			if (rv != COM_OK)
				return rv;
			col = 0;
		}
		if (plain) {
			tok[0] = (char)c;
		} else {
			tok[0] = '=';
			tok[1] = mail_hex[c >> 4];
			tok[2] = mail_hex[c & 0x0f];
		}
		rv = com_buf_append(out, tok, toklen);
		if (rv != COM_OK)
			return rv;
		col += toklen;
	}
	return com_buf_append(out, "\r\n", 2);
}

com_err
mail_mime_qp(com_buf *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t start = 0;
	com_err rv;

	while (start < len) {
		size_t end = start;
		size_t n;

		while (end < len && s[end] != '\n')
			end++;
		n = end - start;
		if (n > 0 && s[start + n - 1] == '\r')
			n--;
		rv = mail_qp_line(out, s + start, n);
		if (rv != COM_OK)
			return rv;
		start = end + 1;
	}
	return COM_OK;
}

/*
 * mail_utf8_len returns the length of the UTF-8 character at s (at most
 * left bytes), or 0 when it is invalid or a control character.
 */
static size_t
mail_utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond Unicode, C1 controls. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return n;
}

com_err
mail_mime_header_words(com_buf *out, const char *text, size_t prefix_len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text);
	bool ascii = true;
	size_t i = 0;
	size_t room;
	com_err rv;

	for (size_t k = 0; k < len; k++) {
		if (s[k] < 0x20 || s[k] >= 0x7f)
			ascii = false;
	}
	/* "=?" in plain text could be mistaken for an encoded word. */
	if (ascii && strstr(text, "=?") == NULL && prefix_len + len <= 78)
		return com_buf_append(out, text, len);

	/* 12 = strlen("=?UTF-8?B?") + strlen("?="); 75 = RFC 2047 cap. */
	room = prefix_len < 78 - 20 ? 78 - prefix_len : 20;
	while (i < len) {
		size_t wlen = room < 75 ? room : 75;
		size_t raw = (wlen - 12) / 4 * 3;
		size_t take = 0;

		while (i + take < len) {
			size_t c = mail_utf8_len(s + i + take, len - i - take);

			if (c == 0)
				return COM_EINVAL;
			if (take + c > raw)
				break;
			take += c;
		}
		if (i > 0) {
			rv = com_buf_append(out, "\r\n ", 3);
			if (rv != COM_OK)
				return rv;
		}
		rv = com_buf_append_str(out, "=?UTF-8?B?");
		if (rv == COM_OK)
			rv = mail_mime_base64(out, s + i, take);
		if (rv == COM_OK)
			rv = com_buf_append(out, "?=", 2);
		if (rv != COM_OK)
			return rv;
		i += take;
		room = 77; /* later lines start with one space */
	}
	return COM_OK;
}

/* mail_trim_copy copies [s, s + n) without surrounding spaces into dst. */
static com_err
mail_trim_copy(char *dst, size_t size, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= size)
		return COM_EINVAL;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return COM_OK;
}

static bool
mail_addr_valid(const char *a)
{
	const char *at = strrchr(a, '@');

	if (at == NULL || at == a || at[1] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[],;:\\\"", *p))
			return false;
	}
	return true;
}

com_err
mail_mime_from_parse(const char *setting, char name[MAIL_NAME_SIZE],
    char addr[MAIL_ADDR_SIZE])
{
	const char *lt = strchr(setting, '<');
	const char *gt;
	char n[MAIL_NAME_SIZE];
	char a[MAIL_ADDR_SIZE];
	size_t nlen;

	if (lt == NULL) {
		n[0] = '\0';
		if (mail_trim_copy(a, sizeof(a), setting, strlen(setting)) !=
		    COM_OK)
			return COM_EINVAL;
	} else {
		gt = strchr(lt, '>');
		if (gt == NULL || gt[1 + strspn(gt + 1, " \t")] != '\0')
			return COM_EINVAL;
		if (mail_trim_copy(n, sizeof(n), setting,
		        (size_t)(lt - setting)) != COM_OK ||
		    mail_trim_copy(a, sizeof(a), lt + 1,
		        (size_t)(gt - lt - 1)) != COM_OK)
			return COM_EINVAL;
		nlen = strlen(n);
		if (nlen >= 2 && n[0] == '"' && n[nlen - 1] == '"') {
			memmove(n, n + 1, nlen - 2);
			n[nlen - 2] = '\0';
		}
	}
	if (!mail_addr_valid(a))
		return COM_EINVAL;
	for (const unsigned char *p = (const unsigned char *)n; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return COM_EINVAL;
	}
	memcpy(name, n, strlen(n) + 1);
	memcpy(addr, a, strlen(a) + 1);
	return COM_OK;
}
