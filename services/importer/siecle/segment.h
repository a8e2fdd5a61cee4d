/*
 * segment.h - where a SIECLE file may be cut so that two expat parsers
 * read its halves at once. A cut is put before an ELEVE or a
 * STRUCTURES_ELEVE start tag found in the bytes alone; the parser of the
 * part before checks that it really meets that element there (not inside
 * a comment, a CDATA section or an attribute), else the file is parsed
 * again in one piece. Pure functions, no state.
 */
#ifndef IMP_SEGMENT_H
#define IMP_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>

/* The element a part starts inside of. */
typedef enum imp_cut_parent {
	IMP_CUT_ELEVES = 1,      /* before an ELEVE */
	IMP_CUT_STRUCTURES,      /* before a STRUCTURES_ELEVE */
} imp_cut_parent;

/*
 * imp_cut_find looks in data[0, len) for the first "<ELEVE" or
 * "<STRUCTURES_ELEVE" followed by a blank or '>'; true with its offset and
 * parent when found.
 */
bool imp_cut_find(const char *data, size_t len, size_t *at,
    imp_cut_parent *parent);

/*
 * imp_cut_prologue: the length of the file's optional byte order mark and
 * XML declaration ("<?xml ... ?>") at the start of head[0, len), which a
 * later part repeats so that its parser reads the same encoding. 0 when
 * the file has no declaration; false when head ends inside it.
 */
bool imp_cut_prologue(const char *head, size_t len, size_t *out);

#endif
