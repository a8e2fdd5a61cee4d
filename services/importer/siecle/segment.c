/* segment.c - cut points of a SIECLE file for parsing it in parts. */
#include "siecle/segment.h"

#include <string.h>

/* Tags a part may start with, and the element they live in. */
static const struct {
	const char *tag;
	size_t len;
	imp_cut_parent parent;
} imp_cut_tags[] = {
	{"<ELEVE", 6, IMP_CUT_ELEVES},
	{"<STRUCTURES_ELEVE", 17, IMP_CUT_STRUCTURES},
};

static bool
imp_cut_blank_or_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>';
}

bool
imp_cut_find(const char *data, size_t len, size_t *at,
    imp_cut_parent *parent)
{
	const char *p = data, *end = data + len;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		for (size_t i = 0; i < sizeof(imp_cut_tags) /
		     sizeof(imp_cut_tags[0]); i++) {
			size_t n = imp_cut_tags[i].len;

			/* The byte after the name is needed to tell ELEVE
			 * from ELEVES. */
			if ((size_t)(end - p) > n &&
			    memcmp(p, imp_cut_tags[i].tag, n) == 0 &&
			    imp_cut_blank_or_end(p[n])) {
				*at = (size_t)(p - data);
				*parent = imp_cut_tags[i].parent;
				return true;
			}
		}
		p++;
	}
	return false;
}

bool
imp_cut_prologue(const char *head, size_t len, size_t *out)
{
	static const char bom[] = "\xEF\xBB\xBF";
	size_t start = 0;
	const char *end;

	*out = 0;
	if (len >= 3 && memcmp(head, bom, 3) == 0)
		start = 3;
	if (len - start < 5)
		return false;
	if (memcmp(head + start, "<?xml", 5) != 0) {
		*out = start;
		return true;
	}
	end = memmem(head + start, len - start, "?>", 2);
	if (end == NULL)
		return false;
	*out = (size_t)(end - head) + 2;
	return true;
}
