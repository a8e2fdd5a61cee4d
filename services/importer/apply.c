/* apply.c - preview and apply a staged import in SQL. */
#include "apply.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"

/* The staged students that have a class (the last one given). */
#define IMP_FILE_ROWS                                                      \
	"WITH c AS (SELECT DISTINCT ON (eleve_id) eleve_id, class_code "   \
	"    FROM import_classes WHERE job_id = $1 "                       \
	"    ORDER BY eleve_id, seq DESC), "                               \
	"f AS (SELECT r.*, c.class_code FROM import_rows r "               \
	"    JOIN c ON c.eleve_id = r.eleve_id WHERE r.job_id = $1) "

/* What a re-import may change on a learner. */
#define IMP_LEARNER_FIELDS                                                 \
	"last_name, usage_name, first_name, first_name2, first_name3, "    \
	"birth_date, sex, birth_country_code, birth_dept_code, "           \
	"birth_commune_code, birth_town, class_code, mef_code, "           \
	"status_code, eleve_id, elenoet"

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
 * The staging tables, and a school's learners during the apply, have no
 * statistics when these statements run (filled by this job, or by this
 * very transaction): the planner expects one row and picks nested loops
 * that rescan the staging join for every learner (1 000 students took
 * minutes, growing with the cube of the size). These statements are bulk
 * joins: forbid nested loops for the transaction.
 */
static com_err
imp_apply_bulk_plans(PGconn *db)
{
	return com_db_exec(db, "SET LOCAL enable_nestloop = off", 0, NULL,
	    NULL);
}

/*
 * imp_apply_bulk_query runs one read-only bulk join with nested loops
 * forbidden: inside the caller's transaction when there is one (the
 * apply), else in a short one of its own (SET LOCAL needs one).
 */
static com_err
imp_apply_bulk_query(PGconn *db, const char *sql, int nparams,
    const char *const *params, PGresult **out)
{
	bool own_tx = PQtransactionStatus(db) == PQTRANS_IDLE;
	PGresult *res = NULL;
	com_err rv;

	rv = own_tx ? com_db_begin(db) : COM_OK;
	if (rv == COM_OK)
		rv = imp_apply_bulk_plans(db);
	if (rv == COM_OK)
		rv = com_db_exec(db, sql, nparams, params, &res);
	if (own_tx) {
		if (rv == COM_OK)
			rv = com_db_commit(db);
		else
			com_db_rollback(db);
	}
	if (rv != COM_OK) {
		PQclear(res);
		return rv;
	}
	*out = res;
	return COM_OK;
}

static int64_t
imp_apply_int(const PGresult *res, int row, int col)
{
	return strtoll(com_db_value(res, row, col), NULL, 10);
}

com_err
imp_apply_skips(PGconn *db, int64_t job_id, imp_report *report)
{
	char job[24];
	const char *params[1] = {job};
	PGresult *res;
	com_err rv = COM_OK;
	int n;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	rv = imp_apply_bulk_query(db,
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
	char job[24], org[24];
	const char *params[2] = {job, org};
	PGresult *res = NULL;
	com_err rv;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	snprintf(org, sizeof(org), "%" PRId64, org_id);
	rv = imp_apply_bulk_query(db,
	    IMP_FILE_ROWS
	    "SELECT count(*) FILTER (WHERE l.id IS NULL), "
	    "  count(*) FILTER (WHERE l.id IS NOT NULL "
	    "    AND (NOT l.active OR " IMP_DIFFERS("l", "f") ")), "
	    "  count(*) FILTER (WHERE l.id IS NOT NULL "
	    "    AND l.active AND NOT " IMP_DIFFERS("l", "f") "), "
	    "  (SELECT count(*) FROM learners a "
	    "    WHERE a.organization_id = $2 "
	    "    AND a.active AND NOT EXISTS (SELECT 1 FROM f f2 "
	    "    WHERE f2.ine = a.ine)) "
	    "FROM f LEFT JOIN learners l "
	    "  ON l.organization_id = $2 AND l.ine = f.ine",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	out->to_add = imp_apply_int(res, 0, 0);
	out->to_update = imp_apply_int(res, 0, 1);
	out->unchanged = imp_apply_int(res, 0, 2);
	out->to_deactivate = imp_apply_int(res, 0, 3);
	PQclear(res);
	return COM_OK;
}

com_err
imp_apply_run(PGconn *db, int64_t job_id, int64_t org_id, imp_preview *out)
{
	char job[24], org[24];
	const char *params[2] = {job, org};
	PGresult *res = NULL;
	com_err rv;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	snprintf(org, sizeof(org), "%" PRId64, org_id);
	/* Counted before writing: the same figures as the preview. */
	rv = imp_apply_bulk_plans(db);
	if (rv == COM_OK)
		rv = imp_apply_preview(db, job_id, org_id, out);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    IMP_FILE_ROWS
	    "INSERT INTO learners AS l (organization_id, ine, "
	    IMP_LEARNER_FIELDS ") "
	    "SELECT $2, ine, " IMP_LEARNER_FIELDS " FROM f "
	    "ON CONFLICT (organization_id, ine) DO UPDATE SET "
	    "last_name = excluded.last_name, usage_name = excluded.usage_name, "
	    "first_name = excluded.first_name, "
	    "first_name2 = excluded.first_name2, "
	    "first_name3 = excluded.first_name3, "
	    "birth_date = excluded.birth_date, sex = excluded.sex, "
	    "birth_country_code = excluded.birth_country_code, "
	    "birth_dept_code = excluded.birth_dept_code, "
	    "birth_commune_code = excluded.birth_commune_code, "
	    "birth_town = excluded.birth_town, "
	    "class_code = excluded.class_code, mef_code = excluded.mef_code, "
	    "status_code = excluded.status_code, "
	    "eleve_id = excluded.eleve_id, elenoet = excluded.elenoet, "
	    "active = true, left_at = NULL, updated_at = now() "
	    "WHERE NOT l.active OR " IMP_DIFFERS("l", "excluded"),
	    2, params, NULL);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    IMP_FILE_ROWS
	    "UPDATE learners l SET active = false, left_at = now(), "
	    "  updated_at = now() "
	    "WHERE l.organization_id = $2 AND l.active "
	    "  AND NOT EXISTS (SELECT 1 FROM f WHERE f.ine = l.ine)",
	    2, params, &res);
	PQclear(res);
	return rv;
}

com_err
imp_apply_cleanup(PGconn *db, int64_t job_id)
{
	char job[24];
	const char *params[1] = {job};
	com_err rv;

	snprintf(job, sizeof(job), "%" PRId64, job_id);
	rv = com_db_exec(db, "DELETE FROM import_rows WHERE job_id = $1", 1,
	    params, NULL);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "DELETE FROM import_classes WHERE job_id = $1", 1, params,
		    NULL);
	return rv;
}
