/* imports.c - import jobs seen from orga: upload, state, confirmation. */
#include "learners/imports.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

#define ORGA_ISO_COL(col)                                                  \
	"coalesce(to_char(" col " AT TIME ZONE 'UTC', "                    \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

#define ORGA_IMPORT_COLUMNS                                                \
	"id, organization_id, status, format, upload_bytes, "              \
	"progress_bytes, students_read, coalesce(to_add, -1), "            \
	"coalesce(to_update, -1), coalesce(unchanged, -1), "               \
	"coalesce(to_deactivate, -1), coalesce(skipped_left, 0), "         \
	"coalesce(skipped_not_arrived, 0), coalesce(skipped_no_class, 0), " \
	"errors, skips, " ORGA_ISO_COL("created_at") ", "                  \
	ORGA_ISO_COL("updated_at") ", " ORGA_ISO_COL("finished_at")

void
orga_import_job_fini(orga_import_job *job)
{
	free(job->errors);
	free(job->skips);
	job->errors = job->skips = NULL;
}

static int64_t
orga_import_int(const PGresult *res, int col)
{
	return strtoll(com_db_value(res, 0, col), NULL, 10);
}

static com_err
orga_import_from_row(const PGresult *res, orga_import_job *out)
{
	memset(out, 0, sizeof(*out));
	out->id = orga_import_int(res, 0);
	out->organization_id = orga_import_int(res, 1);
	snprintf(out->status, sizeof(out->status), "%s",
	    com_db_value(res, 0, 2));
	snprintf(out->format, sizeof(out->format), "%s",
	    com_db_value(res, 0, 3));
	out->upload_bytes = orga_import_int(res, 4);
	out->progress_bytes = orga_import_int(res, 5);
	out->students_read = orga_import_int(res, 6);
	out->to_add = orga_import_int(res, 7);
	out->to_update = orga_import_int(res, 8);
	out->unchanged = orga_import_int(res, 9);
	out->to_deactivate = orga_import_int(res, 10);
	out->skipped_left = orga_import_int(res, 11);
	out->skipped_not_arrived = orga_import_int(res, 12);
	out->skipped_no_class = orga_import_int(res, 13);
	if (!PQgetisnull(res, 0, 14))
		out->errors = strdup(PQgetvalue(res, 0, 14));
	if (!PQgetisnull(res, 0, 15))
		out->skips = strdup(PQgetvalue(res, 0, 15));
	snprintf(out->created_at, sizeof(out->created_at), "%s",
	    com_db_value(res, 0, 16));
	snprintf(out->updated_at, sizeof(out->updated_at), "%s",
	    com_db_value(res, 0, 17));
	snprintf(out->finished_at, sizeof(out->finished_at), "%s",
	    com_db_value(res, 0, 18));
	if ((!PQgetisnull(res, 0, 14) && out->errors == NULL) ||
	    (!PQgetisnull(res, 0, 15) && out->skips == NULL)) {
		orga_import_job_fini(out);
		return COM_ENOMEM;
	}
	return COM_OK;
}

/*
 * ORGA_IMPORT_END ends the jobs matching where_sql with set_sql, and drops
 * their staging rows. Answers one row: (jobs ended, their ids as an array
 * literal) for orga_import_end, which then drops their uploaded chunks.
 */
#define ORGA_IMPORT_END(set_sql, where_sql)                                \
	"WITH gone AS (UPDATE import_jobs SET "                            \
	"    finished_at = now(), updated_at = now(), " set_sql " "        \
	"  WHERE " where_sql " RETURNING id), "                            \
	"r AS (DELETE FROM import_rows WHERE job_id IN "                   \
	"  (SELECT id FROM gone)), "                                       \
	"c AS (DELETE FROM import_classes WHERE job_id IN "                \
	"  (SELECT id FROM gone)) "                                        \
	"SELECT count(*), coalesce(array_agg(id), '{}') FROM gone"

/*
 * orga_import_end runs an ORGA_IMPORT_END statement, then deletes the
 * ended jobs' chunks in a second statement (inside the caller's
 * transaction, or its own): its fresh snapshot sees a chunk appended by
 * an orga_import_append that held the job's lock while the first waited.
 * COM_ECONFLICT when no job matched.
 */
static com_err
orga_import_end(PGconn *db, const char *sql, int n, const char *const *p)
{
	bool own = PQtransactionStatus(db) == PQTRANS_IDLE;
	const char *ids[1];
	PGresult *res = NULL;
	com_err rv;

	if (own) {
		rv = com_db_begin(db);
		if (rv != COM_OK)
			return rv;
	}
	rv = com_db_exec(db, sql, n, p, &res);
	if (rv != COM_OK)
		goto out;
	if (strcmp(com_db_value(res, 0, 0), "0") == 0) {
		rv = COM_ECONFLICT;
		goto out;
	}
	ids[0] = com_db_value(res, 0, 1);
	rv = com_db_exec(db,
	    "DELETE FROM import_chunks WHERE job_id = ANY ($1::bigint[])",
	    1, ids, NULL);
out:
	PQclear(res);
	if (own) {
		if (rv == COM_OK)
			rv = com_db_commit(db);
		if (rv != COM_OK)
			com_db_rollback(db);
	}
	return rv;
}

com_err
orga_import_begin(PGconn *db, int64_t org_id, int64_t user_id, bool zip,
    bool auto_apply, int64_t *job_id)
{
	char org[24], user[24];
	const char *params[4] = {org, user, zip ? "zip" : "xml",
	    auto_apply ? "t" : "f"};
	PGresult *res = NULL;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(user, sizeof(user), "%" PRId64, user_id);
	if (user_id <= 0)
		params[1] = NULL;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	/* A newer file replaces one waiting for confirmation; an upload
	 * abandoned by a crash stops blocking the school. */
	rv = orga_import_end(db,
	    ORGA_IMPORT_END("status = 'cancelled'",
	        "organization_id = $1 AND (status = 'validated' OR "
	        "(status = 'uploading' "
	        "AND updated_at < now() - interval '10 minutes'))"),
	    1, params);
	if (rv == COM_ECONFLICT)
		rv = COM_OK; /* nothing to cancel */
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "INSERT INTO import_jobs (organization_id, created_by, "
		    "  format, auto_apply) "
		    "VALUES ($1, $2, $3, $4) RETURNING id",
		    4, params, &res);
	if (rv == COM_EEXIST)
		rv = COM_EBUSY;
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		PQclear(res);
		return rv;
	}
	*job_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	com_log_info("import %" PRId64 " started for organization %s",
	    *job_id, org);
	return COM_OK;
}

/* orga_import_chunk adds data as the job's chunk row seq; the caller
 * holds the job's row lock, so the next seq it read is its own. */
static com_err
orga_import_chunk(PGconn *db, const char *job, int32_t seq,
    const void *data, size_t len)
{
	com_db_id seqbuf = com_db_id_of(seq);
	const char *params[3] = {job, seqbuf.s, data};
	const int lengths[3] = {0, 0, (int)len};
	const int formats[3] = {0, 0, 1}; /* the bytes go as a binary bytea */

	/* A plain VALUES: a statement that plans with the bytes in it (a
	 * subquery, an aggregate) copies the whole MiB several times. */
	return com_db_exec_binary(db,
	    "INSERT INTO import_chunks (job_id, seq, data) "
	    "VALUES ($1::bigint, $2::int, $3::bytea)",
	    3, params, lengths, formats, 0, NULL);
}

com_err
orga_import_append(PGconn *db, int64_t job_id, int64_t offset,
    const void *data, size_t len, int64_t max_bytes)
{
	char job[24], add[24];
	const char *params[2] = {job, add};
	const char *p = data;
	PGresult *res = NULL;
	int64_t stored;
	int32_t seq;
	size_t piece = 0;
	com_err rv;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	snprintf(add, sizeof(add), "%zu", len);
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	/*
	 * No wait for the disk at each MiB (a few ms each): a PostgreSQL
	 * crash may lose the last appends, but then the next one finds fewer
	 * bytes than its offset and the upload fails; finish waits.
	 */
	rv = com_db_exec(db, "SET LOCAL synchronous_commit = off", 0, NULL,
	    NULL);
	/* The MiB stays a parameter: a custom plan would copy it into the
	 * plan (half of PostgreSQL's time storing an upload). */
	if (rv == COM_OK)
		rv = com_db_exec(db, "SET LOCAL plan_cache_mode = "
		    "force_generic_plan", 0, NULL, NULL);
	if (rv != COM_OK)
		goto out;
	rv = com_db_exec(db,
	    "SELECT upload_bytes, (SELECT coalesce(max(seq) + 1, 0) "
	    "  FROM import_chunks WHERE job_id = $1) "
	    "FROM import_jobs "
	    "WHERE id = $1 AND status = 'uploading' FOR UPDATE",
	    1, params, &res);
	if (rv != COM_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rv = COM_ECONFLICT;
		goto out;
	}
	stored = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (stored != offset) {
		com_log_warn("import %" PRId64 ": a chunk for byte %" PRId64
		    " but %" PRId64 " bytes stored (appends lost)", job_id,
		    offset, stored);
		com_db_rollback(db);
		PQclear(res);
		if (orga_import_fail(db, job_id, "L'envoi du fichier a été "
		    "interrompu. Recommencez l'import.") != COM_OK)
			com_log_warn("import %" PRId64 " not marked failed",
			    job_id);
		return COM_ECONFLICT;
	}
	if ((int64_t)len > max_bytes - stored) {
		rv = COM_ETOOLARGE;
		goto out;
	}
	seq = (int32_t)strtol(PQgetvalue(res, 0, 1), NULL, 10);
	for (size_t done = 0; rv == COM_OK && done < len; done += piece) {
		piece = len - done < ORGA_IMPORT_CHUNK_BYTES
		    ? len - done : ORGA_IMPORT_CHUNK_BYTES;
		rv = orga_import_chunk(db, job, seq++, p + done, piece);
	}
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "UPDATE import_jobs SET upload_bytes = upload_bytes + $2, "
		    "updated_at = now() WHERE id = $1",
		    2, params, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
out:
	PQclear(res);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}

com_err
orga_import_finish(PGconn *db, int64_t job_id)
{
	char job[24];
	const char *params[1] = {job};
	PGresult *res;
	com_err rv;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	rv = com_db_exec(db,
	    /* An importer may already be reading it (lease held). */
	    "UPDATE import_jobs SET status = CASE WHEN lease_until > now() "
	    "  THEN 'validating' ELSE 'queued' END, updated_at = now() "
	    "WHERE id = $1 AND status = 'uploading' RETURNING 1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? COM_OK : COM_ECONFLICT;
	PQclear(res);
	return rv;
}

com_err
orga_import_fail(PGconn *db, int64_t job_id, const char *message)
{
	char job[24];
	const char *params[2] = {job, message};

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	return orga_import_end(db,
	    ORGA_IMPORT_END(
	        "status = 'failed', errors = jsonb_build_array($2::text)",
	        "id = $1 AND status IN ('uploading', 'queued')"),
	    2, params);
}

static com_err
orga_import_load(PGconn *db, const char *sql, int n, const char *const *p,
    orga_import_job *out)
{
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db, sql, n, p, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? orga_import_from_row(res, out)
	                         : COM_ENOTFOUND;
	PQclear(res);
	return rv;
}

com_err
orga_import_get(PGconn *db, int64_t org_id, int64_t job_id,
    orga_import_job *out)
{
	char org[24], job[24];
	const char *params[2] = {org, job};

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(job, sizeof(job), "%" PRId64, job_id);
	return orga_import_load(db,
	    "SELECT " ORGA_IMPORT_COLUMNS " FROM import_jobs "
	    "WHERE organization_id = $1 AND id = $2",
	    2, params, out);
}

com_err
orga_import_latest(PGconn *db, int64_t org_id, orga_import_job *out)
{
	char org[24];
	const char *params[1] = {org};

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	return orga_import_load(db,
	    "SELECT " ORGA_IMPORT_COLUMNS " FROM import_jobs "
	    "WHERE organization_id = $1 ORDER BY id DESC LIMIT 1",
	    1, params, out);
}

com_err
orga_import_last_done(PGconn *db, int64_t org_id, orga_import_done *out)
{
	com_db_id org = com_db_id_of(org_id);
	const char *params[1] = {org.s};
	orga_import_done d = {0};
	PGresult *res;
	com_err rv;

	rv = com_db_one(db,
	    "SELECT to_char(j.finished_at AT TIME ZONE 'UTC', "
	    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), u.id IS NOT NULL, "
	    "  coalesce(u.first_name, ''), coalesce(u.last_name, ''), "
	    "  coalesce(j.to_add, 0), coalesce(j.to_update, 0), "
	    "  coalesce(j.unchanged, 0), coalesce(j.to_deactivate, 0), "
	    "  (SELECT count(*) FROM learners l "
	    "   WHERE l.organization_id = j.organization_id AND l.active) "
	    "FROM import_jobs j LEFT JOIN users u ON u.id = j.created_by "
	    "WHERE j.organization_id = $1 AND j.status = 'done' "
	    "ORDER BY j.finished_at DESC, j.id DESC LIMIT 1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	snprintf(d.finished_at, sizeof(d.finished_at), "%s",
	    com_db_value(res, 0, 0));
	d.by_known = com_db_bool(res, 0, 1);
	snprintf(d.by_first_name, sizeof(d.by_first_name), "%s",
	    com_db_value(res, 0, 2));
	snprintf(d.by_last_name, sizeof(d.by_last_name), "%s",
	    com_db_value(res, 0, 3));
	rv = com_db_i64(res, 0, 4, &d.added);
	if (rv == COM_OK)
		rv = com_db_i64(res, 0, 5, &d.updated);
	if (rv == COM_OK)
		rv = com_db_i64(res, 0, 6, &d.unchanged);
	if (rv == COM_OK)
		rv = com_db_i64(res, 0, 7, &d.deactivated);
	if (rv == COM_OK)
		rv = com_db_i64(res, 0, 8, &d.active);
	PQclear(res);
	if (rv == COM_OK)
		*out = d;
	return rv;
}

/* orga_import_move runs a state change; COM_ECONFLICT when no row moved. */
static com_err
orga_import_move(PGconn *db, int64_t org_id, int64_t job_id,
    const char *sql)
{
	char org[24], job[24];
	const char *params[2] = {org, job};
	PGresult *res;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(job, sizeof(job), "%" PRId64, job_id);
	rv = com_db_exec(db, sql, 2, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) >= 1 ? COM_OK : COM_ECONFLICT;
	PQclear(res);
	return rv;
}

com_err
orga_import_confirm(PGconn *db, int64_t org_id, int64_t job_id)
{
	return orga_import_move(db, org_id, job_id,
	    "UPDATE import_jobs SET status = 'applying', worker = NULL, "
	    "  lease_until = NULL, attempts = 0, updated_at = now() "
	    "WHERE organization_id = $1 AND id = $2 AND status = 'validated' "
	    "RETURNING 1");
}

com_err
orga_import_cancel(PGconn *db, int64_t org_id, int64_t job_id)
{
	char org[24], job[24];
	const char *params[2] = {org, job};

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(job, sizeof(job), "%" PRId64, job_id);
	return orga_import_end(db,
	    ORGA_IMPORT_END("status = 'cancelled'",
	        "organization_id = $1 AND id = $2 "
	        "AND status IN ('uploading', 'queued', 'validated')"),
	    2, params);
}
