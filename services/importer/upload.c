/* upload.c - reader of an upload's import_chunks rows, in seq order. */
#include "upload.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* One read asks for at most this much (one chunk is 1 MiB at most). */
#define IMP_UPLOAD_MAX_READ (1024 * 1024)

void
imp_upload_init(imp_upload *u, PGconn *db, int64_t job_id)
{
	u->db = db;
	u->job_id = job_id;
	snprintf(u->idbuf, sizeof(u->idbuf), "%" PRId64, job_id);
	u->seq = 0;
	u->in_chunk = 0;
	u->offset = 0;
}

/* imp_upload_be32 decodes a binary int4 column. */
static int64_t
imp_upload_be32(const PGresult *res, int col)
{
	const unsigned char *p;

	p = (const unsigned char *)PQgetvalue(res, 0, col);
	if (PQgetlength(res, 0, col) != 4)
		return -1;
	return (int64_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3]);
}

/*
 * imp_upload_end: no chunk u->seq. The end of the file when every byte the
 * job received was read; else its chunks are gone (COM_ENOTFOUND).
 */
static com_err
imp_upload_end(imp_upload *u)
{
	const char *params[1] = {u->idbuf};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(u->db,
	    "SELECT upload_bytes FROM import_jobs WHERE id = $1", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1 ||
	    strtoll(PQgetvalue(res, 0, 0), NULL, 10) != u->offset) {
		com_log_err("upload: job %s: chunk %" PRId32 " is missing",
		    u->idbuf, u->seq);
		rv = COM_ENOTFOUND;
	}
	PQclear(res);
	return rv;
}

com_err
imp_upload_read(imp_upload *u, void *buf, size_t cap, size_t *n)
{
	char seq[16], from[16], len[16];
	const char *params[4] = {u->idbuf, seq, from, len};
	PGresult *res;
	int64_t size, got;
	com_err rv;

	if (cap > IMP_UPLOAD_MAX_READ)
		cap = IMP_UPLOAD_MAX_READ;
	for (;;) {
		snprintf(seq, sizeof(seq), "%" PRId32, u->seq);
		snprintf(from, sizeof(from), "%" PRId32, u->in_chunk + 1);
		snprintf(len, sizeof(len), "%zu", cap);
		/* Binary results: the bytes as they are, the size as int4.
		 * octet_length reads the stored size, not the data. */
		rv = com_db_exec_binary(u->db,
		    "SELECT substring(data FROM $3::int FOR $4::int), "
		    "  octet_length(data) "
		    "FROM import_chunks WHERE job_id = $1::bigint "
		    "  AND seq = $2::int",
		    4, params, NULL, NULL, 1, &res);
		if (rv != COM_OK)
			return rv;
		if (PQntuples(res) != 1) {
			PQclear(res);
			if (u->in_chunk != 0) {
				com_log_err("upload: job %s: chunk %" PRId32
				    " is gone", u->idbuf, u->seq);
				return COM_ENOTFOUND;
			}
			rv = imp_upload_end(u);
			if (rv != COM_OK)
				return rv;
			*n = 0;
			return COM_OK;
		}
		got = PQgetlength(res, 0, 0);
		size = imp_upload_be32(res, 1);
		if (got < 0 || (size_t)got > cap || size < 0 ||
		    u->in_chunk + got > size) {
			PQclear(res);
			com_log_err("upload: job %s: chunk %" PRId32
			    " answered badly", u->idbuf, u->seq);
			return COM_EDB;
		}
		memcpy(buf, PQgetvalue(res, 0, 0), (size_t)got);
		PQclear(res);
		u->offset += got;
		if (u->in_chunk + got == size) {
			u->seq++;
			u->in_chunk = 0;
		} else {
			u->in_chunk += (int32_t)got;
		}
		if (got > 0 || cap == 0) {
			*n = (size_t)got;
			return COM_OK;
		}
		/* An empty chunk: go on with the next one. */
	}
}
