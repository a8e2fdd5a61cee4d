/* upload.c - reader of an upload's import_chunks rows, in seq order. */
#include "upload.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "db.h"
#include "log.h"

void
imp_upload_init(imp_upload *u, PGconn *db, int64_t job_id, int32_t first)
{
	memset(u, 0, sizeof(*u));
	u->db = db;
	u->job_id = job_id;
	u->first = first;
	u->seq = first;
	snprintf(u->idbuf, sizeof(u->idbuf), "%" PRId64, job_id);
}

/* imp_upload_drain reads what is left of the statement in flight. */
static void
imp_upload_drain(imp_upload *u)
{
	PGresult *res;

	while ((res = PQgetResult(u->db)) != NULL)
		PQclear(res);
	u->asked = false;
}

void
imp_upload_fini(imp_upload *u)
{
	PQclear(u->chunk);
	u->chunk = NULL;
	if (u->asked)
		imp_upload_drain(u);
}

/* imp_upload_ask sends the statement for chunk u->seq, without waiting. */
static com_err
imp_upload_ask(imp_upload *u)
{
	char seq[16];
	const char *params[2] = {u->idbuf, seq};

	snprintf(seq, sizeof(seq), "%" PRId32, u->seq);
	/* Binary results: the bytes as they are. */
	if (PQsendQueryParams(u->db,
	    "SELECT data FROM import_chunks WHERE job_id = $1::bigint "
	    "AND seq = $2::int",
	    2, NULL, params, NULL, NULL, 1) != 1) {
		com_log_err("upload: job %s: cannot ask for chunk %" PRId32
		    ": %s", u->idbuf, u->seq, PQerrorMessage(u->db));
		return COM_EDB;
	}
	u->asked = true;
	return COM_OK;
}

/* imp_upload_take waits for the chunk asked for; *out NULL: no such row. */
static com_err
imp_upload_take(imp_upload *u, PGresult **out)
{
	PGresult *res = PQgetResult(u->db);
	com_err rv = COM_OK;

	*out = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		com_log_err("upload: job %s: chunk %" PRId32 " unreadable: %s",
		    u->idbuf, u->seq, PQresultErrorMessage(res));
		rv = COM_EDB;
	} else if (PQntuples(res) == 1) {
		*out = res;
		res = NULL;
	}
	PQclear(res);
	imp_upload_drain(u);
	if (rv != COM_OK) {
		PQclear(*out);
		*out = NULL;
	}
	return rv;
}

/* The job's row as the reader needs it. */
typedef struct imp_upload_row {
	char status[16];
	int64_t bytes;     /* upload_bytes: received so far */
	int32_t chunks;    /* chunks received so far */
	bool silent;       /* nothing received for 10 minutes */
} imp_upload_row;

static com_err
imp_upload_row_get(imp_upload *u, imp_upload_row *row)
{
	const char *params[1] = {u->idbuf};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(u->db,
	    "SELECT status, upload_bytes, "
	    "  updated_at < now() - interval '10 minutes', "
	    "  coalesce((SELECT max(seq) + 1 FROM import_chunks "
	    "            WHERE job_id = $1), 0) "
	    "FROM import_jobs WHERE id = $1", 1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	snprintf(row->status, sizeof(row->status), "%s",
	    PQgetvalue(res, 0, 0));
	row->bytes = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	row->silent = PQgetvalue(res, 0, 2)[0] == 't';
	row->chunks = (int32_t)strtol(PQgetvalue(res, 0, 3), NULL, 10);
	PQclear(res);
	return COM_OK;
}

/*
 * imp_upload_sending: COM_OK once the client sent the whole file,
 * COM_EBUSY while it is sending, COM_ECONFLICT when the job ended
 * (cancelled, failed; an upload silent for 10 minutes is failed here).
 */
static com_err
imp_upload_sending(imp_upload *u, const imp_upload_row *row)
{
	const char *params[1] = {u->idbuf};
	com_err rv;

	if (strcmp(row->status, "failed") == 0 ||
	    strcmp(row->status, "cancelled") == 0 ||
	    strcmp(row->status, "done") == 0)
		return COM_ECONFLICT;
	if (strcmp(row->status, "uploading") != 0)
		return COM_OK;
	if (!row->silent)
		return COM_EBUSY;
	rv = com_db_exec(u->db,
	    "UPDATE import_jobs SET status = 'failed', "
	    "  errors = jsonb_build_array('L''envoi du fichier s''est "
	    "interrompu : recommencez l''import.'::text), "
	    "  worker = NULL, lease_until = NULL, updated_at = now(), "
	    "  finished_at = now() "
	    "WHERE id = $1 AND status = 'uploading'",
	    1, params, NULL);
	return rv == COM_OK ? COM_ECONFLICT : rv;
}

/*
 * imp_upload_next: no chunk u->seq. *more when it was committed since it
 * was asked for; else COM_OK at the end of a finished upload (or past
 * it, for a reader started after its last chunk), or as
 * imp_upload_sending, or COM_ENOTFOUND when chunks are missing.
 */
static com_err
imp_upload_next(imp_upload *u, bool *more)
{
	imp_upload_row row;
	com_err rv;

	*more = false;
	rv = imp_upload_row_get(u, &row);
	if (rv != COM_OK)
		return rv;
	if (row.chunks > u->seq && strcmp(row.status, "failed") != 0 &&
	    strcmp(row.status, "cancelled") != 0) {
		*more = true;
		return COM_OK;
	}
	rv = imp_upload_sending(u, &row);
	/* A reader from the start has read every byte. */
	if (rv == COM_OK && u->first == 0 && row.bytes != u->offset) {
		com_log_err("upload: job %s: chunk %" PRId32 " is missing",
		    u->idbuf, u->seq);
		rv = COM_ENOTFOUND;
	}
	return rv;
}

com_err
imp_upload_finished(imp_upload *u)
{
	imp_upload_row row;
	com_err rv;

	if (u->asked)
		imp_upload_drain(u);
	rv = imp_upload_row_get(u, &row);
	return rv == COM_OK ? imp_upload_sending(u, &row) : rv;
}

/*
 * imp_upload_current makes u->chunk the chunk holding the next unread
 * byte, asking for the one after it meanwhile; u->chunk is NULL at the
 * end of a finished upload. Returns as imp_upload_peek.
 */
static com_err
imp_upload_current(imp_upload *u)
{
	com_err rv;

	for (;;) {
		if (u->chunk != NULL) {
			if (u->in_chunk < (size_t)PQgetlength(u->chunk, 0, 0))
				return COM_OK;
			/* This chunk is read (or was empty): the next. */
			PQclear(u->chunk);
			u->chunk = NULL;
		}
		if (!u->asked && (rv = imp_upload_ask(u)) != COM_OK)
			return rv;
		rv = imp_upload_take(u, &u->chunk);
		if (rv != COM_OK)
			return rv;
		if (u->chunk == NULL) {
			bool more;

			rv = imp_upload_next(u, &more);
			if (rv != COM_OK)
				return rv; /* COM_EBUSY: not sent yet */
			if (more)
				continue;
			return COM_OK;
		}
		u->in_chunk = 0;
		u->seq++;
		/* The next chunk is read and inflated while this one is
		 * parsed. */
		rv = imp_upload_ask(u);
		if (rv != COM_OK)
			return rv;
	}
}

com_err
imp_upload_peek(imp_upload *u, imp_upload_span *span)
{
	com_err rv = imp_upload_current(u);

	memset(span, 0, sizeof(*span));
	if (rv != COM_OK || u->chunk == NULL)
		return rv;
	span->data = PQgetvalue(u->chunk, 0, 0) + u->in_chunk;
	span->len = (size_t)PQgetlength(u->chunk, 0, 0) - u->in_chunk;
	span->chunk = u->seq - 1;
	span->chunk_start = u->in_chunk == 0;
	return COM_OK;
}

void
imp_upload_skip(imp_upload *u, size_t n)
{
	u->in_chunk += n;
	u->offset += (int64_t)n;
}
