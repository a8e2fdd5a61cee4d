/* invitation.c - invitations: send (with its outbox mail), check, accept. */
#include "school/invitation.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "secret.h"

#define ORGA_ISO(col)                                                      \
	"to_char(" col " AT TIME ZONE 'UTC', "                             \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Columns read by orga_invitation_from_row, in order. */
#define ORGA_INVITATION_COLUMNS                                            \
	"i.id, i.organization_id, o.name, i.email, i.role, i.kind, "       \
	"i.status, " ORGA_ISO("i.created_at") ", "                         \
	ORGA_ISO("i.updated_at") ", i.code_hash"

static void
orga_invitation_from_row(const PGresult *res, int row, orga_invitation *out)
{
	memset(out, 0, sizeof(*out));
	out->id = strtoll(com_db_value(res, row, 0), NULL, 10);
	out->organization_id = strtoll(com_db_value(res, row, 1), NULL, 10);
	snprintf(out->organization_name, sizeof(out->organization_name), "%s",
	    com_db_value(res, row, 2));
	snprintf(out->email, sizeof(out->email), "%s",
	    com_db_value(res, row, 3));
	if (orga_role_parse(com_db_value(res, row, 4), &out->role) != COM_OK)
		out->role = ORGA_ROLE_MEMBER;
	out->kind = strcmp(com_db_value(res, row, 5), "ACTIVATION") == 0
	    ? ORGA_INVITATION_ACTIVATION
	    : ORGA_INVITATION_MEMBER;
	snprintf(out->status, sizeof(out->status), "%s",
	    com_db_value(res, row, 6));
	snprintf(out->created_at, sizeof(out->created_at), "%s",
	    com_db_value(res, row, 7));
	snprintf(out->updated_at, sizeof(out->updated_at), "%s",
	    com_db_value(res, row, 8));
}

static const char *
orga_invitation_kind_name(orga_invitation_kind kind)
{
	return kind == ORGA_INVITATION_ACTIVATION ? "ACTIVATION" : "MEMBER";
}

/*
 * orga_invitation_upsert re-codes the pending invitation of (org, email) or
 * inserts one, inside the caller's transaction. Selected with the columns
 * of ORGA_INVITATION_COLUMNS.
 */
static com_err
orga_invitation_upsert(PGconn *db, const char *org_id, const char *email,
    orga_role role, orga_invitation_kind kind, const char *invited_by,
    const char *code_hash, orga_invitation *out, bool *resent)
{
	const char *params[6] = {org_id, email, code_hash, orga_role_name(role),
	    orga_invitation_kind_name(kind), invited_by};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "WITH i AS (UPDATE invitations SET code_hash = $3, role = $4, "
	    "    updated_at = now() "
	    "  WHERE organization_id = $1 AND email = $2 "
	    "    AND status = 'pending' RETURNING *) "
	    "SELECT " ORGA_INVITATION_COLUMNS " FROM i "
	    "JOIN organizations o ON o.id = i.organization_id",
	    4, params, &res);
	if (rv != COM_OK)
		return rv;
	*resent = PQntuples(res) == 1;
	if (!*resent) {
		PQclear(res);
		rv = com_db_exec(db,
		    "WITH i AS (INSERT INTO invitations (organization_id, email, "
		    "    code_hash, role, kind, invited_by) "
		    "  VALUES ($1, $2, $3, $4, $5, $6) RETURNING *) "
		    "SELECT " ORGA_INVITATION_COLUMNS " FROM i "
		    "JOIN organizations o ON o.id = i.organization_id",
		    6, params, &res);
		if (rv != COM_OK)
			return rv;
	}
	orga_invitation_from_row(res, 0, out);
	PQclear(res);
	return COM_OK;
}

com_err
orga_invitation_send(PGconn *db, const char *public_url, const orga_org *org,
    const char *email, orga_role role, orga_invitation_kind kind,
    int64_t invited_by, orga_invitation_sent *out)
{
	char code[ORGA_INVITATION_CODE_LEN + 1];
	char code_hash[COM_TOKEN_HASH_SIZE];
	char org_id[24], by[24];
	const char *member_params[2] = {org_id, email};
	PGresult *res = NULL;
	com_err rv;
	int n;

	snprintf(org_id, sizeof(org_id), "%" PRId64, org->id);
	snprintf(by, sizeof(by), "%" PRId64, invited_by);
	rv = com_token_new(COM_TOKEN_ALPHABET_UNAMBIGUOUS,
	    ORGA_INVITATION_CODE_LEN, code, sizeof(code));
	if (rv != COM_OK)
		return rv;
	com_token_hash(code, code_hash);

	rv = com_db_exec(db,
	    "SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id "
	    "WHERE m.organization_id = $1 AND u.email = $2",
	    2, member_params, &res);
	if (rv != COM_OK)
		goto out;
	if (PQntuples(res) > 0) {
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = orga_invitation_upsert(db, org_id, email, role, kind,
	    invited_by > 0 ? by : NULL, code_hash, &out->invitation,
	    &out->resent);
	if (rv != COM_OK)
		goto out;
	n = snprintf(out->link, sizeof(out->link),
	    "%s/rejoindre?invitationId=%" PRId64 "&code=%s", public_url,
	    out->invitation.id, code);
	if (n < 0 || (size_t)n >= sizeof(out->link)) {
		rv = COM_ETOOLARGE;
		goto out;
	}
	{
		const char *mail_params[5] = {email, org->name, out->link,
		    orga_role_name(role), org->uai};

		rv = com_db_exec(db,
		    "INSERT INTO outbox (template, recipient, params) "
		    "VALUES ('invitation', $1, jsonb_build_object("
		    "'organizationName', $2::text, 'link', $3::text, "
		    "'role', $4::text, 'uai', $5::text))",
		    5, mail_params, NULL);
	}
out:
	PQclear(res);
	if (rv == COM_OK)
		com_log_info("invitation %" PRId64 " %s for organization %s",
		    out->invitation.id, out->resent ? "re-sent" : "created",
		    org_id);
	return rv;
}

/* orga_invitation_load reads invitation id, locking it when lock is set. */
static com_err
orga_invitation_load(PGconn *db, int64_t id, const char *code, bool lock,
    orga_invitation *out)
{
	char idbuf[24];
	char hash[COM_TOKEN_HASH_SIZE];
	const char *params[1] = {idbuf};
	PGresult *res;
	com_err rv;

	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	rv = com_db_exec(db,
	    lock ? "SELECT " ORGA_INVITATION_COLUMNS " FROM invitations i "
	           "JOIN organizations o ON o.id = i.organization_id "
	           "WHERE i.id = $1 FOR UPDATE OF i"
	         : "SELECT " ORGA_INVITATION_COLUMNS " FROM invitations i "
	           "JOIN organizations o ON o.id = i.organization_id "
	           "WHERE i.id = $1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	com_token_hash(code, hash);
	if (PQntuples(res) != 1 || !com_secret_equal(com_db_value(res, 0, 9),
	                               hash)) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	orga_invitation_from_row(res, 0, out);
	PQclear(res);
	return COM_OK;
}

com_err
orga_invitation_check(PGconn *db, int64_t id, const char *code,
    orga_invitation *out)
{
	return orga_invitation_load(db, id, code, false, out);
}

com_err
orga_invitation_signup_check(PGconn *db, int64_t id, const char *code,
    const char *email, char *expected)
{
	orga_invitation inv;
	com_err rv;

	rv = orga_invitation_load(db, id, code, false, &inv);
	if (rv == COM_ENOTFOUND)
		return COM_OK;
	if (rv != COM_OK)
		return rv;
	if (inv.kind != ORGA_INVITATION_MEMBER ||
	    strcmp(inv.status, "pending") != 0 || strcmp(inv.email, email) == 0)
		return COM_OK;
	snprintf(expected, COM_EMAIL_MAX + 1, "%s", inv.email);
	return COM_EPERM;
}

com_err
orga_invitation_accept(PGconn *db, int64_t id, const char *code,
    int64_t user_id, const char *user_email, orga_invitation_result *out)
{
	orga_invitation inv;
	orga_role current;
	orga_role role;
	char org_id[24], user[24], inv_id[24];
	const char *params[3] = {org_id, user, NULL};
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = orga_invitation_load(db, id, code, true, &inv);
	if (rv != COM_OK)
		goto out;
	snprintf(org_id, sizeof(org_id), "%" PRId64, inv.organization_id);
	snprintf(user, sizeof(user), "%" PRId64, user_id);
	snprintf(inv_id, sizeof(inv_id), "%" PRId64, inv.id);
	/* Serialise acceptances per school: the first member is ADMIN. */
	rv = com_db_exec(db,
	    "SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", 1, params,
	    NULL);
	if (rv != COM_OK)
		goto out;
	rv = orga_membership_role(db, inv.organization_id, user_id, &current);
	if (rv != COM_OK)
		goto out;
	if (current != ORGA_ROLE_NONE) {
		out->organization_id = inv.organization_id;
		out->role = current;
		out->already_member = true;
		goto out;
	}
	if (strcmp(inv.status, "pending") != 0) {
		rv = COM_ECONFLICT;
		goto out;
	}
	if (inv.kind == ORGA_INVITATION_MEMBER &&
	    (user_email == NULL || strcmp(user_email, inv.email) != 0)) {
		rv = COM_EPERM;
		goto out;
	}
	rv = com_db_exec(db,
	    "SELECT count(*) FROM memberships WHERE organization_id = $1", 1,
	    params, &res);
	if (rv != COM_OK)
		goto out;
	role = strcmp(com_db_value(res, 0, 0), "0") == 0 ? ORGA_ROLE_ADMIN
	                                                   : inv.role;
	params[2] = orga_role_name(role);
	rv = com_db_exec(db,
	    "INSERT INTO memberships (organization_id, user_id, role) "
	    "VALUES ($1, $2, $3)",
	    3, params, NULL);
	if (rv != COM_OK)
		goto out;
	params[0] = inv_id;
	rv = com_db_exec(db,
	    "UPDATE invitations SET status = 'accepted', accepted_by = $2 "
	    "WHERE id = $1",
	    2, params, NULL);
	if (rv != COM_OK)
		goto out;
	out->organization_id = inv.organization_id;
	out->role = role;
	out->already_member = false;
out:
	PQclear(res);
	if (rv != COM_OK) {
		com_db_rollback(db);
		return rv;
	}
	rv = com_db_commit(db);
	if (rv == COM_OK && !out->already_member)
		com_log_info("invitation %" PRId64 " accepted", id);
	return rv;
}

/* orga_invitation_row adapts orga_invitation_from_row to com_db_rows. */
static void
orga_invitation_row(const PGresult *res, int row, void *dst)
{
	orga_invitation_from_row(res, row, dst);
}

com_err
orga_invitation_list_pending(PGconn *db, int64_t org_id,
    orga_invitation **out, int *count)
{
	com_db_id org = com_db_id_of(org_id);
	const char *params[1] = {org.s};

	return com_db_rows(db,
	    "SELECT " ORGA_INVITATION_COLUMNS " FROM invitations i "
	    "JOIN organizations o ON o.id = i.organization_id "
	    "WHERE i.organization_id = $1 AND i.status = 'pending' "
	    "ORDER BY i.updated_at DESC, i.id DESC",
	    1, params, sizeof(**out), orga_invitation_row, (void **)out,
	    count);
}
