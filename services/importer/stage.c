/* stage.c - COPY the parser's students and classes into staging tables. */
#include "stage.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"

#define IMP_STAGE_LINE_MAX (64u * 1024u)

/* imp_stage_field appends one COPY text field: \N for NULL, escaped. */
static com_err
imp_stage_field(com_buf *b, const char *v, bool last)
{
	com_err rv = COM_OK;
	size_t start = 0;

	if (v == NULL) {
		rv = com_buf_append(b, "\\N", 2);
	} else {
		for (size_t i = 0; v[i] != '\0' && rv == COM_OK; i++) {
			const char *esc = NULL;

			switch (v[i]) {
			case '\\': esc = "\\\\"; break;
			case '\t': esc = "\\t"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			default: continue;
			}
			rv = com_buf_append(b, v + start, i - start);
			if (rv == COM_OK)
				rv = com_buf_append_str(b, esc);
			start = i + 1;
		}
		if (rv == COM_OK)
			rv = com_buf_append_str(b, v + start);
	}
	if (rv == COM_OK)
		rv = com_buf_append(b, last ? "\n" : "\t", 1);
	return rv;
}

static com_err
imp_stage_put(PGconn *conn, const com_buf *line)
{
	if (PQputCopyData(conn, line->data, (int)line->len) != 1) {
		com_log_err("stage: COPY failed: %s", PQerrorMessage(conn));
		return COM_EDB;
	}
	return COM_OK;
}

static com_err
imp_stage_copy_start(PGconn *conn, const char *job_id,
    const char *delete_sql, const char *copy_sql)
{
	const char *params[1] = {job_id};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(conn, "BEGIN", 0, NULL, NULL);
	if (rv != COM_OK)
		return rv;
	if (delete_sql != NULL)
		rv = com_db_exec(conn, delete_sql, 1, params, NULL);
	if (rv != COM_OK)
		return rv;
	res = PQexec(conn, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		com_log_err("stage: cannot start COPY: %s",
		    PQerrorMessage(conn));
		PQclear(res);
		return COM_EDB;
	}
	PQclear(res);
	return COM_OK;
}

com_err
imp_stage_open(imp_stage *st, PGconn *rows, PGconn *classes, int64_t job_id,
    bool empty)
{
	com_err rv;

	memset(st, 0, sizeof(*st));
	st->rows = rows;
	st->classes = classes;
	snprintf(st->job_id, sizeof(st->job_id), "%" PRId64, job_id);
	com_buf_init(&st->line, IMP_STAGE_LINE_MAX);
	rv = imp_stage_copy_start(rows, st->job_id,
	    empty ? "DELETE FROM import_rows WHERE job_id = $1" : NULL,
	    "COPY import_rows (job_id, seq, eleve_id, elenoet, ine, last_name, "
	    "usage_name, first_name, first_name2, first_name3, birth_date, "
	    "sex, birth_country_code, birth_dept_code, birth_commune_code, "
	    "birth_town, mef_code, status_code) FROM STDIN");
	if (rv == COM_OK)
		rv = imp_stage_copy_start(classes, st->job_id,
		    empty ? "DELETE FROM import_classes WHERE job_id = $1"
		          : NULL,
		    "COPY import_classes (job_id, seq, eleve_id, class_code) "
		    "FROM STDIN");
	if (rv != COM_OK) {
		com_buf_fini(&st->line);
		com_db_rollback(rows);
		com_db_rollback(classes);
	}
	return rv;
}

void
imp_stage_rebase(imp_stage *st, uint64_t base)
{
	st->class_seq = base;
}

com_err
imp_stage_student(void *arg, const imp_student *s)
{
	imp_stage *st = arg;
	char seq[24];
	char sex[2] = {s->sex, '\0'};
	const char *fields[] = {st->job_id, seq, s->eleve_id, s->elenoet,
	    s->ine, s->last_name, s->usage_name, s->first_name, s->first_name2,
	    s->first_name3, s->birth_iso[0] != '\0' ? s->birth_iso : NULL,
	    s->sex ? sex : NULL, s->country_code,
	    s->dept_code, s->commune_code, s->birth_town, s->mef_code,
	    s->status_code};
	const size_t n = sizeof(fields) / sizeof(fields[0]);
	com_err rv = COM_OK;

	snprintf(seq, sizeof(seq), "%" PRIu64, s->seq);
	com_buf_reset(&st->line);
	for (size_t i = 0; i < n && rv == COM_OK; i++)
		rv = imp_stage_field(&st->line, fields[i], i == n - 1);
	if (rv == COM_OK)
		rv = imp_stage_put(st->rows, &st->line);
	return rv;
}

com_err
imp_stage_class(void *arg, const char *eleve_id, const char *class_code)
{
	imp_stage *st = arg;
	char seq[24];
	com_err rv;

	snprintf(seq, sizeof(seq), "%" PRIu64, ++st->class_seq);
	com_buf_reset(&st->line);
	rv = imp_stage_field(&st->line, st->job_id, false);
	if (rv == COM_OK)
		rv = imp_stage_field(&st->line, seq, false);
	if (rv == COM_OK)
		rv = imp_stage_field(&st->line, eleve_id, false);
	if (rv == COM_OK)
		rv = imp_stage_field(&st->line, class_code, true);
	if (rv == COM_OK)
		rv = imp_stage_put(st->classes, &st->line);
	return rv;
}

/* imp_stage_end finishes one COPY and its transaction. */
static com_err
imp_stage_end(PGconn *conn, bool ok)
{
	com_err rv = COM_OK;
	PGresult *res;

	if (PQputCopyEnd(conn, ok ? NULL : "import refused") != 1)
		rv = COM_EDB;
	while ((res = PQgetResult(conn)) != NULL) {
		if (ok && PQresultStatus(res) != PGRES_COMMAND_OK) {
			com_log_err("stage: COPY ended badly: %s",
			    PQresultErrorMessage(res));
			rv = COM_EDB;
		}
		PQclear(res);
	}
	if (ok && rv == COM_OK)
		return com_db_commit(conn);
	com_db_rollback(conn);
	return rv;
}

com_err
imp_stage_close(imp_stage *st, bool ok)
{
	com_err rv = imp_stage_end(st->rows, ok);
	com_err rv2 = imp_stage_end(st->classes, ok && rv == COM_OK);

	com_buf_fini(&st->line);
	return rv != COM_OK ? rv : rv2;
}
