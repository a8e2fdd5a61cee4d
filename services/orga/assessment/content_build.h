/*
 * content_build.h - private to the bundle loader (content.c, the
 * referentiel and parcours; content_check.c, the competence files): the
 * model under construction, the error report with file, line and path,
 * and the checks of single values.
 */
#ifndef ORGA_CONTENT_BUILD_H
#define ORGA_CONTENT_BUILD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "assessment/content.h"
#include "err.h"
#include "assessment/jsonline.h"

/* One bundle file: JSON ones are parsed and indexed (root NULL else). */
typedef struct ctb_file {
	const char *name;             /* borrowed from the caller */
	const unsigned char *data;
	size_t len;
	json_t *root;
	orga_jsonline *lines;
} ctb_file;

/* Where an id was first seen, for "already taken" errors. */
typedef struct ctb_where {
	const char *file;
	unsigned line;
} ctb_where;

/* The arena, the parsed documents and the growing arrays of a model. */
struct orga_content_store {
	struct ctb_block *blocks;
	json_t **docs;
	size_t ndocs;
};

typedef struct ctb_ctx {
	orga_content *c;              /* the model; its arrays below */
	orga_content_area areas[ORGA_CONTENT_AREAS];
	orga_content_competence competences[ORGA_CONTENT_COMPETENCES];
	orga_content_topic *topics;
	ctb_where *topic_where;
	size_t ntopics, cap_topics, cap_topic_where;
	orga_content_skill *skills;
	size_t nskills, cap_skills;
	orga_content_question *questions;
	ctb_where *question_where;
	size_t nquestions, cap_questions, cap_question_where;
	ctb_file *files;
	size_t nfiles;
	orga_content_report *report;  /* may be NULL */
	size_t nerrors;
	com_err fatal;                /* ENOMEM while building */
	const ctb_file *file;         /* the file being checked */
	com_buf path;                 /* the path being checked */
	size_t marks[ORGA_JSONLINE_DEPTH];
	size_t depth;
} ctb_ctx;

/* orga_ctb_store_free frees a store (arena, documents); NULL: no-op. */
void orga_ctb_store_free(struct orga_content_store *st);

/* Arena memory of the model, zeroed; NULL (and ctx->fatal) on ENOMEM. */
void *orga_ctb_alloc(ctb_ctx *ctx, size_t size);

/* The path: enter a member or an element, and leave it. */
void orga_ctb_push_key(ctb_ctx *ctx, const char *key);
void orga_ctb_push_index(ctb_ctx *ctx, size_t i);
void orga_ctb_pop(ctb_ctx *ctx);

/*
 * orga_ctb_error reports "FILE:LINE: PATH : message" for the current file
 * and path (with key appended when not NULL), the line being that of the
 * value or of its nearest ancestor.
 */
void orga_ctb_error(ctb_ctx *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* orga_ctb_error_at reports "FILE:LINE: message" (line 0: "FILE: …"). */
void orga_ctb_error_at(ctb_ctx *ctx, const char *file, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The line of the current path, and key below it. */
unsigned orga_ctb_line(const ctb_ctx *ctx, const char *key);

/*
 * orga_ctb_keys reports every member of obj whose key is not in allowed
 * (NULL-terminated); known (may be NULL) are keys that exist for other
 * kinds of object, named as out of place rather than unknown.
 */
void orga_ctb_keys(ctb_ctx *ctx, const json_t *obj,
    const char *const *allowed, const char *const *known, const char *what);

/* How a string is checked (orga_ctb_string). */
#define CTB_OPTIONAL 0x1u   /* absent is fine (*out = NULL) */
#define CTB_LINES 0x2u      /* line breaks are allowed */
#define CTB_PLAIN 0x4u      /* no HTML tag */

/*
 * orga_ctb_string: member key of obj is a string of min..max code points
 * without control characters (but line breaks under CTB_LINES); writes it
 * into *out (borrowed from the document) and returns true, or reports why
 * not and returns false.
 */
bool orga_ctb_string(ctb_ctx *ctx, const json_t *obj, const char *key,
    size_t min, size_t max, unsigned flags, const char **out);

/* orga_ctb_text checks value s (at the current path and key) as above. */
bool orga_ctb_text(ctb_ctx *ctx, const char *key, const json_t *v,
    size_t min, size_t max, unsigned flags, const char **out);

/*
 * orga_ctb_array: member key of obj is an array of min..max elements;
 * returns it, or reports and returns NULL (also when absent).
 */
const json_t *orga_ctb_array(ctb_ctx *ctx, const json_t *obj,
    const char *key, size_t min, size_t max);

/* orga_ctb_integer: member key is an integer of min..max, into *out. */
bool orga_ctb_integer(ctb_ctx *ctx, const json_t *obj, const char *key,
    long long min, long long max, long long *out);

/* orga_ctb_id: s holds min..max characters, each of [a-z0-9] and, when
 * dash, '-'; reports at key otherwise. */
bool orga_ctb_id(ctb_ctx *ctx, const char *key, const char *s, size_t min,
    size_t max, bool dash);

/* orga_ctb_file_find: the bundle file named name, or NULL. */
const ctb_file *orga_ctb_file_find(const ctb_ctx *ctx, const char *name);

/*
 * orga_ctb_competence checks competence file f, which should hold
 * competence k (k == SIZE_MAX: a file matching no competence, checked
 * all the same), and appends its topics, skills and questions.
 */
void orga_ctb_competence(ctb_ctx *ctx, const ctb_file *f, size_t k);

#endif
