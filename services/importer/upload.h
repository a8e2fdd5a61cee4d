/*
 * upload.h - reads an uploaded file back out of its import_chunks rows
 * (services/orga/imports.c writes them), a slice of one chunk per call,
 * each call one short statement so the connection stays free for progress
 * updates between reads.
 */
#ifndef IMP_UPLOAD_H
#define IMP_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

/* A reader holds no memory between calls: nothing to free. */
typedef struct imp_upload {
	PGconn *db;        /* borrowed, idle between calls */
	int64_t job_id;
	char idbuf[24];    /* job_id as a statement parameter */
	int32_t seq;       /* the chunk being read */
	int32_t in_chunk;  /* bytes of it already read */
	int64_t offset;    /* bytes already read, all chunks */
} imp_upload;

/* imp_upload_init prepares to read the upload of job_id from its start. */
void imp_upload_init(imp_upload *u, PGconn *db, int64_t job_id);

/*
 * imp_upload_read reads up to cap bytes into buf (never past the current
 * chunk, so a read may be short); *n is 0 at the end. COM_ENOTFOUND when
 * the chunks are gone (the job ended meanwhile), COM_EDB on a lost
 * connection.
 */
com_err imp_upload_read(imp_upload *u, void *buf, size_t cap, size_t *n)
    COM_MUSTCHECK;

#endif
