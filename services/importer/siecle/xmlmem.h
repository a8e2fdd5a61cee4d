/*
 * xmlmem.h - expat's memory, counted per parser and capped, so a huge
 * single token (a giant attribute, name or comment that expat must hold
 * whole) is refused instead of growing the daemon. Tests can also make
 * the Nth allocation fail.
 */
#ifndef IMP_XMLMEM_H
#define IMP_XMLMEM_H

#include <stdbool.h>
#include <stddef.h>

#include <expat.h>

typedef struct imp_xmlmem {
	size_t used;     /* bytes expat holds now */
	size_t cap;      /* the most it may hold */
	bool over_cap;   /* an allocation was refused for the cap */
} imp_xmlmem;

/* imp_xmlmem_init prepares the counter of one parser. */
void imp_xmlmem_init(imp_xmlmem *m, size_t cap);

/*
 * imp_xmlmem_parser_create creates an expat parser (encoding from the
 * document) whose allocations are counted in m; NULL on ENOMEM. m must
 * outlive the parser.
 */
XML_Parser imp_xmlmem_parser_create(imp_xmlmem *m);

/* imp_xmlmem_parser_free frees xp (created with m). */
void imp_xmlmem_parser_free(imp_xmlmem *m, XML_Parser xp);

/*
 * imp_xmlmem_enter / _leave bracket every expat call that may allocate
 * (XML_Parse): expat's allocator has no context argument, so the parser
 * being served is a thread-local.
 */
void imp_xmlmem_enter(imp_xmlmem *m);
void imp_xmlmem_leave(void);

/*
 * imp_xmlmem_fail_after (tests only, not thread-safe): the nth expat
 * allocation from now fails (1 = the next); 0 turns it off.
 */
void imp_xmlmem_fail_after(long n);

#endif
