/*
 * apply.h - the SQL half of an import, once the file is staged: the
 * checks that need the whole file, the preview (how many learners will be added, updated, left unchanged, or
 * marked as no longer in the school) and the all-or-nothing apply.
 */
#ifndef IMP_APPLY_H
#define IMP_APPLY_H

#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"
#include "siecle/report.h"

typedef struct imp_preview {
	int64_t to_add;
	int64_t to_update;
	int64_t unchanged;
	int64_t to_deactivate;
} imp_preview;

/*
 * imp_apply_duplicates reports, through report, each staged student of
 * job_id carrying the INE of an earlier one of the file, naming both.
 * Read-only; runs on every parsed file, refused or not (staged rows
 * include the students refused for other reasons).
 */
com_err imp_apply_duplicates(PGconn *db, int64_t job_id, imp_report *report)
    COM_MUSTCHECK;

/*
 * imp_apply_skips reports, through report, the staged students of job_id
 * that no class joins (skipped, not errors), then the "no importable
 * student" error when none is left. Read-only.
 */
com_err imp_apply_skips(PGconn *db, int64_t job_id, imp_report *report)
    COM_MUSTCHECK;

/* imp_apply_preview counts what applying job_id to org_id would do. */
com_err imp_apply_preview(PGconn *db, int64_t job_id, int64_t org_id,
    imp_preview *out) COM_MUSTCHECK;

/*
 * imp_apply_run writes the staged learners of job_id into org_id by INE
 * (new ones added, only changed ones updated), marks the school's other
 * active learners as no longer in the school, and fills *out with what it
 * did. Only for a validated job (no duplicate INE, one import at a time
 * per school).
 * Must run inside the caller's transaction: the caller commits it with
 * the job's "done" status, so a crash leaves the previous list intact.
 */
com_err imp_apply_run(PGconn *db, int64_t job_id, int64_t org_id,
    imp_preview *out) COM_MUSTCHECK;

/* imp_apply_cleanup deletes the staging rows of job_id. */
com_err imp_apply_cleanup(PGconn *db, int64_t job_id) COM_MUSTCHECK;

#endif
