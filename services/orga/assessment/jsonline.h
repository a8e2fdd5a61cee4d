/*
 * jsonline.h - where each value of a JSON text starts: a small tokenizer
 * that walks the raw text and records the line of every value under its
 * path ("topics[0].skills[2].name"), since jansson keeps no line numbers
 * for values. Pure.
 */
#ifndef ORGA_JSONLINE_H
#define ORGA_JSONLINE_H

#include <stddef.h>

#include "err.h"

/* The deepest nesting the index follows. */
#define ORGA_JSONLINE_DEPTH 64

typedef struct orga_jsonline orga_jsonline;

/*
 * orga_jsonline_new indexes the JSON text (len bytes, borrowed for the
 * call only) into *out (free it with orga_jsonline_free). Paths: "" is
 * the root; a member is its parent's path, a '.' unless the parent is
 * the root, and the key as decoded; an element is its parent's path and
 * "[i]". COM_EINVAL for text that is not JSON or nests deeper than
 * ORGA_JSONLINE_DEPTH, COM_ENOMEM.
 */
com_err orga_jsonline_new(const char *text, size_t len, orga_jsonline **out)
    COM_MUSTCHECK;

/*
 * orga_jsonline_find: the line (from 1) where the value at path starts,
 * or, when there is none, where its nearest existing ancestor starts (a
 * missing member is reported at its object); 0 for an empty index.
 */
unsigned orga_jsonline_find(const orga_jsonline *ix, const char *path);

/* orga_jsonline_free frees an index; NULL is a no-op. */
void orga_jsonline_free(orga_jsonline *ix);

#endif
