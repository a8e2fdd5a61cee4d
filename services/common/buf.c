/* buf.c - bounded growable buffer. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
com_buf_init(com_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
com_buf_fini(com_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
com_buf_reset(com_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static com_err
com_buf_reserve(com_buf *b, size_t extra)
{
	size_t need;
	size_t cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return COM_ETOOLARGE;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return COM_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->data, cap);
	if (p == NULL)
		return COM_ENOMEM;
	b->data = p;
	b->cap = cap;
	return COM_OK;
}

com_err
com_buf_append(com_buf *b, const void *data, size_t len)
{
	com_err rv = com_buf_reserve(b, len);

	if (rv != COM_OK)
		return rv;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return COM_OK;
}

com_err
com_buf_extend(com_buf *b, size_t n, char **out)
{
	com_err rv = com_buf_reserve(b, n);

	if (rv != COM_OK)
		return rv;
	*out = b->data + b->len;
	b->len += n;
	b->data[b->len] = '\0';
	return COM_OK;
}

com_err
com_buf_append_str(com_buf *b, const char *s)
{
	return com_buf_append(b, s, strlen(s));
}

com_err
com_buf_vprintf(com_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	com_err rv;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return COM_EINVAL;
	rv = com_buf_reserve(b, (size_t)n);
	if (rv != COM_OK)
		return rv;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return COM_OK;
}

com_err
com_buf_printf(com_buf *b, const char *fmt, ...)
{
	va_list ap;
	com_err rv;

	va_start(ap, fmt);
	rv = com_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rv;
}

const char *
com_buf_str(const com_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
com_buf_steal(com_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		return strdup("");
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
