/*
 * content_build.c - the bundle loader's tools: arena, path, error lines
 * "FILE:LINE: PATH : message" and checks of single values.
 */
#include "assessment/content_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* One error line, and the arena's block size. */
#define CTB_LINE_MAX 1024
#define CTB_BLOCK 16384

typedef struct ctb_block {
	struct ctb_block *next;
	size_t used, size;
	max_align_t data[];
} ctb_block;

void
orga_ctb_store_free(struct orga_content_store *st)
{
	if (st == NULL)
		return;
	while (st->blocks != NULL) {
		ctb_block *next = st->blocks->next;

		free(st->blocks);
		st->blocks = next;
	}
	for (size_t i = 0; i < st->ndocs; i++)
		json_decref(st->docs[i]);
	free(st->docs);
	free(st);
}

void *
orga_ctb_alloc(ctb_ctx *ctx, size_t size)
{
	struct orga_content_store *st = ctx->c->store;
	ctb_block *b = st->blocks;
	void *p;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (size == 0)
		size = sizeof(max_align_t);
	if (b == NULL || b->size - b->used < size) {
		size_t want = size > CTB_BLOCK ? size : CTB_BLOCK;

		b = calloc(1, sizeof(*b) + want);
		if (b == NULL) {
			ctx->fatal = COM_ENOMEM;
			return NULL;
		}
		b->size = want;
		b->next = st->blocks;
		st->blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void
orga_ctb_push_key(ctb_ctx *ctx, const char *key)
{
	com_err rv = COM_OK;

	if (ctx->depth < ORGA_JSONLINE_DEPTH)
		ctx->marks[ctx->depth] = ctx->path.len;
	ctx->depth++;
	if (ctx->path.len > 0)
		rv = com_buf_append(&ctx->path, ".", 1);
	if (rv == COM_OK)
		rv = com_buf_append_str(&ctx->path, key);
	if (rv != COM_OK)
		ctx->fatal = rv;
}

void
orga_ctb_push_index(ctb_ctx *ctx, size_t i)
{
	if (ctx->depth < ORGA_JSONLINE_DEPTH)
		ctx->marks[ctx->depth] = ctx->path.len;
	ctx->depth++;
	if (com_buf_printf(&ctx->path, "[%zu]", i) != COM_OK)
		ctx->fatal = COM_ENOMEM;
}

void
orga_ctb_pop(ctb_ctx *ctx)
{
	ctx->depth--;
	if (ctx->depth < ORGA_JSONLINE_DEPTH && ctx->path.data != NULL) {
		ctx->path.len = ctx->marks[ctx->depth];
		ctx->path.data[ctx->path.len] = '\0';
	}
}

/* The current path with key appended, into out. */
static void
ctb_full_path(const ctb_ctx *ctx, const char *key, char *out, size_t size)
{
	const char *path = com_buf_str(&ctx->path);

	if (key == NULL)
		snprintf(out, size, "%s", path);
	else
		snprintf(out, size, "%s%s%s", path, path[0] ? "." : "", key);
}

unsigned
orga_ctb_line(const ctb_ctx *ctx, const char *key)
{
	char path[CTB_LINE_MAX];

	if (ctx->file == NULL || ctx->file->lines == NULL)
		return 0;
	ctb_full_path(ctx, key, path, sizeof(path));
	return orga_jsonline_find(ctx->file->lines, path);
}

static void
ctb_add(ctb_ctx *ctx, const char *line)
{
	orga_content_report *r = ctx->report;
	char *copy, **lines;

	ctx->nerrors++;
	if (r == NULL)
		return;
	if (r->n >= ORGA_CONTENT_ERRORS_MAX) {
		r->dropped++;
		return;
	}
	copy = strdup(line);
	lines = realloc(r->lines, (r->n + 1) * sizeof(*lines));
	if (copy == NULL || lines == NULL) {
		free(copy);
		if (lines != NULL)
			r->lines = lines;
		ctx->fatal = COM_ENOMEM;
		return;
	}
	r->lines = lines;
	r->lines[r->n++] = copy;
}

/* Adds "FILE:LINE: PATH : " then the message, cut when too long. */
static void
ctb_vreport(ctb_ctx *ctx, const char *file, unsigned line,
    const char *path, const char *fmt, va_list ap)
{
	com_buf b;
	com_err rv;

	com_buf_init(&b, CTB_LINE_MAX * 4);
	rv = com_buf_printf(&b, line > 0 ? "%s:%u: " : "%s: ", file, line);
	if (rv == COM_OK && path[0] != '\0')
		rv = com_buf_printf(&b, "%s : ", path);
	if (rv == COM_OK)
		rv = com_buf_vprintf(&b, fmt, ap);
	if (rv == COM_ENOMEM)
		ctx->fatal = rv;
	else
		ctb_add(ctx, com_buf_str(&b));
	com_buf_fini(&b);
}

void
orga_ctb_error(ctb_ctx *ctx, const char *key, const char *fmt, ...)
{
	char path[CTB_LINE_MAX];
	va_list ap;

	ctb_full_path(ctx, key, path, sizeof(path));
	va_start(ap, fmt);
	ctb_vreport(ctx, ctx->file != NULL ? ctx->file->name : "?",
	    orga_ctb_line(ctx, key), path, fmt, ap);
	va_end(ap);
}

void
orga_ctb_error_at(ctb_ctx *ctx, const char *file, unsigned line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctb_vreport(ctx, file, line, "", fmt, ap);
	va_end(ap);
}

static bool
ctb_in(const char *const *list, const char *key)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], key) == 0)
			return true;
	return false;
}

void
orga_ctb_keys(ctb_ctx *ctx, const json_t *obj, const char *const *allowed,
    const char *const *known, const char *what)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		if (ctb_in(allowed, key))
			continue;
		if (ctb_in(known, key))
			orga_ctb_error(ctx, key, "clé sans objet pour %s", what);
		else
			orga_ctb_error(ctx, key, "clé inconnue (%s)", what);
	}
}

/* The first control character (or HTML tag start) of s, or NULL. */
static const char *
ctb_bad_char(const char *s, unsigned flags, bool *html)
{
	*html = false;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && !(c == '\n' && (flags & CTB_LINES))) ||
		    c == 0x7f)
			return p;
		if ((flags & CTB_PLAIN) && c == '<' &&
		    (p[1] == '/' || p[1] == '!' ||
		        (p[1] >= 'a' && p[1] <= 'z') ||
		        (p[1] >= 'A' && p[1] <= 'Z'))) {
			*html = true;
			return p;
		}
	}
	return NULL;
}

bool
orga_ctb_text(ctb_ctx *ctx, const char *key, const json_t *v, size_t min,
    size_t max, unsigned flags, const char **out)
{
	const char *s, *bad;
	size_t chars;
	bool html;

	if (!json_is_string(v)) {
		orga_ctb_error(ctx, key, "doit être une chaîne de caractères");
		return false;
	}
	s = json_string_value(v);
	chars = com_utf8_chars(s, json_string_length(v));
	if (strlen(s) != json_string_length(v)) {
		orga_ctb_error(ctx, key, "caractère nul interdit");
		return false;
	}
	if (chars < min || chars > max) {
		orga_ctb_error(ctx, key,
		    "%zu caractères, il en faut de %zu à %zu", chars, min, max);
		return false;
	}
	bad = ctb_bad_char(s, flags, &html);
	if (bad != NULL && html) {
		size_t n = strcspn(bad, ">");

		/* The tag, or its start cut on a character boundary. */
		n = n < 16 && bad[n] == '>' ? n + 1 : n < 16 ? n : 16;
		while (n > 0 && ((unsigned char)bad[n] & 0xc0) == 0x80)
			n--;
		orga_ctb_error(ctx, key,
		    "le texte ne doit pas contenir de HTML (« %.*s »)", (int)n,
		    bad);
		return false;
	}
	if (bad != NULL) {
		orga_ctb_error(ctx, key,
		    "caractère de contrôle interdit (U+%04X)",
		    (unsigned)(unsigned char)*bad);
		return false;
	}
	*out = s;
	return true;
}

bool
orga_ctb_string(ctb_ctx *ctx, const json_t *obj, const char *key,
    size_t min, size_t max, unsigned flags, const char **out)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		*out = NULL;
		if (flags & CTB_OPTIONAL)
			return true;
		orga_ctb_error(ctx, key, "champ obligatoire absent");
		return false;
	}
	return orga_ctb_text(ctx, key, v, min, max, flags, out);
}

const json_t *
orga_ctb_array(ctb_ctx *ctx, const json_t *obj, const char *key, size_t min,
    size_t max)
{
	const json_t *v = json_object_get(obj, key);
	size_t n;

	if (v == NULL) {
		orga_ctb_error(ctx, key, "champ obligatoire absent");
		return NULL;
	}
	if (!json_is_array(v)) {
		orga_ctb_error(ctx, key, "doit être un tableau");
		return NULL;
	}
	n = json_array_size(v);
	if (n < min || n > max) {
		if (max == SIZE_MAX)
			orga_ctb_error(ctx, key,
			    "%zu éléments, il en faut au moins %zu", n, min);
		else
			orga_ctb_error(ctx, key,
			    "%zu éléments, il en faut de %zu à %zu", n, min,
			    max);
		return NULL;
	}
	return v;
}

bool
orga_ctb_integer(ctb_ctx *ctx, const json_t *obj, const char *key,
    long long min, long long max, long long *out)
{
	const json_t *v = json_object_get(obj, key);
	long long n;

	if (v == NULL) {
		orga_ctb_error(ctx, key, "champ obligatoire absent");
		return false;
	}
	if (!json_is_integer(v)) {
		orga_ctb_error(ctx, key, "doit être un nombre entier");
		return false;
	}
	n = json_integer_value(v);
	if (n < min || n > max) {
		orga_ctb_error(ctx, key, "%lld hors des bornes (%lld à %lld)", n,
		    min, max);
		return false;
	}
	*out = n;
	return true;
}

bool
orga_ctb_id(ctb_ctx *ctx, const char *key, const char *s, size_t min,
    size_t max, bool dash)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (dash && c == '-'))
			continue;
		orga_ctb_error(ctx, key,
		    "« %s » : seuls %s sont permis", s,
		    dash ? "a-z, 0-9 et « - »" : "a-z et 0-9");
		return false;
	}
	if (n < min || n > max) {
		orga_ctb_error(ctx, key,
		    "« %s » : %zu caractères, il en faut de %zu à %zu", s, n,
		    min, max);
		return false;
	}
	return true;
}

const ctb_file *
orga_ctb_file_find(const ctb_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->nfiles; i++)
		if (strcmp(ctx->files[i].name, name) == 0)
			return &ctx->files[i];
	return NULL;
}
