/*
 * collect.h - an in-memory consumer of the SIECLE parser, for tests, the
 * fuzzer and small files: keeps every importable student and every class,
 * then joins them by ELEVE_ID and applies the rules that need the join
 * (no class, no importable student). Memory grows with the file: the real
 * import joins in PostgreSQL instead.
 */
#ifndef IMP_COLLECT_H
#define IMP_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "siecle/report.h"
#include "siecle/siecle.h"

/* One learner to import; every string owned by the collect. */
typedef struct imp_learner {
	char *eleve_id;
	char *ine;
	char *last_name;
	char *usage_name;    /* NULL when absent */
	char *first_name;
	char *first_name2;   /* NULL when absent */
	char *first_name3;
	char birth_date[11]; /* AAAA-MM-JJ */
	char sex;            /* 'M', 'F' or 0 */
	char *country_code;
	char *dept_code;
	char *commune_code;
	char *birth_town;
	char *mef_code;
	char *status_code;
	char *class_code;    /* set by imp_collect_finish */
	bool refused;        /* kept until finish, to name duplicates */
} imp_learner;

typedef struct imp_class_pair {
	char *eleve_id;
	char *class_code;
	size_t seq;          /* later STRUCTURES_ELEVE of one student win */
} imp_class_pair;

typedef struct imp_collect {
	imp_learner *learners;   /* after finish: only those with a class */
	size_t nlearners;
	size_t learners_cap;
	imp_class_pair *classes;
	size_t nclasses;
	size_t classes_cap;
} imp_collect;

void imp_collect_init(imp_collect *c);
/* imp_collect_fini frees every learner and class. */
void imp_collect_fini(imp_collect *c);

/* Callbacks for imp_options (arg = the imp_collect). */
com_err imp_collect_student(void *arg, const imp_student *s) COM_MUSTCHECK;
com_err imp_collect_class(void *arg, const char *eleve_id,
    const char *class_code) COM_MUSTCHECK;

/*
 * imp_collect_finish, once the parse ended (even refused), names every
 * student carrying the INE of an earlier one and drops refused students.
 * Unless the file itself was refused, it then joins classes to learners,
 * records students without class as skipped in r, and the "no importable
 * student" error when none is left and r had no error. Returns COM_OK
 * when r holds no error, COM_EINVAL when it does, COM_ENOMEM.
 */
com_err imp_collect_finish(imp_collect *c, imp_report *r) COM_MUSTCHECK;

/*
 * imp_collect_run parses the whole XML data (len bytes) for the school
 * uai on day today, feeding chunk bytes at a time (0: all at once), into
 * c and r (both initialised by the caller). Returns as
 * imp_collect_finish, or the parser's error.
 */
com_err imp_collect_run(imp_collect *c, imp_report *r, const char *uai,
    int today, const imp_limits *lim, const void *data, size_t len,
    size_t chunk) COM_MUSTCHECK;

/*
 * imp_collect_run_parts is imp_collect_run parsing the file in parts, one
 * after the other, cut as the importer cuts an upload (jobs.c): chunks of
 * chunk bytes, a part every part_chunks chunks, each part fed feed bytes
 * at a time; *parts says how many were parsed. COM_ECONFLICT when the
 * importer would parse the file again in one piece (c and r then hold
 * a partial result, to be thrown away).
 */
com_err imp_collect_run_parts(imp_collect *c, imp_report *r, const char *uai,
    int today, const imp_limits *lim, const void *data, size_t len,
    size_t chunk, size_t part_chunks, size_t feed, size_t *parts)
    COM_MUSTCHECK;
/* imp_collect_find returns the learner with ine, or NULL. */
const imp_learner *imp_collect_find(const imp_collect *c, const char *ine);

#endif
