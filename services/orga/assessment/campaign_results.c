/* campaign_results.c - the school's reads of a campaign's results. */
#include "assessment/campaign_results.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "csv.h"
#include "db.h"

#define RESULTS_ISO(col)                                                   \
	"coalesce(to_char(" col " AT TIME ZONE 'UTC', "                    \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

#define RESULTS_FROM                                                       \
	"FROM participations p JOIN users u ON u.id = p.user_id "          \
	"LEFT JOIN learners l ON l.organization_id = p.organization_id "   \
	"  AND l.id = p.learner_id "                                        \
	"LEFT JOIN participation_results r "                               \
	"  ON r.organization_id = p.organization_id "                      \
	" AND r.participation_id = p.id "

#define RESULTS_ORDER                                                      \
	"ORDER BY lower(unaccent(coalesce(l.last_name, u.last_name))), "   \
	"  lower(unaccent(coalesce(l.first_name, u.first_name))), p.id"

#define RESULTS_SELECT                                                     \
	"SELECT p.id, coalesce(l.last_name, u.last_name), "                \
	"  coalesce(l.first_name, u.first_name), coalesce(l.class_code, ''), " \
	"  p.status, " RESULTS_ISO("p.created_at") ", "                     \
	"  " RESULTS_ISO("p.shared_at") ", coalesce(r.mastery::text, ''), "  \
	"  coalesce(r.competences::text, ''), coalesce(r.topics::text, '') " \
	RESULTS_FROM

const char *
orga_results_status_words(const char *status, bool assessment)
{
	if (strcmp(status, "STARTED") == 0)
		return "En cours";
	if (strcmp(status, "TO_SHARE") == 0)
		return "En attente d'envoi";
	return assessment ? "Résultats reçus" : "Profil reçu";
}

com_err
orga_results_list(PGconn *db, int64_t org, int64_t campaign,
    const char *class_code, const char *status, PGresult **out)
{
	com_db_id o = com_db_id_of(org), c = com_db_id_of(campaign);
	const char *params[4] = {o.s, c.s,
	    class_code != NULL && class_code[0] != '\0' ? class_code : NULL,
	    status != NULL && status[0] != '\0' ? status : NULL};

	return com_db_exec(db,
	    RESULTS_SELECT
	    "WHERE p.organization_id = $1 AND p.campaign_id = $2 "
	    "  AND ($3::text IS NULL OR l.class_code = $3) "
	    "  AND ($4::text IS NULL OR p.status = $4) " RESULTS_ORDER,
	    4, params, out);
}

com_err
orga_results_one(PGconn *db, int64_t org, int64_t campaign,
    int64_t participation, PGresult **out)
{
	com_db_id o = com_db_id_of(org), c = com_db_id_of(campaign);
	com_db_id p = com_db_id_of(participation);
	const char *params[3] = {o.s, c.s, p.s};

	return com_db_one(db,
	    RESULTS_SELECT
	    "WHERE p.organization_id = $1 AND p.campaign_id = $2 "
	    "  AND p.id = $3",
	    3, params, out);
}

com_err
orga_results_activity(PGconn *db, int64_t org, int64_t campaign,
    PGresult **counts, PGresult **days)
{
	com_db_id o = com_db_id_of(org), c = com_db_id_of(campaign);
	const char *params[2] = {o.s, c.s};
	PGresult *res;
	com_err rv;

	rv = com_db_one(db,
	    "SELECT count(*) FILTER (WHERE status = 'STARTED'), "
	    "  count(*) FILTER (WHERE status = 'TO_SHARE'), "
	    "  count(*) FILTER (WHERE status = 'SHARED') "
	    "FROM participations WHERE organization_id = $1 "
	    "  AND campaign_id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    "WITH e AS ("
	    "  SELECT (created_at AT TIME ZONE 'Europe/Paris')::date AS d, "
	    "    1 AS s, 0 AS sh FROM participations "
	    "  WHERE organization_id = $1 AND campaign_id = $2 "
	    "  UNION ALL "
	    "  SELECT (shared_at AT TIME ZONE 'Europe/Paris')::date, 0, 1 "
	    "  FROM participations WHERE organization_id = $1 "
	    "    AND campaign_id = $2 AND shared_at IS NOT NULL) "
	    "SELECT to_char(d, 'YYYY-MM-DD'), sum(s), sum(sh) FROM e "
	    "GROUP BY d ORDER BY d",
	    2, params, days);
	if (rv != COM_OK) {
		PQclear(res);
		return rv;
	}
	*counts = res;
	return COM_OK;
}

/* --- export ------------------------------------------------------------ */

struct orga_results_export {
	PGconn *db;
	orga_results_export_head head;
	bool header_done, done;
};

com_err
orga_results_export_open(PGconn *db, int64_t org, int64_t campaign,
    const orga_results_export_head *head, orga_results_export **out)
{
	com_db_id o = com_db_id_of(org), c = com_db_id_of(campaign);
	const char *params[2] = {o.s, c.s};
	orga_results_export *x;
	com_err rv;

	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return COM_ENOMEM;
	x->db = db;
	x->head = *head;
	rv = com_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    0, NULL, NULL);
	if (rv != COM_OK) {
		free(x);
		return rv;
	}
	rv = com_db_exec(db,
	    "DECLARE results_export NO SCROLL CURSOR FOR "
	    "SELECT coalesce(l.last_name, u.last_name), "
	    "  coalesce(l.first_name, u.first_name), "
	    "  coalesce(l.class_code, ''), coalesce(l.ine, ''), p.status, "
	    "  coalesce(to_char(p.shared_at AT TIME ZONE 'Europe/Paris', "
	    "    'DD/MM/YYYY'), ''), coalesce(r.mastery::text, ''), "
	    "  coalesce(r.competences::text, '') "
	    RESULTS_FROM
	    "WHERE p.organization_id = $1 AND p.campaign_id = $2 "
	    RESULTS_ORDER,
	    2, params, NULL);
	if (rv != COM_OK) {
		com_db_rollback(db);
		free(x);
		return rv;
	}
	*out = x;
	return COM_OK;
}

static com_err
export_header(const orga_results_export *x, com_buf *out)
{
	static const char *const cols[] = {"Établissement", "Campagne",
	    "Code de la campagne", "Nom", "Prénom", "Classe", "INE", "État",
	    "Envoyé le"};
	com_err rv = com_buf_append(out, "\xEF\xBB\xBF", 3);

	for (size_t i = 0; rv == COM_OK && i < sizeof(cols) / sizeof(*cols);
	     i++)
		rv = com_csv_field(out, cols[i], i == 0);
	if (rv == COM_OK && x->head.mastery)
		rv = com_csv_field(out, "% de maîtrise", 0);
	for (size_t i = 0; rv == COM_OK && i < x->head.ncodes; i++)
		rv = com_csv_field(out, x->head.titles[i], 0);
	if (rv == COM_OK)
		rv = com_buf_append(out, "\r\n", 2);
	return rv;
}

/* export_level writes the level of competence code in comps, or "". */
static com_err
export_level(com_buf *out, const json_t *comps, const char *code)
{
	size_t i;
	json_t *k;
	char level[16] = "";

	json_array_foreach(comps, i, k) {
		const char *c = json_string_value(json_object_get(k, "code"));

		if (c != NULL && strcmp(c, code) == 0) {
			snprintf(level, sizeof(level), "%lld",
			    (long long)json_integer_value(json_object_get(k,
			        "level")));
			break;
		}
	}
	return com_csv_field(out, level, 0);
}

static com_err
export_row(const orga_results_export *x, const PGresult *res, int i,
    com_buf *out)
{
	const char *status = com_db_value(res, i, 4);
	const char *comps_text = com_db_value(res, i, 7);
	json_t *comps = NULL;
	com_err rv;

	rv = com_csv_field(out, x->head.school, 1);
	if (rv == COM_OK)
		rv = com_csv_field(out, x->head.campaign, 0);
	if (rv == COM_OK)
		rv = com_csv_field(out, x->head.code, 0);
	for (int c = 0; rv == COM_OK && c < 4; c++)
		rv = com_csv_field(out, com_db_value(res, i, c), 0);
	if (rv == COM_OK)
		rv = com_csv_field(out,
		    orga_results_status_words(status, x->head.mastery), 0);
	if (rv == COM_OK)
		rv = com_csv_field(out, com_db_value(res, i, 5), 0);
	if (rv == COM_OK && x->head.mastery)
		rv = com_csv_field(out, com_db_value(res, i, 6), 0);
	if (comps_text[0] != '\0')
		comps = json_loads(comps_text, 0, NULL);
	for (size_t k = 0; rv == COM_OK && k < x->head.ncodes; k++)
		rv = comps != NULL ? export_level(out, comps, x->head.codes[k])
		                   : com_csv_field(out, "", 0);
	json_decref(comps);
	if (rv == COM_OK)
		rv = com_buf_append(out, "\r\n", 2);
	return rv;
}

com_err
orga_results_export_next(orga_results_export *x, com_buf *out, bool *done)
{
	PGresult *res;
	com_err rv = COM_OK;

	*done = false;
	if (!x->header_done) {
		x->header_done = true;
		return export_header(x, out);
	}
	if (x->done) {
		*done = true;
		return COM_OK;
	}
	rv = com_db_exec(x->db, "FETCH 500 FROM results_export", 0, NULL, &res);
	if (rv != COM_OK)
		return rv;
	for (int i = 0; rv == COM_OK && i < PQntuples(res); i++)
		rv = export_row(x, res, i, out);
	if (PQntuples(res) < ORGA_RESULTS_EXPORT_BATCH)
		x->done = true;
	PQclear(res);
	if (rv == COM_OK && x->done && out->len == 0)
		*done = true;
	return rv;
}

void
orga_results_export_close(orga_results_export *x)
{
	if (x == NULL)
		return;
	com_db_rollback(x->db);
	free(x);
}
