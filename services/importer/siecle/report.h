/*
 * report.h - what an import tells its user: the errors that refuse the
 * file and the students it skips, each a French sentence naming the
 * student, plus counters. Bounded: at most max_messages sentences of each
 * kind are kept, the rest only counted.
 */
#ifndef IMP_REPORT_H
#define IMP_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Why a student of the file is not imported (not an error). */
typedef enum imp_skip {
	IMP_SKIP_NONE = 0,
	IMP_SKIP_LEFT,        /* DATE_SORTIE on or before the import day */
	IMP_SKIP_NOT_ARRIVED, /* no ID_NATIONAL element */
	IMP_SKIP_NO_CLASS,    /* no TYPE_STRUCTURE D other than Inactifs */
	IMP_SKIP_COUNT
} imp_skip;

/* How a student is named in a sentence; NULL fields mean "absent". */
typedef struct imp_who {
	const char *ine;
	const char *last_name;
	const char *first_name;
	const char *eleve_id;
} imp_who;

typedef struct imp_report {
	char **errors;          /* owned French sentences, in file order */
	size_t nerrors;         /* sentences kept (<= max_messages) */
	uint64_t errors_total;  /* errors found, kept or not */
	char **skips;           /* owned sentences, one per skipped student */
	size_t nskips;
	uint64_t skipped[IMP_SKIP_COUNT]; /* per reason; [0] unused */
	uint64_t students;      /* ELEVE elements read */
	uint64_t accepted;      /* students handed to the consumer */
	uint64_t classes;       /* STRUCTURES_ELEVE giving a class */
	bool file_error;        /* the file as a whole was refused */
	size_t max_messages;
} imp_report;

/* imp_report_init prepares an empty report keeping max_messages each. */
void imp_report_init(imp_report *r, size_t max_messages);

/* imp_report_fini frees every sentence; the report may be re-inited. */
void imp_report_fini(imp_report *r);

/* imp_report_ok: nothing refuses the file (skips are fine). */
bool imp_report_ok(const imp_report *r);

/*
 * imp_report_file_error adds a sentence about the whole file (malformed,
 * wrong school, limits...) and sets file_error. Control characters are
 * replaced by spaces. COM_ENOMEM only when the sentence cannot be stored.
 */
com_err imp_report_file_error(imp_report *r, const char *fmt, ...)
    COM_MUSTCHECK __attribute__((format(printf, 2, 3)));

/* imp_report_file_verror is imp_report_file_error with a va_list. */
com_err imp_report_file_verror(imp_report *r, const char *fmt, va_list ap)
    COM_MUSTCHECK;

/*
 * imp_report_student_error adds "Élève NOM Prénom (INE x, ELEVE_ID y) :
 * <text>." for who.
 */
com_err imp_report_student_error(imp_report *r, const imp_who *who,
    const char *fmt, ...) COM_MUSTCHECK
    __attribute__((format(printf, 3, 4)));

/*
 * imp_report_skip counts a skipped student and adds its sentence; detail
 * is the exit date for IMP_SKIP_LEFT (may be NULL otherwise).
 */
com_err imp_report_skip(imp_report *r, imp_skip why, const imp_who *who,
    const char *detail) COM_MUSTCHECK;

/*
 * imp_report_no_learner adds the file error said when no student of the
 * file can be imported (every one skipped, or none at all).
 */
com_err imp_report_no_learner(imp_report *r) COM_MUSTCHECK;

/*
 * imp_report_merge appends what src found to dst, as if the file had
 * been read in one piece: sentences (moved, within dst's bound) and
 * counters. src is left without sentences, ready for imp_report_fini.
 * COM_ENOMEM when sentences were lost (the counters still add up).
 */
com_err imp_report_merge(imp_report *dst, imp_report *src) COM_MUSTCHECK;
/* imp_size_text writes bytes in French units ("20 Mo", "64 Ko"). */
void imp_size_text(char out[32], uint64_t bytes);

/* imp_skip_label: a short French label of why ("a quitté l'établissement"). */
const char *imp_skip_label(imp_skip why);

#endif
