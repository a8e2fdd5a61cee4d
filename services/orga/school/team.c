/*
 * team.c - a school's team: invitations sent from the Équipe page, roles,
 * removals, departures, and the audit log that records each of them.
 */
#include "school/team.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "school/address_list.h"
#include "log.h"
#include "validate.h"

#define TEAM_ISO(col)                                                      \
	"to_char(" col " AT TIME ZONE 'UTC', "                             \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char *const team_action_names[] = {
	[ORGA_AUDIT_INVITED] = "invited",
	[ORGA_AUDIT_RESENT] = "invitation_resent",
	[ORGA_AUDIT_CANCELLED] = "invitation_cancelled",
	[ORGA_AUDIT_JOINED] = "joined",
	[ORGA_AUDIT_ROLE_CHANGED] = "role_changed",
	[ORGA_AUDIT_REMOVED] = "removed",
	[ORGA_AUDIT_LEFT] = "left",
};

const char *
orga_audit_action_name(orga_audit_action action)
{
	if ((size_t)action >=
	    sizeof(team_action_names) / sizeof(team_action_names[0]))
		return "";
	return team_action_names[action];
}

/* --- parsing the list of addresses --------------------------------- */

com_err
orga_team_parse(const char *text, orga_team_address **out, int *count)
{
	orga_team_address *list;
	orga_address *parts = NULL;
	int n = 0;
	com_err rv;

	rv = orga_address_list_parse(text, ORGA_TEAM_INVITE_MAX, &parts, &n);
	if (rv != COM_OK)
		return rv;
	list = calloc(n > 0 ? (size_t)n : 1, sizeof(*list));
	if (list == NULL) {
		free(parts);
		return COM_ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		memcpy(list[i].email, parts[i].text, sizeof(list[i].email));
		list[i].outcome = parts[i].valid ? ORGA_TEAM_TO_SEND
		                                 : ORGA_TEAM_INVALID;
	}
	free(parts);
	*out = list;
	*count = n;
	return COM_OK;
}

/* --- audit log --------------------------------------------------------- */

com_err
orga_team_audit_add(PGconn *db, int64_t org_id, int64_t actor,
    orga_audit_action action, int64_t target_user, const char *target_email,
    orga_role old_role, orga_role new_role)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id by = com_db_id_of(actor);
	com_db_id user = com_db_id_of(target_user);
	const char *params[7] = {org.s, actor > 0 ? by.s : NULL,
	    orga_audit_action_name(action), target_user > 0 ? user.s : NULL,
	    target_email,
	    old_role != ORGA_ROLE_NONE ? orga_role_name(old_role) : NULL,
	    new_role != ORGA_ROLE_NONE ? orga_role_name(new_role) : NULL};

	/* A member's address is kept as it was: accounts may change it. */
	return com_db_exec(db,
	    "INSERT INTO audit_log (organization_id, actor_user_id, action, "
	    "  target_user_id, target_email, old_role, new_role) "
	    "VALUES ($1, $2, $3, $4, coalesce($5, "
	    "  (SELECT email FROM users WHERE id = $4::bigint)), $6, $7)",
	    7, params, NULL);
}

/* --- invitations --------------------------------------------------- */

com_err
orga_team_invite(PGconn *db, const char *public_url, const orga_org *org,
    int64_t actor, orga_role role, orga_team_address *list, int count)
{
	orga_invitation_sent sent;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	for (int i = 0; i < count && rv == COM_OK; i++) {
		orga_team_address *a = &list[i];

		if (a->outcome != ORGA_TEAM_TO_SEND)
			continue;
		rv = orga_invitation_send(db, public_url, org, a->email, role,
		    ORGA_INVITATION_MEMBER, actor, &sent);
		if (rv == COM_ECONFLICT) {
			/* Only a SELECT ran: the transaction goes on. */
			a->outcome = ORGA_TEAM_ALREADY_MEMBER;
			rv = COM_OK;
			continue;
		}
		if (rv != COM_OK)
			break;
		a->outcome = sent.resent ? ORGA_TEAM_RESENT : ORGA_TEAM_INVITED;
		a->invitation_id = sent.invitation.id;
		rv = orga_team_audit_add(db, org->id, actor,
		    sent.resent ? ORGA_AUDIT_RESENT : ORGA_AUDIT_INVITED, 0,
		    a->email, ORGA_ROLE_NONE, role);
	}
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}

typedef struct team_inv_row {
	char email[COM_EMAIL_MAX + 1];
	orga_role role;
	orga_invitation_kind kind;
	char status[12];
} team_inv_row;

/* team_inv_lock locks invitation inv_id of org_id and reads it. */
static com_err
team_inv_lock(PGconn *db, int64_t org_id, int64_t inv_id, team_inv_row *out)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id inv = com_db_id_of(inv_id);
	const char *params[2] = {org.s, inv.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT email, role, kind, status FROM invitations "
	    "WHERE organization_id = $1 AND id = $2 FOR UPDATE",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	snprintf(out->email, sizeof(out->email), "%s",
	    com_db_value(res, 0, 0));
	if (orga_role_parse(com_db_value(res, 0, 1), &out->role) != COM_OK)
		out->role = ORGA_ROLE_MEMBER;
	out->kind = strcmp(com_db_value(res, 0, 2), "ACTIVATION") == 0
	    ? ORGA_INVITATION_ACTIVATION
	    : ORGA_INVITATION_MEMBER;
	snprintf(out->status, sizeof(out->status), "%s",
	    com_db_value(res, 0, 3));
	PQclear(res);
	return COM_OK;
}

com_err
orga_team_resend(PGconn *db, const char *public_url, const orga_org *org,
    int64_t actor, int64_t inv_id, orga_invitation *out, char *status)
{
	orga_invitation_sent sent;
	team_inv_row row;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = team_inv_lock(db, org->id, inv_id, &row);
	if (rv != COM_OK)
		goto out;
	if (strcmp(row.status, "pending") != 0) {
		if (status != NULL)
			snprintf(status, 12, "%s", row.status);
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = orga_invitation_send(db, public_url, org, row.email, row.role,
	    row.kind, actor, &sent);
	if (rv == COM_ECONFLICT)
		rv = COM_EEXIST;
	if (rv == COM_OK)
		rv = orga_team_audit_add(db, org->id, actor,
		    ORGA_AUDIT_RESENT, 0, row.email, ORGA_ROLE_NONE, row.role);
out:
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		return rv;
	}
	*out = sent.invitation;
	return COM_OK;
}

com_err
orga_team_cancel(PGconn *db, int64_t org_id, int64_t actor, int64_t inv_id,
    char *status)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id inv = com_db_id_of(inv_id);
	const char *params[2] = {org.s, inv.s};
	team_inv_row row;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = team_inv_lock(db, org_id, inv_id, &row);
	if (rv != COM_OK)
		goto out;
	if (strcmp(row.status, "pending") != 0) {
		if (status != NULL)
			snprintf(status, 12, "%s", row.status);
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = com_db_exec(db,
	    "UPDATE invitations SET status = 'cancelled' "
	    "WHERE organization_id = $1 AND id = $2",
	    2, params, NULL);
	if (rv == COM_OK)
		rv = orga_team_audit_add(db, org_id, actor,
		    ORGA_AUDIT_CANCELLED, 0, row.email, ORGA_ROLE_NONE,
		    row.role);
out:
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		return rv;
	}
	com_log_info("invitation %" PRId64 " cancelled", inv_id);
	return COM_OK;
}

/* --- members ----------------------------------------------------------- */

/*
 * team_lock_members locks every membership of org_id (in user order, so
 * concurrent changes queue instead of deadlocking) and reads the role of
 * user_id and of actor (NONE when not a member) and how many ADMINs
 * there are. Rows a concurrent transaction deleted are not seen once it
 * commits, changed ones are read as changed: two ADMINs demoting each
 * other cannot both succeed, and an ADMIN demoted meanwhile acts no more.
 */
static com_err
team_lock_members(PGconn *db, const char *org, int64_t user_id,
    int64_t actor, orga_role *role, orga_role *actor_role, int *admins)
{
	const char *params[1] = {org};
	PGresult *res;
	com_err rv;
	int n;

	rv = com_db_exec(db,
	    "SELECT user_id, role FROM memberships WHERE organization_id = $1 "
	    "ORDER BY user_id FOR UPDATE",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	*role = ORGA_ROLE_NONE;
	*actor_role = ORGA_ROLE_NONE;
	*admins = 0;
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		orga_role r;

		if (orga_role_parse(com_db_value(res, i, 1), &r) != COM_OK)
			r = ORGA_ROLE_MEMBER;
		if (r == ORGA_ROLE_ADMIN)
			(*admins)++;
		if (strtoll(com_db_value(res, i, 0), NULL, 10) == user_id)
			*role = r;
		if (strtoll(com_db_value(res, i, 0), NULL, 10) == actor)
			*actor_role = r;
	}
	PQclear(res);
	return COM_OK;
}

com_err
orga_team_set_role(PGconn *db, int64_t org_id, int64_t actor,
    int64_t user_id, orga_role role, orga_role *old, bool *changed)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[3] = {org.s, user.s, orga_role_name(role)};
	orga_role current, actor_role;
	int admins;
	com_err rv;

	if (role == ORGA_ROLE_NONE)
		return COM_EINVAL;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = team_lock_members(db, org.s, user_id, actor, &current,
	    &actor_role, &admins);
	if (rv != COM_OK)
		goto out;
	if (actor > 0 && actor_role != ORGA_ROLE_ADMIN) {
		rv = COM_EPERM;
		goto out;
	}
	if (current == ORGA_ROLE_NONE) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	if (current == role)
		goto out;
	if (current == ORGA_ROLE_ADMIN && admins <= 1) {
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = com_db_exec(db,
	    "UPDATE memberships SET role = $3 "
	    "WHERE organization_id = $1 AND user_id = $2",
	    3, params, NULL);
	if (rv == COM_OK)
		rv = orga_team_audit_add(db, org_id, actor,
		    ORGA_AUDIT_ROLE_CHANGED, user_id, NULL, current, role);
out:
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		return rv;
	}
	*old = current;
	*changed = current != role;
	if (*changed)
		com_log_info("organization %s: member %s is now %s", org.s, user.s,
		    orga_role_name(role));
	return COM_OK;
}

com_err
orga_team_remove(PGconn *db, int64_t org_id, int64_t actor, int64_t user_id)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {org.s, user.s};
	orga_role current, actor_role;
	int admins;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = team_lock_members(db, org.s, user_id, actor, &current,
	    &actor_role, &admins);
	if (rv != COM_OK)
		goto out;
	if (actor > 0 && actor != user_id && actor_role != ORGA_ROLE_ADMIN) {
		rv = COM_EPERM;
		goto out;
	}
	if (current == ORGA_ROLE_NONE) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	if (current == ORGA_ROLE_ADMIN && admins <= 1) {
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = com_db_exec(db,
	    "DELETE FROM memberships "
	    "WHERE organization_id = $1 AND user_id = $2",
	    2, params, NULL);
	if (rv == COM_OK)
		rv = orga_team_audit_add(db, org_id, actor,
		    actor == user_id ? ORGA_AUDIT_LEFT : ORGA_AUDIT_REMOVED,
		    user_id, NULL, current, ORGA_ROLE_NONE);
out:
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		return rv;
	}
	com_log_info("organization %s: member %s %s", org.s, user.s,
	    actor == user_id ? "left" : "removed");
	return COM_OK;
}

/* --- reading the log --------------------------------------------------- */

static void
team_entry_from_row(const PGresult *res, int row, void *dst)
{
	orga_audit_entry *e = dst;

#define TEAM_COPY(field, col)                                              \
	snprintf(e->field, sizeof(e->field), "%s", com_db_value(res, row, col))
	memset(e, 0, sizeof(*e));
	e->id = strtoll(com_db_value(res, row, 0), NULL, 10);
	TEAM_COPY(action, 1);
	TEAM_COPY(created_at, 2);
	e->actor_user_id = strtoll(com_db_value(res, row, 3), NULL, 10);
	TEAM_COPY(actor_first_name, 4);
	TEAM_COPY(actor_last_name, 5);
	TEAM_COPY(actor_email, 6);
	e->target_user_id = strtoll(com_db_value(res, row, 7), NULL, 10);
	TEAM_COPY(target_first_name, 8);
	TEAM_COPY(target_last_name, 9);
	TEAM_COPY(target_email, 10);
	TEAM_COPY(old_role, 11);
	TEAM_COPY(new_role, 12);
#undef TEAM_COPY
}

com_err
orga_team_audit_list(PGconn *db, int64_t org_id, int64_t before, int limit,
    orga_audit_entry **out, int *count)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id below = com_db_id_of(before);
	char lim[16];
	const char *params[3] = {org.s, below.s, lim};

	if (limit < 1 || limit > ORGA_TEAM_AUDIT_MAX)
		return COM_EINVAL;
	snprintf(lim, sizeof(lim), "%d", limit);
	return com_db_rows(db,
	    "SELECT a.id, a.action, " TEAM_ISO("a.created_at") ", "
	    "  coalesce(a.actor_user_id, 0), coalesce(au.first_name, ''), "
	    "  coalesce(au.last_name, ''), coalesce(au.email, ''), "
	    "  coalesce(a.target_user_id, 0), coalesce(tu.first_name, ''), "
	    "  coalesce(tu.last_name, ''), "
	    "  coalesce(a.target_email, tu.email, ''), "
	    "  coalesce(a.old_role, ''), coalesce(a.new_role, '') "
	    "FROM audit_log a "
	    "LEFT JOIN users au ON au.id = a.actor_user_id "
	    "LEFT JOIN users tu ON tu.id = a.target_user_id "
	    "WHERE a.organization_id = $1 AND ($2::bigint = 0 OR a.id < $2) "
	    "ORDER BY a.id DESC LIMIT $3",
	    3, params, sizeof(**out), team_entry_from_row, (void **)out, count);
}
