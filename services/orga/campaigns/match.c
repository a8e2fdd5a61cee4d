/*
 * match.c - name keys (lower case, no accent, no punctuation), Levenshtein
 * distance in code points, and the two-pass choice of one learner.
 */
#include "campaigns/match.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

/*
 * Replacements of U+00C0..U+00FF and U+0100..U+017F, one byte a code
 * point: a letter is the replacement; '-' removes the code point; upper
 * case letters stand for two letters (see match_expand).
 */
static const char match_latin1[] =
	"aaaaaaAceeeeiiiidnooooo-ouuuuyTS"   /* U+00C0..U+00DF */
	"aaaaaaAceeeeiiiidnooooo-ouuuuyTy";  /* U+00E0..U+00FF */
static const char match_latin_ext_a[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh"
	"iiiiiiiiii" "II" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "OO"
	"rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

_Static_assert(sizeof(match_latin1) == 64 + 1, "U+00C0..U+00FF");
_Static_assert(sizeof(match_latin_ext_a) == 128 + 1, "U+0100..U+017F");

/* Letters of Latin Extended-B names in French lists (Romanian, pinyin,
 * Vietnamese bases). */
static const struct {
	unsigned cp;
	char to;
} match_ext_b[] = {
	{0x0180, 'b'}, {0x0181, 'b'}, {0x0187, 'c'}, {0x0188, 'c'},
	{0x0189, 'd'}, {0x018a, 'd'}, {0x0191, 'f'}, {0x0192, 'f'},
	{0x0193, 'g'}, {0x0197, 'i'}, {0x0198, 'k'}, {0x0199, 'k'},
	{0x019a, 'l'}, {0x019d, 'n'}, {0x019e, 'n'}, {0x019f, 'o'},
	{0x01a0, 'o'}, {0x01a1, 'o'}, {0x01ab, 't'}, {0x01ac, 't'},
	{0x01ad, 't'}, {0x01ae, 't'}, {0x01af, 'u'}, {0x01b0, 'u'},
	{0x01b3, 'y'}, {0x01b4, 'y'}, {0x01b5, 'z'}, {0x01b6, 'z'},
	{0x01cd, 'a'}, {0x01ce, 'a'}, {0x01cf, 'i'}, {0x01d0, 'i'},
	{0x01d1, 'o'}, {0x01d2, 'o'}, {0x01d3, 'u'}, {0x01d4, 'u'},
	{0x01d5, 'u'}, {0x01d6, 'u'}, {0x01d7, 'u'}, {0x01d8, 'u'},
	{0x01d9, 'u'}, {0x01da, 'u'}, {0x01db, 'u'}, {0x01dc, 'u'},
	{0x01de, 'a'}, {0x01df, 'a'}, {0x01e6, 'g'}, {0x01e7, 'g'},
	{0x01e8, 'k'}, {0x01e9, 'k'}, {0x01ea, 'o'}, {0x01eb, 'o'},
	{0x01f0, 'j'}, {0x01f4, 'g'}, {0x01f5, 'g'}, {0x01f8, 'n'},
	{0x01f9, 'n'}, {0x01fa, 'a'}, {0x01fb, 'a'}, {0x01fe, 'o'},
	{0x01ff, 'o'}, {0x0200, 'a'}, {0x0201, 'a'}, {0x0202, 'a'},
	{0x0203, 'a'}, {0x0204, 'e'}, {0x0205, 'e'}, {0x0206, 'e'},
	{0x0207, 'e'}, {0x0208, 'i'}, {0x0209, 'i'}, {0x020a, 'i'},
	{0x020b, 'i'}, {0x020c, 'o'}, {0x020d, 'o'}, {0x020e, 'o'},
	{0x020f, 'o'}, {0x0210, 'r'}, {0x0211, 'r'}, {0x0212, 'r'},
	{0x0213, 'r'}, {0x0214, 'u'}, {0x0215, 'u'}, {0x0216, 'u'},
	{0x0217, 'u'}, {0x0218, 's'}, {0x0219, 's'}, {0x021a, 't'},
	{0x021b, 't'}, {0x021e, 'h'}, {0x021f, 'h'}, {0x0226, 'a'},
	{0x0227, 'a'}, {0x0228, 'e'}, {0x0229, 'e'}, {0x022e, 'o'},
	{0x022f, 'o'}, {0x0232, 'y'}, {0x0233, 'y'},
};

/* Decodes one code point of valid UTF-8 at s; returns its byte count. */
static size_t
match_decode(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = ((unsigned)(s[0] & 0x0f) << 12) |
		    ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	*cp = ((unsigned)(s[0] & 0x07) << 18) |
	    ((unsigned)(s[1] & 0x3f) << 12) | ((unsigned)(s[2] & 0x3f) << 6) |
	    (s[3] & 0x3f);
	return 4;
}

/* The two letters an upper-case table entry stands for. */
static const char *
match_expand(char c)
{
	switch (c) {
	case 'A':
		return "ae";
	case 'O':
		return "oe";
	case 'S':
		return "ss";
	case 'T':
		return "th";
	case 'I':
		return "ij";
	default:
		return NULL;
	}
}

/*
 * What code point cp becomes in a key: *ascii (one or two letters, "" to
 * drop it) or, when *ascii is NULL, the code point itself.
 */
static void
match_fold(unsigned cp, char tmp[2], const char **ascii)
{
	char c = 0;

	*ascii = NULL;
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			c = (char)(cp - 'A' + 'a');
		else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			c = (char)cp;
		else
			c = '-';     /* spaces, hyphens, apostrophes, symbols */
	} else if (cp < 0xc0) {
		c = '-';             /* Latin-1 spaces and symbols */
	} else if (cp < 0x100) {
		c = match_latin1[cp - 0xc0];
	} else if (cp < 0x180) {
		c = match_latin_ext_a[cp - 0x100];
	} else if (cp < 0x250) {
		for (size_t i = 0; i < sizeof(match_ext_b) /
		                           sizeof(match_ext_b[0]);
		     i++)
			if (match_ext_b[i].cp == cp)
				c = match_ext_b[i].to;
		if (c == 0)
			return;      /* kept as it is */
	} else if ((cp >= 0x2b0 && cp <= 0x36f) ||   /* modifiers, marks */
	    (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x2000 && cp <= 0x206f) ||          /* punctuation */
	    (cp >= 0x20d0 && cp <= 0x20ff) || cp == 0x3000 ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
	    (cp >= 0xfe20 && cp <= 0xfe2f)) {
		c = '-';
	} else {
		return;              /* other scripts: kept */
	}
	if (c == '-') {
		*ascii = "";
		return;
	}
	*ascii = match_expand(c);
	if (*ascii != NULL)
		return;
	tmp[0] = c;
	tmp[1] = '\0';
	*ascii = tmp;
}

com_err
orga_match_key(const char *name, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name), o = 0;

	if (size == 0)
		return COM_ETOOLARGE;
	if (!com_utf8_valid(name, len))
		return COM_EINVAL;
	for (size_t i = 0; i < len;) {
		const char *ascii;
		char tmp[2];
		unsigned cp;
		size_t n = match_decode(s + i, &cp), add;

		match_fold(cp, tmp, &ascii);
		add = ascii != NULL ? strlen(ascii) : n;
		if (o + add >= size)
			return COM_ETOOLARGE;
		memcpy(out + o, ascii != NULL ? ascii : name + i, add);
		o += add;
		i += n;
	}
	out[o] = '\0';
	return COM_OK;
}

/* Decodes up to ORGA_MATCH_CHARS_MAX code points of key into cps. */
static size_t
match_points(const char *key, unsigned *cps)
{
	const unsigned char *s = (const unsigned char *)key;
	size_t n = 0;

	while (*s != '\0' && n < ORGA_MATCH_CHARS_MAX)
		s += match_decode(s, &cps[n++]);
	return n;
}

size_t
orga_match_chars(const char *key)
{
	unsigned cps[ORGA_MATCH_CHARS_MAX];

	return match_points(key, cps);
}

size_t
orga_match_distance(const char *a, const char *b)
{
	unsigned ca[ORGA_MATCH_CHARS_MAX], cb[ORGA_MATCH_CHARS_MAX];
	size_t row[ORGA_MATCH_CHARS_MAX + 1];
	size_t na = match_points(a, ca), nb = match_points(b, cb);

	/* One row of the classic table; diag keeps the cell up-left. */
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] == cb[j - 1] ? 0 : 1);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

/*
 * Whether the typed key (typed_chars code points) matches the imported
 * name raw: equal keys when exact, else a distance of at most 25 % of
 * the typed length. An absent or unreadable name matches nothing.
 */
static bool
match_name(const char *typed, size_t typed_chars, const char *raw,
    bool exact)
{
	char key[ORGA_MATCH_KEY_MAX];

	if (raw == NULL || raw[0] == '\0' ||
	    orga_match_key(raw, key, sizeof(key)) != COM_OK || key[0] == '\0')
		return false;
	if (exact)
		return strcmp(typed, key) == 0;
	return 4 * orga_match_distance(typed, key) <= typed_chars;
}

static const char *
match_given(const orga_match_candidate *c, int which)
{
	return which == 0 ? c->first_name
	    : which == 1  ? c->first_name2
	                  : c->first_name3;
}

com_err
orga_match_find(const char *first_name, const char *last_name,
    const orga_match_candidate *cands, size_t n, size_t *index)
{
	char first[ORGA_MATCH_KEY_MAX], last[ORGA_MATCH_KEY_MAX];
	size_t first_chars, last_chars;

	if (orga_match_key(first_name, first, sizeof(first)) != COM_OK ||
	    orga_match_key(last_name, last, sizeof(last)) != COM_OK ||
	    first[0] == '\0' || last[0] == '\0')
		return COM_EINVAL;
	first_chars = orga_match_chars(first);
	last_chars = orga_match_chars(last);
	for (int pass = 0; pass < 2; pass++) {
		bool exact = pass == 0;

		for (int which = 0; which < 3; which++) {
			size_t found = 0, at = 0;

			for (size_t i = 0; i < n; i++) {
				const orga_match_candidate *c = &cands[i];

				if (!match_name(first, first_chars,
				        match_given(c, which), exact))
					continue;
				if (!match_name(last, last_chars, c->last_name,
				        exact) &&
				    !match_name(last, last_chars, c->usage_name,
				        exact))
					continue;
				found++;
				at = i;
			}
			if (found > 1)
				return COM_ECONFLICT;
			if (found == 1) {
				*index = at;
				return COM_OK;
			}
		}
	}
	return COM_ENOTFOUND;
}
