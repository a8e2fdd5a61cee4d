/*
 * stage.h - the database consumer of the SIECLE parser: streams each
 * accepted student into import_rows and each class into import_classes
 * with COPY, one connection per stream (two COPYs cannot share one), so
 * nothing of the file is held in memory.
 */
#ifndef IMP_STAGE_H
#define IMP_STAGE_H

#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "err.h"
#include "siecle/siecle.h"

typedef struct imp_stage {
	PGconn *rows;       /* borrowed: COPY import_rows */
	PGconn *classes;    /* borrowed: COPY import_classes */
	char job_id[24];
	uint64_t class_seq;
	com_buf line;       /* one COPY line, reused */
} imp_stage;

/*
 * imp_stage_open starts both COPYs, after emptying the job's staging rows
 * when empty (a retried job starts over; a file parsed in parts empties
 * them once, before its stages open: a DELETE in each would wait for the
 * other's). rows and classes must be two distinct connections, idle,
 * held by the caller until imp_stage_close.
 */
com_err imp_stage_open(imp_stage *st, PGconn *rows, PGconn *classes,
    int64_t job_id, bool empty) COM_MUSTCHECK;
/* imp_stage_rebase: the next classes are numbered from base + 1 (the
 * parts of a file number theirs apart, in file order). */
void imp_stage_rebase(imp_stage *st, uint64_t base);

/* Callbacks for imp_options.on_student / on_class; arg is the imp_stage. */
com_err imp_stage_student(void *arg, const imp_student *s) COM_MUSTCHECK;
com_err imp_stage_class(void *arg, const char *eleve_id,
    const char *class_code) COM_MUSTCHECK;

/*
 * imp_stage_close ends both COPYs: committed when ok, aborted otherwise.
 * Returns the first failure. The stage may not be used afterwards.
 */
com_err imp_stage_close(imp_stage *st, bool ok) COM_MUSTCHECK;

#endif
