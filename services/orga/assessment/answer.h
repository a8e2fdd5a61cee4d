/*
 * answer.h - checking a student's answer to one question: choices (QCU,
 * QCM) and free text (QROC, QROCM) under the question's tolerances t1, t2,
 * t3 (notes: content-format.md). Pure.
 */
#ifndef ORGA_ANSWER_H
#define ORGA_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "assessment/content.h"
#include "err.h"

/* A typed answer longer than this (bytes) is wrong, never compared. */
#define ORGA_ANSWER_TEXT_MAX 500
/* The most choices one answer may give. */
#define ORGA_ANSWER_CHOICES_MAX 8

/*
 * What a student gave, borrowed from the caller: choices are 1-based
 * indexes (QCU: one, QCM: the set, in any order); texts are NUL-terminated
 * UTF-8 strings (QROC: one, QROCM: one a field, in the fields' order).
 */
typedef struct orga_answer {
	const unsigned *choices;
	size_t nchoices;
	const char *const *texts;
	size_t ntexts;
} orga_answer;

/*
 * orga_answer_check says whether a answers q rightly: QCU the one right
 * index; QCM exactly the right set (a repeated index is wrong); QROC the
 * text matches one accepted spelling; QROCM independent: each field one of
 * its own answers; dependent: each field a distinct accepted answer, in
 * any order. Anything malformed (an index out of range, too many or too
 * few texts, a text over ORGA_ANSWER_TEXT_MAX bytes or not UTF-8, an empty
 * text) is simply wrong. Pure.
 */
bool orga_answer_check(const orga_content_question *q, const orga_answer *a);

/*
 * orga_answer_text_matches: typed (len bytes) matches one of spellings
 * under tolerances tol (ORGA_TOL_*). Pure.
 */
bool orga_answer_text_matches(const char *typed, size_t len,
    const orga_content_strings *spellings, unsigned tol);

/*
 * orga_answer_normalize writes into out (size bytes, NUL-terminated) the
 * form of s (len bytes of UTF-8) that is compared under tol: surrounding
 * white space trimmed; t1: lower case, accents removed ("œ" → "oe",
 * "æ" → "ae", "ß" → "ss"), every white space removed; t2: punctuation
 * removed (t3 changes nothing here). COM_EINVAL when s is not UTF-8,
 * COM_ETOOLARGE when out is too small (len + 1 always suffices). Pure.
 */
com_err orga_answer_normalize(const char *s, size_t len, unsigned tol,
    char *out, size_t size) COM_MUSTCHECK;

/*
 * orga_answer_distance is the Levenshtein distance between a and b
 * (NUL-terminated UTF-8), in code points, or limit + 1 as soon as it is
 * known to exceed limit. Strings over ORGA_ANSWER_TEXT_MAX code points
 * give limit + 1. Pure.
 */
size_t orga_answer_distance(const char *a, const char *b, size_t limit);

#endif
