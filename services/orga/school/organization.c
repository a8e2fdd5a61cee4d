/* organization.c - schools and memberships in PostgreSQL. */
#include "school/organization.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"

#define ORGA_ORG_COLUMNS                                                   \
	"id, uai, name, type, coalesce(email, ''), "                       \
	"to_char(created_at AT TIME ZONE 'UTC', "                          \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

const char *
orga_role_name(orga_role role)
{
	switch (role) {
	case ORGA_ROLE_ADMIN:
		return "ADMIN";
	case ORGA_ROLE_MEMBER:
		return "MEMBER";
	default:
		return "";
	}
}

com_err
orga_role_parse(const char *s, orga_role *out)
{
	if (strcasecmp(s, "ADMIN") == 0)
		*out = ORGA_ROLE_ADMIN;
	else if (strcasecmp(s, "MEMBER") == 0)
		*out = ORGA_ROLE_MEMBER;
	else
		return COM_EINVAL;
	return COM_OK;
}

static void
orga_org_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static void
orga_org_from_row(const PGresult *res, int row, orga_org *out)
{
	out->id = strtoll(com_db_value(res, row, 0), NULL, 10);
	orga_org_copy(out->uai, sizeof(out->uai), com_db_value(res, row, 1));
	orga_org_copy(out->name, sizeof(out->name), com_db_value(res, row, 2));
	orga_org_copy(out->type, sizeof(out->type), com_db_value(res, row, 3));
	orga_org_copy(out->email, sizeof(out->email),
	    com_db_value(res, row, 4));
	orga_org_copy(out->created_at, sizeof(out->created_at),
	    com_db_value(res, row, 5));
}

static com_err
orga_org_get_one(PGconn *db, const char *sql, const char *param,
    orga_org *out)
{
	const char *params[1] = {param};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db, sql, 1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	orga_org_from_row(res, 0, out);
	PQclear(res);
	return COM_OK;
}

com_err
orga_org_get(PGconn *db, int64_t id, orga_org *out)
{
	char idbuf[24];

	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	return orga_org_get_one(db,
	    "SELECT " ORGA_ORG_COLUMNS " FROM organizations WHERE id = $1",
	    idbuf, out);
}

com_err
orga_org_get_by_uai(PGconn *db, const char *uai, orga_org *out)
{
	return orga_org_get_one(db,
	    "SELECT " ORGA_ORG_COLUMNS " FROM organizations WHERE uai = $1",
	    uai, out);
}

com_err
orga_org_insert(PGconn *db, const char *uai, const char *name,
    const char *type, const char *email, orga_org *out)
{
	const char *params[4] = {uai, name, type[0] ? type : "SCO",
	    email[0] ? email : NULL};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "INSERT INTO organizations (uai, name, type, email) "
	    "VALUES ($1, $2, $3, $4) RETURNING " ORGA_ORG_COLUMNS,
	    4, params, &res);
	if (rv != COM_OK)
		return rv;
	orga_org_from_row(res, 0, out);
	PQclear(res);
	return COM_OK;
}

com_err
orga_membership_role(PGconn *db, int64_t org_id, int64_t user_id,
    orga_role *out)
{
	char org[24], user[24];
	const char *params[2] = {org, user};
	PGresult *res;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(user, sizeof(user), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    "SELECT role FROM memberships "
	    "WHERE organization_id = $1 AND user_id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	*out = ORGA_ROLE_NONE;
	if (PQntuples(res) == 1 &&
	    orga_role_parse(com_db_value(res, 0, 0), out) != COM_OK)
		*out = ORGA_ROLE_NONE;
	PQclear(res);
	return COM_OK;
}

static void
orga_member_from_row(const PGresult *res, int i, void *dst)
{
	orga_member *m = dst;

	m->user_id = strtoll(com_db_value(res, i, 0), NULL, 10);
	orga_org_copy(m->first_name, sizeof(m->first_name),
	    com_db_value(res, i, 1));
	orga_org_copy(m->last_name, sizeof(m->last_name),
	    com_db_value(res, i, 2));
	orga_org_copy(m->email, sizeof(m->email), com_db_value(res, i, 3));
	if (orga_role_parse(com_db_value(res, i, 4), &m->role) != COM_OK)
		m->role = ORGA_ROLE_MEMBER;
	orga_org_copy(m->joined_at, sizeof(m->joined_at),
	    com_db_value(res, i, 5));
}

com_err
orga_member_list(PGconn *db, int64_t org_id, orga_member **out, int *count)
{
	com_db_id org = com_db_id_of(org_id);
	const char *params[1] = {org.s};

	return com_db_rows(db,
	    "SELECT u.id, u.first_name, u.last_name, coalesce(u.email, ''), "
	    "m.role, to_char(m.created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM memberships m JOIN users u ON u.id = m.user_id "
	    "WHERE m.organization_id = $1 "
	    "ORDER BY lower(u.last_name), lower(u.first_name), u.id",
	    1, params, sizeof(**out), orga_member_from_row, (void **)out,
	    count);
}

com_err
orga_membership_touch(PGconn *db, int64_t org_id, int64_t user_id)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {org.s, user.s};

	/* Only a change of school writes: reloads of the same one do not. */
	return com_db_exec(db,
	    "UPDATE memberships SET last_used_at = now() "
	    "WHERE organization_id = $1 AND user_id = $2 "
	    "  AND organization_id IS DISTINCT FROM ("
	    "    SELECT organization_id FROM memberships "
	    "    WHERE user_id = $2 AND last_used_at IS NOT NULL "
	    "    ORDER BY last_used_at DESC, organization_id LIMIT 1)",
	    2, params, NULL);
}

static void
orga_my_school_from_row(const PGresult *res, int i, void *dst)
{
	orga_my_school *s = dst;

	s->id = strtoll(com_db_value(res, i, 0), NULL, 10);
	orga_org_copy(s->name, sizeof(s->name), com_db_value(res, i, 1));
	orga_org_copy(s->uai, sizeof(s->uai), com_db_value(res, i, 2));
	if (orga_role_parse(com_db_value(res, i, 3), &s->role) != COM_OK)
		s->role = ORGA_ROLE_MEMBER;
	orga_org_copy(s->last_used_at, sizeof(s->last_used_at),
	    com_db_value(res, i, 4));
}

com_err
orga_my_schools(PGconn *db, int64_t user_id, orga_my_school **out,
    int *count)
{
	com_db_id user = com_db_id_of(user_id);
	const char *params[1] = {user.s};

	return com_db_rows(db,
	    "SELECT o.id, o.name, o.uai, m.role, coalesce(to_char("
	    "  m.last_used_at AT TIME ZONE 'UTC', "
	    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
	    "FROM memberships m JOIN organizations o ON o.id = m.organization_id "
	    "WHERE m.user_id = $1 "
	    "ORDER BY m.last_used_at DESC NULLS LAST, lower(o.name), o.id",
	    1, params, sizeof(**out), orga_my_school_from_row, (void **)out,
	    count);
}
