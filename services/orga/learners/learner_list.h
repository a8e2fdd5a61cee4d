/*
 * learners.h - a school's imported students, one page at a time: search
 * ignoring case and accents, class filter, sorting, and the students no
 * longer in the school. Only members of the school may be shown them: the
 * caller checks that first.
 */
#ifndef ORGA_LEARNERS_H
#define ORGA_LEARNERS_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

#define ORGA_LEARNERS_PAGE_MAX 1000

typedef enum orga_learner_state {
	ORGA_LEARNERS_ACTIVE = 0,   /* in the school (default) */
	ORGA_LEARNERS_GONE,         /* no longer in the school */
	ORGA_LEARNERS_ALL,
} orga_learner_state;

typedef enum orga_learner_sort {
	ORGA_SORT_LAST_NAME = 0,
	ORGA_SORT_FIRST_NAME,
	ORGA_SORT_BIRTH_DATE,
	ORGA_SORT_CLASS,
} orga_learner_sort;

typedef struct orga_learner_query {
	const char *search;         /* NULL or "" for none */
	const char *class_code;     /* NULL or "" for every class */
	const char *login_method;   /* NULL or "" for any; "NONE", "GAR",
	                               "EMAIL" or "IDENTIFIER" */
	orga_learner_state state;
	orga_learner_sort sort;
	bool descending;
	int64_t offset;
	int limit;                  /* 1..ORGA_LEARNERS_PAGE_MAX */
} orga_learner_query;

/* One row; the strings live as long as the page. */
typedef struct orga_learner {
	int64_t id;
	const char *ine;
	const char *last_name;
	const char *usage_name;     /* "" when none */
	const char *first_name;
	const char *birth_date;     /* JJ/MM/AAAA */
	const char *class_code;
	bool active;
	bool linked;                /* an account is linked */
	const char *login_method;   /* the linked account's: "GAR",
	                               "EMAIL", "IDENTIFIER"; "" unlinked */
	bool blocked;               /* that account is blocked now */
	const char *identifier;     /* its identifier, "" when none */
} orga_learner;

typedef struct orga_learner_page {
	PGresult *res;              /* owned */
	int count;                  /* rows on this page */
	int64_t total;              /* rows matching the query */
} orga_learner_page;

/*
 * orga_learners_list loads one page of org_id's learners matching q.
 * Free with orga_learner_page_fini.
 */
com_err orga_learners_list(PGconn *db, int64_t org_id,
    const orga_learner_query *q, orga_learner_page *out) COM_MUSTCHECK;

/* orga_learner_page_row reads row i (0 <= i < count). */
void orga_learner_page_row(const orga_learner_page *page, int i,
    orga_learner *out);

void orga_learner_page_fini(orga_learner_page *page);

/*
 * orga_learners_classes returns the distinct classes of the school's
 * active learners, sorted; a PGresult of one column the caller PQclears.
 */
com_err orga_learners_classes(PGconn *db, int64_t org_id, PGresult **out)
    COM_MUSTCHECK;

#endif
