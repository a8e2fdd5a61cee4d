/*
 * upload.h - reads an uploaded file back out of its import_chunks rows
 * (services/orga/imports.c writes them), one whole chunk per statement:
 * a chunk is stored compressed, so reading it in slices would inflate it
 * again for every slice. While the parser works on one chunk, the next is
 * already asked for (libpq's asynchronous calls), so PostgreSQL reads and
 * inflates it meanwhile. The file is read while it is still being
 * uploaded: the parse keeps pace with the client.
 */
#ifndef IMP_UPLOAD_H
#define IMP_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

/* Holds at most two chunks (1 MiB each): the current one and the next. */
typedef struct imp_upload {
	PGconn *db;        /* borrowed; nobody else may use it until fini */
	int64_t job_id;
	char idbuf[24];    /* job_id as a statement parameter */
	int32_t first;     /* the chunk it started at */
	int32_t seq;       /* the next chunk to ask for */
	bool asked;        /* the statement for chunk seq is in flight */
	PGresult *chunk;   /* the chunk being read (owned), or NULL */
	size_t in_chunk;   /* bytes of it already read */
	int64_t offset;    /* bytes already read, all chunks */
} imp_upload;

/*
 * imp_upload_init prepares to read the upload of job_id from its chunk
 * first (0: the start; a part of a file parsed in parts starts later).
 */
void imp_upload_init(imp_upload *u, PGconn *db, int64_t job_id,
    int32_t first);

/*
 * imp_upload_fini frees the current chunk and waits for the statement in
 * flight, leaving db idle. Always call it once reading stops, whyever.
 */
void imp_upload_fini(imp_upload *u);

/* The unread rest of the current chunk, as imp_upload_peek lends it. */
typedef struct imp_upload_span {
	const char *data;  /* valid until the next call on the reader */
	size_t len;        /* 0 at the end of a finished upload */
	int32_t chunk;     /* which chunk (seq) */
	bool chunk_start;  /* nothing of it was read yet */
} imp_upload_span;

/*
 * imp_upload_peek lends the next unread bytes (the rest of one chunk)
 * without reading them; span->len is 0 at the end of a finished upload.
 * The upload may still be coming in: COM_EBUSY when the next bytes are
 * not there yet (call again a little later). COM_ECONFLICT when the job
 * ended meanwhile (cancelled, failed), COM_ENOTFOUND when chunks are
 * missing, COM_EDB on a lost connection.
 */
com_err imp_upload_peek(imp_upload *u, imp_upload_span *span) COM_MUSTCHECK;

/* imp_upload_skip reads n bytes of what imp_upload_peek lent. */
void imp_upload_skip(imp_upload *u, size_t n);

/*
 * imp_upload_finished: COM_OK once the client sent the whole file
 * (whether or not it was all read), COM_EBUSY while it is still sending,
 * COM_ECONFLICT when the job ended meanwhile. The outcome of a job is
 * recorded only after the whole file arrived.
 */
com_err imp_upload_finished(imp_upload *u) COM_MUSTCHECK;

#endif
