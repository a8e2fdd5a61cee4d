/*
 * answer.c - right or wrong: choice sets, and free text compared after the
 * question's tolerances (folding, punctuation, edit distance).
 */
#include "assessment/answer.h"

#include <string.h>

#include "utf8.h"

/* The largest normalized accepted spelling (200 code points of 4 bytes). */
#define ANS_SPELLING_MAX 1024
#define ANS_FIELDS_MAX ORGA_CONTENT_FIELDS_MAX
#define ANS_GROUPS_MAX ORGA_CONTENT_GROUPS_MAX

/*
 * Base letters of U+00C0..U+00FF under t1: '*' expands (ans_expand),
 * '=' is kept as it is (the signs × and ÷).
 */
static const char ans_latin1[64 + 1] =
	"aaaaaa*ceeeeiiii" "dnooooo=ouuuuy**"
	"aaaaaa*ceeeeiiii" "dnooooo=ouuuuy*y";

/* Decodes one code point of valid UTF-8; returns its byte count. */
static size_t
ans_decode(const unsigned char *s, unsigned *cp)
{
	unsigned c = s[0];
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	*cp = c & (0x7fu >> n);
	for (size_t k = 1; k < n; k++)
		*cp = (*cp << 6) | (s[k] & 0x3fu);
	return n;
}

static bool
ans_is_space(unsigned cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 ||
	    cp == 0xfeff;
}

/* Unicode punctuation (category P) of the scripts French text uses. */
static bool
ans_is_punct(unsigned cp)
{
	if (cp < 0x80)
		return cp != 0 && strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)cp);
	return cp == 0xa1 || cp == 0xa7 || cp == 0xab || cp == 0xb6 ||
	    cp == 0xb7 || cp == 0xbb || cp == 0xbf ||
	    (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x2043) ||
	    (cp >= 0x2045 && cp <= 0x2051) || (cp >= 0x2053 && cp <= 0x205e);
}

static const char *
ans_expand(unsigned cp)
{
	switch (cp) {
	case 0xc6: case 0xe6:
		return "ae";
	case 0xde: case 0xfe:
		return "th";
	case 0xdf:
		return "ss";
	case 0x152: case 0x153:
		return "oe";
	default:
		return NULL;
	}
}

/*
 * What cp becomes under t1: when it changes, *bytes and *len are set to
 * its replacement (one letter kept in one[], two from a table, or none).
 */
static void
ans_fold(unsigned cp, char one[2], const char **bytes, size_t *len)
{
	const char *two = ans_expand(cp);
	char c;

	if (two != NULL) {
		*bytes = two;
		*len = 2;
		return;
	}
	if (cp >= 'A' && cp <= 'Z')
		c = (char)(cp - 'A' + 'a');
	else if (cp >= 0xc0 && cp <= 0xff && ans_latin1[cp - 0xc0] != '=')
		c = ans_latin1[cp - 0xc0];
	else if (cp == 0x178)
		c = 'y';
	else if ((cp >= 0x300 && cp <= 0x36f) || cp == 0x200c || cp == 0x200d)
		c = '\0';           /* combining accents, joiners: dropped */
	else
		return;
	one[0] = c;
	*bytes = one;
	*len = c != '\0';
}

/* The byte range [*start, *end) of s[0..len) without surrounding white
 * space; s is valid UTF-8. */
static void
ans_trim(const char *s, size_t len, size_t *start, size_t *end)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, last = 0;

	*start = len;
	while (i < len) {
		unsigned cp;
		size_t n = ans_decode(p + i, &cp);

		if (!ans_is_space(cp)) {
			if (*start == len)
				*start = i;
			last = i + n;
		}
		i += n;
	}
	*end = *start == len ? len : last;
}

com_err
orga_answer_normalize(const char *s, size_t len, unsigned tol, char *out,
    size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start, end, o = 0;

	if (!com_utf8_valid(s, len))
		return COM_EINVAL;
	ans_trim(s, len, &start, &end);
	if (size == 0)
		return COM_ETOOLARGE;
	for (size_t i = start, n; i < end; i += n) {
		const char *bytes = s + i;
		char one[2];
		unsigned cp;
		size_t keep;

		n = ans_decode(p + i, &cp);
		keep = n;
		if (((tol & ORGA_TOL_T1) && ans_is_space(cp)) ||
		    ((tol & ORGA_TOL_T2) && ans_is_punct(cp)))
			continue;
		if (tol & ORGA_TOL_T1)
			ans_fold(cp, one, &bytes, &keep);
		if (size - o <= keep)
			return COM_ETOOLARGE;
		memcpy(out + o, bytes, keep);
		o += keep;
	}
	out[o] = '\0';
	if ((tol & ORGA_TOL_T2) && !(tol & ORGA_TOL_T1)) {
		/* "« Paris »" leaves spaces where the quotes were. */
		ans_trim(out, o, &start, &end);
		memmove(out, out + start, end - start);
		out[end - start] = '\0';
	}
	return COM_OK;
}

/* Decodes up to max code points of s into cps; max + 1 when longer. */
static size_t
ans_points(const char *s, unsigned *cps, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p != '\0') {
		if (n == max)
			return max + 1;
		p += ans_decode(p, &cps[n++]);
	}
	return n;
}

size_t
orga_answer_distance(const char *a, const char *b, size_t limit)
{
	unsigned ca[ORGA_ANSWER_TEXT_MAX], cb[ORGA_ANSWER_TEXT_MAX];
	size_t row[ORGA_ANSWER_TEXT_MAX + 1];
	size_t na = ans_points(a, ca, ORGA_ANSWER_TEXT_MAX);
	size_t nb = ans_points(b, cb, ORGA_ANSWER_TEXT_MAX);

	if (na > ORGA_ANSWER_TEXT_MAX || nb > ORGA_ANSWER_TEXT_MAX ||
	    (na > nb ? na - nb : nb - na) > limit)
		return limit + 1;
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0], least;

		row[0] = i;
		least = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = diag + (ca[i - 1] != cb[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;

			diag = row[j];
			row[j] = cost < del ? cost : del;
			if (ins < row[j])
				row[j] = ins;
			if (row[j] < least)
				least = row[j];
		}
		/* Every later cell is at least this row's least. */
		if (least > limit)
			return limit + 1;
	}
	return row[nb] > limit ? limit + 1 : row[nb];
}

/* Whether the normalized typed text matches one spelling under tol. */
static bool
ans_matches_norm(const char *typed, const orga_content_strings *sp,
    unsigned tol)
{
	char norm[ANS_SPELLING_MAX];

	if (typed[0] == '\0')
		return false;
	for (size_t i = 0; i < sp->n; i++) {
		size_t limit;

		if (orga_answer_normalize(sp->v[i], strlen(sp->v[i]), tol, norm,
		        sizeof(norm)) != COM_OK)
			continue;
		if (strcmp(typed, norm) == 0)
			return true;
		if (!(tol & ORGA_TOL_T3))
			continue;
		limit = com_utf8_chars(norm, strlen(norm)) / 4;
		if (limit > 0 && orga_answer_distance(typed, norm, limit) <= limit)
			return true;
	}
	return false;
}

/* Normalizes a typed text into out (ORGA_ANSWER_TEXT_MAX + 1 bytes);
 * false when it is too long or malformed. */
static bool
ans_typed(const char *typed, size_t len, unsigned tol, char *out)
{
	if (typed == NULL || len > ORGA_ANSWER_TEXT_MAX)
		return false;
	return orga_answer_normalize(typed, len, tol, out,
	           ORGA_ANSWER_TEXT_MAX + 1) == COM_OK;
}

bool
orga_answer_text_matches(const char *typed, size_t len,
    const orga_content_strings *spellings, unsigned tol)
{
	char norm[ORGA_ANSWER_TEXT_MAX + 1];

	return ans_typed(typed, len, tol, norm) &&
	    ans_matches_norm(norm, spellings, tol);
}

static size_t
ans_len(const char *s)
{
	return s == NULL ? 0 : strnlen(s, ORGA_ANSWER_TEXT_MAX + 1);
}

static bool
ans_choices(const orga_content_question *q, const orga_answer *a)
{
	unsigned mask = 0;

	if (a->nchoices == 0 || a->nchoices > ORGA_ANSWER_CHOICES_MAX ||
	    (q->kind == ORGA_QUESTION_QCU && a->nchoices != 1))
		return false;
	for (size_t i = 0; i < a->nchoices; i++) {
		unsigned k = a->choices[i];

		if (k == 0 || k > q->choices.n || (mask & (1u << (k - 1))))
			return false;
		mask |= 1u << (k - 1);
	}
	return mask == q->solution;
}

/* Kuhn's augmenting path: gives field f a group, moving others. */
static bool
ans_augment(bool ok[][ANS_GROUPS_MAX], size_t ngroups, size_t f,
    int owner[], bool seen[])
{
	for (size_t g = 0; g < ngroups; g++) {
		if (!ok[f][g] || seen[g])
			continue;
		seen[g] = true;
		if (owner[g] < 0 ||
		    ans_augment(ok, ngroups, (size_t)owner[g], owner, seen)) {
			owner[g] = (int)f;
			return true;
		}
	}
	return false;
}

/* Each field matches a distinct accepted answer (a perfect matching). */
static bool
ans_dependent(const orga_content_question *q,
    char typed[][ORGA_ANSWER_TEXT_MAX + 1])
{
	bool ok[ANS_FIELDS_MAX][ANS_GROUPS_MAX];
	int owner[ANS_GROUPS_MAX];

	if (q->ngroups > ANS_GROUPS_MAX)
		return false;
	for (size_t f = 0; f < q->nfields; f++)
		for (size_t g = 0; g < q->ngroups; g++)
			ok[f][g] = ans_matches_norm(typed[f], &q->groups[g],
			    q->tolerances);
	for (size_t g = 0; g < q->ngroups; g++)
		owner[g] = -1;
	for (size_t f = 0; f < q->nfields; f++) {
		bool seen[ANS_GROUPS_MAX] = {false};

		if (!ans_augment(ok, q->ngroups, f, owner, seen))
			return false;
	}
	return true;
}

static bool
ans_fields(const orga_content_question *q, const orga_answer *a)
{
	char typed[ANS_FIELDS_MAX][ORGA_ANSWER_TEXT_MAX + 1];

	if (a->ntexts != q->nfields || q->nfields > ANS_FIELDS_MAX)
		return false;
	for (size_t f = 0; f < q->nfields; f++)
		if (!ans_typed(a->texts[f], ans_len(a->texts[f]), q->tolerances,
		        typed[f]))
			return false;
	if (q->dependent)
		return ans_dependent(q, typed);
	for (size_t f = 0; f < q->nfields; f++)
		if (!ans_matches_norm(typed[f], &q->fields[f].answers,
		        q->tolerances))
			return false;
	return true;
}

bool
orga_answer_check(const orga_content_question *q, const orga_answer *a)
{
	switch (q->kind) {
	case ORGA_QUESTION_QCU:
	case ORGA_QUESTION_QCM:
		return ans_choices(q, a);
	case ORGA_QUESTION_QROC:
		return a->ntexts == 1 &&
		    orga_answer_text_matches(a->texts[0], ans_len(a->texts[0]),
		        &q->answers, q->tolerances);
	case ORGA_QUESTION_QROCM:
		return ans_fields(q, a);
	}
	return false;
}
