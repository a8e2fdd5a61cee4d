/*
 * upload.h - reads an uploaded file back out of its PostgreSQL large
 * object, chunk by chunk, each chunk in its own short transaction so the
 * connection stays free for progress updates between chunks.
 */
#ifndef IMP_UPLOAD_H
#define IMP_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

typedef struct imp_upload {
	PGconn *db;        /* borrowed, idle between calls */
	Oid oid;
	int64_t offset;    /* bytes already read */
} imp_upload;

/* imp_upload_init prepares to read large object oid from its start. */
void imp_upload_init(imp_upload *u, PGconn *db, Oid oid);

/*
 * imp_upload_read reads up to cap bytes into buf; *n is 0 at the end.
 * COM_ENOTFOUND when the object is gone, COM_EDB on a lost connection.
 */
com_err imp_upload_read(imp_upload *u, void *buf, size_t cap, size_t *n)
    COM_MUSTCHECK;

#endif
