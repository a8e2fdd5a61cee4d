/* xmlmem.c - a counting, capped memory suite for expat. */
#include "siecle/xmlmem.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct imp_xmlmem_hdr {
	_Alignas(max_align_t) imp_xmlmem *owner;
	size_t size;
} imp_xmlmem_hdr;

static _Thread_local imp_xmlmem *imp_xmlmem_current;
static long imp_xmlmem_countdown;

void
imp_xmlmem_init(imp_xmlmem *m, size_t cap)
{
	m->used = 0;
	m->cap = cap;
	m->over_cap = false;
}

void
imp_xmlmem_enter(imp_xmlmem *m)
{
	imp_xmlmem_current = m;
}

void
imp_xmlmem_leave(void)
{
	imp_xmlmem_current = NULL;
}

void
imp_xmlmem_fail_after(long n)
{
	imp_xmlmem_countdown = n;
}

static bool
imp_xmlmem_injected(void)
{
	if (imp_xmlmem_countdown <= 0)
		return false;
	return --imp_xmlmem_countdown == 0;
}

/* May owner grow from old to size bytes? Marks the cap when not. */
static bool
imp_xmlmem_allow(imp_xmlmem *m, size_t old, size_t size)
{
	if (m == NULL || size <= old)
		return true;
	if (size - old > m->cap - m->used) {
		m->over_cap = true;
		return false;
	}
	return true;
}

static void *
imp_xmlmem_malloc(size_t size)
{
	imp_xmlmem *m = imp_xmlmem_current;
	imp_xmlmem_hdr *h;

	if (imp_xmlmem_injected() || size > SIZE_MAX - sizeof(*h) ||
	    !imp_xmlmem_allow(m, 0, size))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (h == NULL)
		return NULL;
	h->owner = m;
	h->size = size;
	if (m != NULL)
		m->used += size;
	return h + 1;
}

static void
imp_xmlmem_free(void *ptr)
{
	imp_xmlmem_hdr *h;

	if (ptr == NULL)
		return;
	h = (imp_xmlmem_hdr *)ptr - 1;
	if (h->owner != NULL)
		h->owner->used -= h->size;
	free(h);
}

static void *
imp_xmlmem_realloc(void *ptr, size_t size)
{
	imp_xmlmem_hdr *h;
	imp_xmlmem_hdr *nh;

	if (ptr == NULL)
		return imp_xmlmem_malloc(size);
	h = (imp_xmlmem_hdr *)ptr - 1;
	if (imp_xmlmem_injected() || size > SIZE_MAX - sizeof(*h) ||
	    !imp_xmlmem_allow(h->owner, h->size, size))
		return NULL;
	nh = realloc(h, sizeof(*nh) + size);
	if (nh == NULL)
		return NULL;
	if (nh->owner != NULL)
		nh->owner->used = nh->owner->used - nh->size + size;
	nh->size = size;
	return nh + 1;
}

static const XML_Memory_Handling_Suite imp_xmlmem_suite = {
	imp_xmlmem_malloc,
	imp_xmlmem_realloc,
	imp_xmlmem_free,
};

XML_Parser
imp_xmlmem_parser_create(imp_xmlmem *m)
{
	XML_Parser xp;

	imp_xmlmem_enter(m);
	xp = XML_ParserCreate_MM(NULL, &imp_xmlmem_suite, NULL);
	imp_xmlmem_leave();
	return xp;
}

void
imp_xmlmem_parser_free(imp_xmlmem *m, XML_Parser xp)
{
	imp_xmlmem_enter(m);
	XML_ParserFree(xp);
	imp_xmlmem_leave();
}
