/* apply.c - checks, preview and apply of a staged import, in SQL. */
#include "apply.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "siecle/rules.h"

/* What a re-import may change on a learner. */
#define IMP_LEARNER_FIELDS                                                 \
	"last_name, usage_name, first_name, first_name2, first_name3, "    \
	"birth_date, sex, birth_country_code, birth_dept_code, "           \
	"birth_commune_code, birth_town, class_code, mef_code, "           \
	"status_code, eleve_id, elenoet"

/*
 * The staged students of job (a parameter) that have a class, as r, with
 * the last class given, as c.class_code.
 */
#define IMP_FILE_JOIN(job)                                                 \
	"FROM import_rows r "                                              \
	"JOIN (SELECT DISTINCT ON (eleve_id COLLATE \"C\") "               \
	"    eleve_id, class_code FROM import_classes "                    \
	"    WHERE job_id = " job " "                                      \
	"    ORDER BY eleve_id COLLATE \"C\", seq DESC) c "                \
	"  ON c.eleve_id = r.eleve_id "                                    \
	"WHERE r.job_id = " job " "

#define IMP_DIFFERS(a, b)                                                  \
	"(" a ".last_name, " a ".usage_name, " a ".first_name, "           \
	a ".first_name2, " a ".first_name3, " a ".birth_date, " a ".sex, " \
	a ".birth_country_code, " a ".birth_dept_code, "                   \
	a ".birth_commune_code, " a ".birth_town, " a ".class_code, "      \
	a ".mef_code, " a ".status_code, " a ".eleve_id, " a ".elenoet) "  \
	"IS DISTINCT FROM "                                                \
	"(" b ".last_name, " b ".usage_name, " b ".first_name, "           \
	b ".first_name2, " b ".first_name3, " b ".birth_date, " b ".sex, " \
	b ".birth_country_code, " b ".birth_dept_code, "                   \
	b ".birth_commune_code, " b ".birth_town, " b ".class_code, "      \
	b ".mef_code, " b ".status_code, " b ".eleve_id, " b ".elenoet)"

/*
 * Settings for the bulk statements of one transaction. The staging tables
 * have no statistics when they run (filled by this job): the planner
 * expects one row and picks nested loops that rescan a join for every
 * learner (1 000 students took minutes, growing with the cube of the
 * size). These statements are bulk joins: no nested loops, and memory
 * enough to hash or sort a large school's rows without spilling.
 */
static com_err
imp_apply_bulk_settings(PGconn *db)
{
	com_err rv;

	rv = com_db_exec(db, "SET LOCAL enable_nestloop = off", 0, NULL,
	    NULL);
	if (rv == COM_OK)
		rv = com_db_exec(db, "SET LOCAL work_mem = '256MB'", 0, NULL,
		    NULL);
	return rv;
}

static int64_t
imp_apply_int(const PGresult *res, int row, int col)
{
	return strtoll(com_db_value(res, row, col), NULL, 10);
}

/* imp_apply_count runs a statement and returns the rows it touched. */
static com_err
imp_apply_count(PGconn *db, const char *sql, int nparams,
    const char *const *params, int64_t *count)
{
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_exec(db, sql, nparams, params, &res);
	if (rv == COM_OK)
		*count = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rv;
}

/*
 * imp_apply_file fills the temporary table imp_file (dropped at commit)
 * with the staged students of job that have a class (the last one
 * given), so that the preview and the apply join the file once. Inside a
 * transaction; *rows gets its size.
 */
static com_err
imp_apply_file(PGconn *db, const char *job, int64_t *rows)
{
	const char *params[1] = {job};
	com_err rv;

	rv = imp_apply_bulk_settings(db);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "CREATE TEMP TABLE imp_file ON COMMIT DROP AS "
		    "SELECT r.*, ''::text AS class_code FROM import_rows r "
		    "WITH NO DATA",
		    0, NULL, NULL);
	if (rv == COM_OK)
		rv = imp_apply_count(db,
		    "INSERT INTO imp_file SELECT r.*, c.class_code "
		    IMP_FILE_JOIN("$1"),
		    1, params, rows);
	/* A few hundred sampled rows: the joins below get real sizes. */
	if (rv == COM_OK)
		rv = com_db_exec(db, "ANALYZE imp_file (ine)", 0, NULL, NULL);
	return rv;
}

/*
 * imp_apply_read runs one read-only bulk query in a short transaction of
 * its own (SET LOCAL needs one): on the staging tables alone, or, with
 * with_file, after imp_apply_file (the statement may read learners).
 */
static com_err
imp_apply_read(PGconn *db, const char *job, bool with_file,
    const char *sql, int nparams, const char *const *params, PGresult **out)
{
	int64_t rows;
	com_err rv;

	*out = NULL;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	if (with_file)
		rv = imp_apply_file(db, job, &rows);
	else
		rv = imp_apply_bulk_settings(db);
	if (rv == COM_OK)
		rv = com_db_exec(db, sql, nparams, params, out);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		PQclear(*out);
		*out = NULL;
	}
	return rv;
}

com_err
imp_apply_duplicates(PGconn *db, int64_t job_id, imp_report *report)
{
	com_db_id job = com_db_id_of(job_id);
	const char *params[1] = {job.s};
	PGresult *res;
	com_err rv;
	int n;

	/* Each student whose INE an earlier one carries, with that one. */
	rv = imp_apply_read(db, job.s, false,
	    "SELECT ine, last_name, first_name, eleve_id, first_name_of, "
	    "  first_eleve_id FROM ("
	    "  SELECT r.seq, r.ine, r.last_name, r.first_name, r.eleve_id, "
	    "    first_value(concat_ws(' ', r.last_name, r.first_name)) "
	    "      OVER w AS first_name_of, "
	    "    first_value(r.eleve_id) OVER w AS first_eleve_id, "
	    "    row_number() OVER w AS rank "
	    "  FROM import_rows r WHERE r.job_id = $1 AND r.ine IN ("
	    "    SELECT ine FROM import_rows WHERE job_id = $1 "
	    "    GROUP BY ine HAVING count(*) > 1) "
	    "  WINDOW w AS (PARTITION BY r.ine ORDER BY r.seq)) d "
	    "WHERE rank > 1 ORDER BY seq",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	for (int i = 0; i < n && rv == COM_OK; i++) {
		imp_who who = {PQgetvalue(res, i, 0),
		    PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1),
		    PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3)};

		rv = imp_rules_duplicate(report, &who, PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 5));
	}
	PQclear(res);
	return rv;
}

com_err
imp_apply_skips(PGconn *db, int64_t job_id, imp_report *report)
{
	com_db_id job = com_db_id_of(job_id);
	const char *params[1] = {job.s};
	PGresult *res;
	com_err rv = COM_OK;
	int n;

	rv = imp_apply_read(db, job.s, false,
	    "SELECT ine, last_name, first_name, eleve_id FROM import_rows r "
	    "WHERE job_id = $1 AND NOT EXISTS (SELECT 1 FROM import_classes c "
	    "  WHERE c.job_id = $1 AND c.eleve_id = r.eleve_id) "
	    "ORDER BY seq",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	for (int i = 0; i < n && rv == COM_OK; i++) {
		imp_who who = {PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3)};

		rv = imp_report_skip(report, IMP_SKIP_NO_CLASS, &who, NULL);
	}
	if (rv == COM_OK && (uint64_t)n >= report->accepted)
		rv = imp_report_no_learner(report);
	PQclear(res);
	return rv;
}

com_err
imp_apply_preview(PGconn *db, int64_t job_id, int64_t org_id,
    imp_preview *out)
{
	com_db_id job = com_db_id_of(job_id);
	com_db_id org = com_db_id_of(org_id);
	const char *params[1] = {org.s};
	PGresult *res = NULL;
	com_err rv;

	rv = imp_apply_read(db, job.s, true,
	    "SELECT count(*) FILTER (WHERE l.id IS NULL), "
	    "  count(*) FILTER (WHERE l.id IS NOT NULL "
	    "    AND (NOT l.active OR " IMP_DIFFERS("l", "f") ")), "
	    "  count(*) FILTER (WHERE l.id IS NOT NULL "
	    "    AND l.active AND NOT " IMP_DIFFERS("l", "f") "), "
	    "  (SELECT count(*) FROM learners a "
	    "    WHERE a.organization_id = $1 "
	    "    AND a.active AND NOT EXISTS (SELECT 1 FROM imp_file f2 "
	    "    WHERE f2.ine = a.ine)) "
	    "FROM imp_file f LEFT JOIN learners l "
	    "  ON l.organization_id = $1 AND l.ine = f.ine",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	out->to_add = imp_apply_int(res, 0, 0);
	out->to_update = imp_apply_int(res, 0, 1);
	out->unchanged = imp_apply_int(res, 0, 2);
	out->to_deactivate = imp_apply_int(res, 0, 3);
	PQclear(res);
	return COM_OK;
}

/*
 * imp_apply_first: a school's first import has nothing to compare with,
 * its staged students go straight into learners (no joined file).
 */
static com_err
imp_apply_first(PGconn *db, const char *job, const char *org,
    imp_preview *out)
{
	const char *params[2] = {org, job};
	com_err rv;

	memset(out, 0, sizeof(*out));
	rv = imp_apply_bulk_settings(db);
	if (rv == COM_OK)
		rv = imp_apply_count(db,
		    "INSERT INTO learners (organization_id, ine, "
		    IMP_LEARNER_FIELDS ") "
		    "SELECT $1, ine, " IMP_LEARNER_FIELDS " FROM ("
		    "  SELECT r.*, c.class_code " IMP_FILE_JOIN("$2") ") f "
		    "ORDER BY ine COLLATE \"C\"",
		    2, params, &out->to_add);
	return rv;
}

com_err
imp_apply_run(PGconn *db, int64_t job_id, int64_t org_id, imp_preview *out)
{
	com_db_id job = com_db_id_of(job_id);
	com_db_id org = com_db_id_of(org_id);
	const char *params[1] = {org.s};
	PGresult *res = NULL;
	int64_t rows = 0;
	bool listed;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT EXISTS (SELECT 1 FROM learners WHERE organization_id = $1)",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	listed = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!listed)
		return imp_apply_first(db, job.s, org.s, out);
	rv = imp_apply_file(db, job.s, &rows);
	/* Listed learners that changed, or come back. */
	if (rv == COM_OK)
		rv = imp_apply_count(db,
		    "UPDATE learners l SET "
		    "last_name = f.last_name, usage_name = f.usage_name, "
		    "first_name = f.first_name, first_name2 = f.first_name2, "
		    "first_name3 = f.first_name3, birth_date = f.birth_date, "
		    "sex = f.sex, birth_country_code = f.birth_country_code, "
		    "birth_dept_code = f.birth_dept_code, "
		    "birth_commune_code = f.birth_commune_code, "
		    "birth_town = f.birth_town, class_code = f.class_code, "
		    "mef_code = f.mef_code, status_code = f.status_code, "
		    "eleve_id = f.eleve_id, elenoet = f.elenoet, "
		    "active = true, left_at = NULL, updated_at = now() "
		    "FROM imp_file f "
		    "WHERE l.organization_id = $1 AND l.ine = f.ine "
		    "  AND (NOT l.active OR " IMP_DIFFERS("l", "f") ")",
		    1, params, &out->to_update);
	/* Listed learners absent from the file. */
	if (rv == COM_OK)
		rv = imp_apply_count(db,
		    "UPDATE learners l SET active = false, left_at = now(), "
		    "  updated_at = now() "
		    "WHERE l.organization_id = $1 AND l.active "
		    "  AND NOT EXISTS (SELECT 1 FROM imp_file f "
		    "  WHERE f.ine = l.ine)",
		    1, params, &out->to_deactivate);
	/*
	 * New learners. A plain insert (no ON CONFLICT): one import at a time
	 * per school, and nothing else adds learners; in INE order, the
	 * (school, INE) index is filled left to right.
	 */
	if (rv == COM_OK)
		rv = imp_apply_count(db,
		    "INSERT INTO learners (organization_id, ine, "
		    IMP_LEARNER_FIELDS ") "
		    "SELECT $1, f.ine, " IMP_LEARNER_FIELDS " FROM imp_file f "
		    "WHERE NOT EXISTS (SELECT 1 FROM learners l "
		    "  WHERE l.organization_id = $1 AND l.ine = f.ine) "
		    /* Byte order: the index's own for these ASCII codes. */
		    "ORDER BY f.ine COLLATE \"C\"",
		    1, params, &out->to_add);
	if (rv == COM_OK)
		out->unchanged = rows - out->to_add - out->to_update;
	return rv;
}

com_err
imp_apply_cleanup(PGconn *db, int64_t job_id)
{
	com_db_id job = com_db_id_of(job_id);
	const char *params[1] = {job.s};
	com_err rv;

	rv = com_db_exec(db, "DELETE FROM import_rows WHERE job_id = $1", 1,
	    params, NULL);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "DELETE FROM import_classes WHERE job_id = $1", 1, params,
		    NULL);
	return rv;
}
