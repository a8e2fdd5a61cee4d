/*
 * match.h - matching a student's typed names to one of the school's
 * imported learners (rattachement): name keys, edit distance, and the
 * two-pass rule of the product rules (linking). Pure, no database.
 */
#ifndef ORGA_MATCH_H
#define ORGA_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Largest name key, in bytes with its NUL; longer names are refused. */
#define ORGA_MATCH_KEY_MAX 1024
/* Most code points of a key the distance compares. */
#define ORGA_MATCH_CHARS_MAX 256

/*
 * orga_match_key writes the comparison key of name (UTF-8) into out
 * (size bytes): lower case, accents removed (Latin-1, Latin Extended-A,
 * the usual Latin Extended-B letters, combining marks; "œ" → "oe",
 * "æ" → "ae", "ß" → "ss", "þ" → "th"), every space, hyphen, apostrophe and
 * other punctuation or symbol removed; letters of other scripts are kept
 * as they are. "Jean-Pierre D'Arc" → "jeanpierredarc". COM_EINVAL for
 * malformed UTF-8, COM_ETOOLARGE when the key does not fit. Pure.
 */
com_err orga_match_key(const char *name, char *out, size_t size)
    COM_MUSTCHECK;

/*
 * orga_match_distance is the Levenshtein distance between two keys,
 * counted in code points (insertions, deletions, substitutions), each
 * key cut at ORGA_MATCH_CHARS_MAX code points. Pure.
 */
size_t orga_match_distance(const char *a, const char *b);

/* orga_match_chars counts the code points of a key. Pure. */
size_t orga_match_chars(const char *key);

/*
 * One learner who may be the student: the school's active learners born
 * on the typed date. Names as imported (raw); NULL or "" when absent.
 * Strings are borrowed from the caller.
 */
typedef struct orga_match_candidate {
	int64_t id;
	const char *first_name;     /* PRENOM */
	const char *first_name2;    /* PRENOM2 */
	const char *first_name3;    /* PRENOM3 */
	const char *last_name;      /* NOM_DE_FAMILLE */
	const char *usage_name;     /* NOM_USAGE */
} orga_match_candidate;

/*
 * orga_match_find picks the one learner of cands (n entries) whose names
 * match the typed first and last names:
 *  - pass 1, exact keys; pass 2, only when pass 1 found nobody, tolerant:
 *    an edit distance of at most 25 % of the typed name's length (in code
 *    points), for the first and the last name each;
 *  - in each pass the typed first name is tried against PRENOM, then
 *    PRENOM2, then PRENOM3 (the first of these that matches anybody
 *    decides), always with the typed last name against NOM_DE_FAMILLE or
 *    NOM_USAGE.
 * Writes the learner's index into *index when exactly one matches.
 * COM_ENOTFOUND when nobody matches, COM_ECONFLICT when several do (the
 * caller tells the student neither), COM_EINVAL when a typed name has an
 * empty key or is malformed. Pure.
 */
com_err orga_match_find(const char *first_name, const char *last_name,
    const orga_match_candidate *cands, size_t n, size_t *index)
    COM_MUSTCHECK;

#endif
