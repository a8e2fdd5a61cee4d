/* learners.c - paged, filtered lists of a school's learners. */
#include "learners/learner_list.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"

/* How the linked account logs in: NONE, GAR, EMAIL or IDENTIFIER. */
#define ORGA_LEARNERS_LOGIN                                                \
	"CASE WHEN user_id IS NULL THEN 'NONE' "                           \
	"WHEN EXISTS (SELECT 1 FROM authentication_methods a "             \
	"  WHERE a.user_id = learners.user_id AND a.kind = 'GAR') "        \
	"  THEN 'GAR' "                                                    \
	"WHEN (SELECT email FROM users u WHERE u.id = learners.user_id) "  \
	"  IS NOT NULL THEN 'EMAIL' ELSE 'IDENTIFIER' END"

/* The filter shared by the page and its count: $1 school, $2 search,
 * $3 class, $4 state (0 active, 1 gone, 2 all), $5 login method (NULL:
 * any). LIKE wildcards typed by the user are escaped. */
#define ORGA_LEARNERS_WHERE                                                \
	"WHERE organization_id = $1 "                                      \
	"AND ($5::text IS NULL OR (" ORGA_LEARNERS_LOGIN ") = $5) "        \
	"AND ($4 = '2' OR active = ($4 = '0')) "                           \
	"AND ($3::text IS NULL OR class_code = $3) "                       \
	"AND ($2::text IS NULL OR lower(unaccent(last_name || ' ' || "     \
	"  first_name || ' ' || coalesce(usage_name, '') || ' ' || "       \
	"  first_name || ' ' || last_name)) LIKE '%' || "                  \
	"  replace(replace(replace(lower(unaccent(btrim($2))), '\\', "   \
	"  '\\\\'), '%', '\\%'), '_', '\\_') || '%') "

/* Sort orders; the id keeps pages stable among equal names. */
static const char *const orga_learner_orders[2][4] = {
	{
		"lower(unaccent(last_name)), lower(unaccent(first_name)), id",
		"lower(unaccent(first_name)), lower(unaccent(last_name)), id",
		"birth_date, lower(unaccent(last_name)), id",
		"class_code, lower(unaccent(last_name)), id",
	},
	{
		"lower(unaccent(last_name)) DESC, "
		"lower(unaccent(first_name)) DESC, id DESC",
		"lower(unaccent(first_name)) DESC, "
		"lower(unaccent(last_name)) DESC, id DESC",
		"birth_date DESC, lower(unaccent(last_name)), id",
		"class_code DESC, lower(unaccent(last_name)), id",
	},
};

com_err
orga_learners_list(PGconn *db, int64_t org_id, const orga_learner_query *q,
    orga_learner_page *out)
{
	char org[24], offset[24], limit[16], state[4];
	const char *params[7] = {org,
	    q->search != NULL && q->search[0] != '\0' ? q->search : NULL,
	    q->class_code != NULL && q->class_code[0] != '\0' ? q->class_code
	                                                       : NULL,
	    state,
	    q->login_method != NULL && q->login_method[0] != '\0'
	        ? q->login_method : NULL,
	    offset, limit};
	com_buf sql;
	PGresult *res;
	com_err rv;

	if (q->limit < 1 || q->limit > ORGA_LEARNERS_PAGE_MAX ||
	    q->offset < 0 || (unsigned)q->sort > ORGA_SORT_CLASS ||
	    (unsigned)q->state > ORGA_LEARNERS_ALL)
		return COM_EINVAL;
	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(offset, sizeof(offset), "%" PRId64, q->offset);
	snprintf(limit, sizeof(limit), "%d", q->limit);
	snprintf(state, sizeof(state), "%d", (int)q->state);
	/* The ORDER BY comes from the table above, never from the caller;
	 * every value is a parameter. */
	com_buf_init(&sql, 4096);
	rv = com_buf_append_str(&sql,
	    "SELECT id, ine, last_name, coalesce(usage_name, ''), first_name, "
	    "  to_char(birth_date, 'DD/MM/YYYY'), class_code, active, "
	    "  user_id IS NOT NULL, count(*) OVER (), "
	    "  nullif(" ORGA_LEARNERS_LOGIN ", 'NONE'), "
	    "  coalesce((SELECT u.blocked_until > now() FROM users u "
	    "    WHERE u.id = learners.user_id), false), "
	    "  coalesce((SELECT u.login FROM users u "
	    "    WHERE u.id = learners.user_id), '') "
	    "FROM learners " ORGA_LEARNERS_WHERE "ORDER BY ");
	if (rv == COM_OK)
		rv = com_buf_append_str(&sql,
		    orga_learner_orders[q->descending ? 1 : 0][q->sort]);
	if (rv == COM_OK)
		rv = com_buf_append_str(&sql, " OFFSET $6 LIMIT $7");
	if (rv == COM_OK)
		rv = com_db_exec(db, com_buf_str(&sql), 7, params, &res);
	com_buf_fini(&sql);
	if (rv != COM_OK)
		return rv;
	out->res = res;
	out->count = PQntuples(res);
	out->total = out->count > 0 ? strtoll(PQgetvalue(res, 0, 9), NULL, 10)
	                            : 0;
	if (out->count == 0 && q->offset > 0) {
		/* Past the last page: the total still matters to the pager. */
		const char *cparams[5] = {org, params[1], params[2], state,
		    params[4]};

		PQclear(res);
		out->res = NULL;
		rv = com_db_exec(db,
		    "SELECT count(*) FROM learners " ORGA_LEARNERS_WHERE, 5,
		    cparams, &res);
		if (rv != COM_OK)
			return rv;
		out->total = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		rv = com_db_exec(db, "SELECT 1 WHERE false", 0, NULL,
		    &out->res);
	}
	return rv;
}

void
orga_learner_page_row(const orga_learner_page *page, int i,
    orga_learner *out)
{
	const PGresult *res = page->res;

	out->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	out->ine = PQgetvalue(res, i, 1);
	out->last_name = PQgetvalue(res, i, 2);
	out->usage_name = PQgetvalue(res, i, 3);
	out->first_name = PQgetvalue(res, i, 4);
	out->birth_date = PQgetvalue(res, i, 5);
	out->class_code = PQgetvalue(res, i, 6);
	out->active = PQgetvalue(res, i, 7)[0] == 't';
	out->linked = PQgetvalue(res, i, 8)[0] == 't';
	out->login_method = PQgetvalue(res, i, 10);
	out->blocked = PQgetvalue(res, i, 11)[0] == 't';
	out->identifier = PQgetvalue(res, i, 12);
}

void
orga_learner_page_fini(orga_learner_page *page)
{
	PQclear(page->res);
	page->res = NULL;
	page->count = 0;
}

com_err
orga_learners_classes(PGconn *db, int64_t org_id, PGresult **out)
{
	char org[24];
	const char *params[1] = {org};

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	return com_db_exec(db,
	    "SELECT DISTINCT class_code FROM learners "
	    "WHERE organization_id = $1 AND active ORDER BY class_code",
	    1, params, out);
}
