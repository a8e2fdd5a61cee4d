/*
 * imports.h - the orga side of a SIECLE import: the upload (written into
 * rows of table import_chunks, chunk by chunk, each chunk committed), the
 * job's state for its owner, confirmation and cancellation. The importer
 * daemon does the parsing and applying (services/importer/jobs.c).
 */
#ifndef ORGA_IMPORTS_H
#define ORGA_IMPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

/* An upload is refused past this many bytes unless ORGA_IMPORT_MAX_BYTES. */
#define ORGA_IMPORT_DEFAULT_MAX_BYTES (2048ll * 1024 * 1024)

/* The largest import_chunks row: a longer append is stored as several. */
#define ORGA_IMPORT_CHUNK_BYTES (1024u * 1024u)

typedef struct orga_import_job {
	int64_t id;
	int64_t organization_id;
	char status[16];      /* uploading queued validating validated
	                         applying done failed cancelled */
	char format[8];       /* xml, zip */
	int64_t upload_bytes;
	int64_t progress_bytes;
	int64_t students_read;
	int64_t to_add, to_update, unchanged, to_deactivate; /* -1: unknown */
	int64_t skipped_left, skipped_not_arrived, skipped_no_class;
	char *errors;         /* JSON array text, malloc'd, or NULL */
	char *skips;          /* JSON array text, malloc'd, or NULL */
	char created_at[40];
	char updated_at[40];
	char finished_at[40];
} orga_import_job;

/* orga_import_job_fini frees the job's texts. */
void orga_import_job_fini(orga_import_job *job);

/*
 * orga_import_begin creates a job in state uploading, with no chunk yet.
 * A school's earlier job waiting for confirmation, or stuck in
 * uploading for 10 minutes, is cancelled. COM_EBUSY when another import
 * of the school is queued or running. *job_id is the new job.
 */
com_err orga_import_begin(PGconn *db, int64_t org_id, int64_t user_id,
    bool zip, bool auto_apply, int64_t *job_id) COM_MUSTCHECK;

/*
 * orga_import_append adds len bytes at offset, the end of the job's
 * upload, in one transaction: one import_chunks row per
 * ORGA_IMPORT_CHUNK_BYTES (one row for the usual 1 MiB append; none for
 * len 0). COM_ETOOLARGE past max_bytes (nothing written), COM_ECONFLICT
 * when the job is no longer uploading or holds another number of bytes
 * than offset (then marked failed). Its commit does not wait for the
 * disk: orga_import_finish's does, for every append before it.
 */
com_err orga_import_append(PGconn *db, int64_t job_id, int64_t offset,
    const void *data, size_t len, int64_t max_bytes) COM_MUSTCHECK;

/* orga_import_finish queues the uploaded job (the caller wakes importers). */
com_err orga_import_finish(PGconn *db, int64_t job_id) COM_MUSTCHECK;

/*
 * orga_import_fail ends a job that could not be uploaded with one French
 * sentence, and drops its upload.
 */
com_err orga_import_fail(PGconn *db, int64_t job_id, const char *message)
    COM_MUSTCHECK;

/* orga_import_get loads job_id of org_id; COM_ENOTFOUND otherwise. */
com_err orga_import_get(PGconn *db, int64_t org_id, int64_t job_id,
    orga_import_job *out) COM_MUSTCHECK;

/* orga_import_latest loads the school's newest job; COM_ENOTFOUND if none. */
com_err orga_import_latest(PGconn *db, int64_t org_id, orga_import_job *out)
    COM_MUSTCHECK;

/* The school's last applied import, as the Élèves page tells it. */
typedef struct orga_import_done {
	char finished_at[40];     /* ISO 8601 UTC */
	bool by_known;            /* false: an operator (orgactl), or gone */
	char by_first_name[1024];
	char by_last_name[1024];
	int64_t added, updated, unchanged, deactivated;
	int64_t active;           /* the school's active learners now */
} orga_import_done;

/*
 * orga_import_last_done loads the school's newest job in state done, who
 * started it and its counts. COM_ENOTFOUND when no import was applied.
 */
com_err orga_import_last_done(PGconn *db, int64_t org_id,
    orga_import_done *out) COM_MUSTCHECK;

/*
 * orga_import_confirm moves a validated job to applying (the caller wakes
 * the importers). COM_ECONFLICT when it is not waiting for confirmation.
 */
com_err orga_import_confirm(PGconn *db, int64_t org_id, int64_t job_id)
    COM_MUSTCHECK;

/* orga_import_cancel cancels a job not yet applying; COM_ECONFLICT else. */
com_err orga_import_cancel(PGconn *db, int64_t org_id, int64_t job_id)
    COM_MUSTCHECK;

#endif
