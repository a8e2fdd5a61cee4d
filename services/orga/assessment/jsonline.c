/*
 * jsonline.c - a JSON tokenizer keeping the path stack, recording the
 * line where each value starts.
 */
#include "assessment/jsonline.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The most bytes of all paths of one file, and of one path. */
#define JL_POOL_MAX (64u * 1024u * 1024u)
#define JL_PATH_MAX (64u * 1024u)

typedef struct jl_entry {
	size_t off;      /* into pool */
	unsigned line;
} jl_entry;

struct orga_jsonline {
	com_buf pool;    /* every path, each with its NUL */
	jl_entry *v;
	size_t n, cap;
};

typedef struct jl_frame {
	bool array;
	bool want_key;   /* objects: a key comes next */
	size_t base;     /* path length of the container */
	size_t index;    /* arrays: the element's index */
} jl_frame;

typedef struct jl_walk {
	const char *s;
	size_t len, i;
	unsigned line;
	com_buf path;
	jl_frame stack[ORGA_JSONLINE_DEPTH];
	size_t depth;
	orga_jsonline *ix;
} jl_walk;

static void
jl_truncate(com_buf *b, size_t len)
{
	if (b->data != NULL) {
		b->len = len;
		b->data[len] = '\0';
	}
}

static com_err
jl_record(jl_walk *w)
{
	orga_jsonline *ix = w->ix;
	size_t off = ix->pool.len;
	com_err rv;

	if (ix->n == ix->cap) {
		size_t cap = ix->cap == 0 ? 256 : ix->cap * 2;
		jl_entry *v = realloc(ix->v, cap * sizeof(*v));

		if (v == NULL)
			return COM_ENOMEM;
		ix->v = v;
		ix->cap = cap;
	}
	rv = com_buf_append(&ix->pool, com_buf_str(&w->path),
	    w->path.len + 1);
	if (rv != COM_OK)
		return rv;
	ix->v[ix->n].off = off;
	ix->v[ix->n].line = w->line;
	ix->n++;
	return COM_OK;
}

/* A value starts here: names it (elements by index) and records it. */
static com_err
jl_value(jl_walk *w)
{
	jl_frame *f = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;

	if (f != NULL && f->array) {
		com_err rv;

		jl_truncate(&w->path, f->base);
		rv = com_buf_printf(&w->path, "[%zu]", f->index);
		if (rv != COM_OK)
			return rv;
	} else if (f != NULL && f->want_key) {
		return COM_EINVAL;
	}
	return jl_record(w);
}

static com_err
jl_push(jl_walk *w, bool array)
{
	jl_frame *f;

	if (w->depth == ORGA_JSONLINE_DEPTH)
		return COM_EINVAL;
	f = &w->stack[w->depth++];
	f->array = array;
	f->want_key = !array;
	f->base = w->path.len;
	f->index = 0;
	return COM_OK;
}

/* Reads the 4 hex digits of a \u escape at s[i..]; -1 when they are
 * not. */
static long
jl_u4(const jl_walk *w, size_t i)
{
	char digits[5];
	char *end;
	long v;

	if (w->len - i < 4)
		return -1;
	memcpy(digits, w->s + i, 4);
	digits[4] = '\0';
	if (strspn(digits, "0123456789abcdefABCDEF") != 4)
		return -1;
	v = strtol(digits, &end, 16);
	return *end == '\0' ? v : -1;
}

static com_err
jl_utf8(com_buf *b, unsigned long cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return com_buf_append(b, u, n);
}

/* One escape after the backslash at w->i; appends its text to out (NULL:
 * skip it). Leaves w->i after the escape. */
static com_err
jl_escape(jl_walk *w, com_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;
	long cp, lo;

	if (w->i + 1 >= w->len)
		return COM_EINVAL;
	p = strchr(from, w->s[w->i + 1]);
	if (w->s[w->i + 1] != 'u') {
		if (p == NULL || w->s[w->i + 1] == '\0')
			return COM_EINVAL;
		w->i += 2;
		return out == NULL ? COM_OK :
		    com_buf_append(out, &to[p - from], 1);
	}
	cp = jl_u4(w, w->i + 2);
	if (cp < 0)
		return COM_EINVAL;
	w->i += 6;
	if (cp >= 0xd800 && cp <= 0xdbff && w->len - w->i >= 6 &&
	    w->s[w->i] == '\\' && w->s[w->i + 1] == 'u') {
		lo = jl_u4(w, w->i + 2);
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			w->i += 6;
		}
	}
	return out == NULL ? COM_OK : jl_utf8(out, (unsigned long)cp);
}

/* A string at w->i (on its quote); its decoded text goes to out when not
 * NULL. */
static com_err
jl_string(jl_walk *w, com_buf *out)
{
	w->i++;
	while (w->i < w->len) {
		char c = w->s[w->i];
		com_err rv = COM_OK;

		if (c == '"') {
			w->i++;
			return COM_OK;
		}
		if ((unsigned char)c < 0x20)
			return COM_EINVAL;
		if (c == '\\') {
			rv = jl_escape(w, out);
		} else {
			if (out != NULL)
				rv = com_buf_append(out, &c, 1);
			w->i++;
		}
		if (rv != COM_OK)
			return rv;
	}
	return COM_EINVAL;
}

/* A key: the path becomes the object's path and the key. */
static com_err
jl_key(jl_walk *w, jl_frame *f)
{
	com_err rv = COM_OK;

	jl_truncate(&w->path, f->base);
	if (f->base > 0)
		rv = com_buf_append(&w->path, ".", 1);
	if (rv == COM_OK)
		rv = jl_string(w, &w->path);
	f->want_key = false;
	return rv;
}

static com_err
jl_token(jl_walk *w)
{
	char c = w->s[w->i];
	jl_frame *f = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
	com_err rv;

	switch (c) {
	case '{':
	case '[':
		rv = jl_value(w);
		if (rv == COM_OK)
			rv = jl_push(w, c == '[');
		w->i++;
		return rv;
	case '}':
	case ']':
		if (f == NULL || f->array != (c == ']'))
			return COM_EINVAL;
		jl_truncate(&w->path, f->base);
		w->depth--;
		w->i++;
		return COM_OK;
	case ',':
		if (f == NULL)
			return COM_EINVAL;
		if (f->array)
			f->index++;
		else
			f->want_key = true;
		w->i++;
		return COM_OK;
	case ':':
		w->i++;
		return COM_OK;
	case '"':
		if (f != NULL && !f->array && f->want_key)
			return jl_key(w, f);
		rv = jl_value(w);
		return rv == COM_OK ? jl_string(w, NULL) : rv;
	default:
		if (strchr("-0123456789tfn", c) == NULL || c == '\0')
			return COM_EINVAL;
		rv = jl_value(w);
		while (rv == COM_OK && w->i < w->len &&
		    strchr("+-.0123456789eEtruefalsn", w->s[w->i]) != NULL &&
		    w->s[w->i] != '\0')
			w->i++;
		return rv;
	}
}

com_err
orga_jsonline_new(const char *text, size_t len, orga_jsonline **out)
{
	jl_walk w;
	orga_jsonline *ix;
	com_err rv = COM_OK;

	ix = calloc(1, sizeof(*ix));
	if (ix == NULL)
		return COM_ENOMEM;
	com_buf_init(&ix->pool, JL_POOL_MAX);
	memset(&w, 0, sizeof(w));
	w.s = text;
	w.len = len;
	w.line = 1;
	w.ix = ix;
	com_buf_init(&w.path, JL_PATH_MAX);
	rv = com_buf_append(&w.path, "", 0);
	while (rv == COM_OK && w.i < w.len) {
		char c = text[w.i];

		if (c == '\n') {
			w.line++;
			w.i++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			w.i++;
		} else {
			rv = jl_token(&w);
		}
	}
	if (rv == COM_OK && w.depth != 0)
		rv = COM_EINVAL;
	com_buf_fini(&w.path);
	if (rv != COM_OK) {
		orga_jsonline_free(ix);
		return rv;
	}
	*out = ix;
	return COM_OK;
}

unsigned
orga_jsonline_find(const orga_jsonline *ix, const char *path)
{
	size_t len = strlen(path);

	for (;;) {
		for (size_t i = 0; i < ix->n; i++) {
			const char *p = ix->pool.data + ix->v[i].off;

			if (strncmp(p, path, len) == 0 && p[len] == '\0')
				return ix->v[i].line;
		}
		if (len == 0)
			return 0;
		/* The parent: cut the last ".key" or "[i]". */
		while (len > 0 && path[len - 1] != '.' && path[len - 1] != '[')
			len--;
		if (len > 0)
			len--;
	}
}

void
orga_jsonline_free(orga_jsonline *ix)
{
	if (ix == NULL)
		return;
	com_buf_fini(&ix->pool);
	free(ix->v);
	free(ix);
}
