/* account_status.c - an account's login state, and unblocking it. */
#include "account/account_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "str.h"

#define STATUS_ISO(col) \
	"coalesce(to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

#define STATUS_SELECT                                                      \
	"SELECT u.id, u.first_name, u.last_name, coalesce(u.email, ''), "  \
	"  coalesce(u.login, ''), u.password_hash IS NOT NULL, "           \
	"  EXISTS (SELECT 1 FROM authentication_methods a "                \
	"    WHERE a.user_id = u.id AND a.kind = 'GAR'), "                 \
	"  u.must_change_password, u.failed_logins, "                      \
	"  coalesce(u.blocked_until > now(), false), "                     \
	"  coalesce(u.blocked_until = 'infinity', false), "                \
	"  CASE WHEN u.blocked_until > now() AND "                         \
	"    u.blocked_until <> 'infinity' THEN "                          \
	STATUS_ISO("u.blocked_until") " ELSE '' END, "                     \
	STATUS_ISO("u.last_login_at") ", " STATUS_ISO("u.created_at") " "  \
	"FROM users u "

static com_err
status_row(const PGresult *res, orga_account_status *out)
{
	orga_account_status s;
	com_err rv;

	memset(&s, 0, sizeof(s));
	s.id = strtoll(com_db_value(res, 0, 0), NULL, 10);
	rv = com_str_copy(s.first_name, sizeof(s.first_name),
	    com_db_value(res, 0, 1));
	if (rv == COM_OK)
		rv = com_str_copy(s.last_name, sizeof(s.last_name),
		    com_db_value(res, 0, 2));
	if (rv == COM_OK)
		rv = com_str_copy(s.email, sizeof(s.email), com_db_value(res, 0, 3));
	if (rv == COM_OK)
		rv = com_str_copy(s.login, sizeof(s.login), com_db_value(res, 0, 4));
	if (rv == COM_OK)
		rv = com_str_copy(s.blocked_until, sizeof(s.blocked_until),
		    com_db_value(res, 0, 11));
	if (rv == COM_OK)
		rv = com_str_copy(s.last_login_at, sizeof(s.last_login_at),
		    com_db_value(res, 0, 12));
	if (rv == COM_OK)
		rv = com_str_copy(s.created_at, sizeof(s.created_at),
		    com_db_value(res, 0, 13));
	if (rv != COM_OK)
		return rv;
	s.password = com_db_value(res, 0, 5)[0] == 't';
	s.gar = com_db_value(res, 0, 6)[0] == 't';
	s.must_change_password = com_db_value(res, 0, 7)[0] == 't';
	s.failed_logins = (int)strtol(com_db_value(res, 0, 8), NULL, 10);
	s.blocked = com_db_value(res, 0, 9)[0] == 't';
	s.blocked_forever = com_db_value(res, 0, 10)[0] == 't';
	*out = s;
	return COM_OK;
}

com_err
orga_account_status_by_email(PGconn *db, const char *email,
    orga_account_status *out)
{
	const char *params[] = {email};
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_exec(db, STATUS_SELECT "WHERE u.email = $1", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? status_row(res, out) : COM_ENOTFOUND;
	PQclear(res);
	return rv;
}

com_err
orga_account_unblock_email(PGconn *db, const char *email,
    orga_account_status *status)
{
	const char *params[] = {email};
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_exec(db,
	    "UPDATE users SET failed_logins = 0, blocked_until = NULL,"
	    " updated_at = now() WHERE email = $1 RETURNING id", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	com_log_notice("account: user %s unblocked by an operator",
	    com_db_value(res, 0, 0));
	PQclear(res);
	return orga_account_status_by_email(db, email, status);
}

com_err
orga_account_unblock_learner(PGconn *db, int64_t org_id, int64_t actor,
    int64_t learner_id)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id by = com_db_id_of(actor);
	com_db_id lid = com_db_id_of(learner_id);
	const char *params[] = {org.s, lid.s, actor > 0 ? by.s : NULL};
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    "SELECT coalesce(user_id, 0) FROM learners"
	    " WHERE organization_id = $1 AND id = $2 FOR UPDATE",
	    2, params, &res);
	if (rv != COM_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	if (strcmp(com_db_value(res, 0, 0), "0") == 0) {
		rv = COM_ECONFLICT;
		goto out;
	}
	rv = com_db_exec(db,
	    "WITH u AS (UPDATE users SET failed_logins = 0,"
	    "  blocked_until = NULL, updated_at = now()"
	    "  WHERE id = (SELECT user_id FROM learners WHERE id = $2)"
	    "  RETURNING id) "
	    "INSERT INTO audit_log (organization_id, actor_user_id, action,"
	    " target_user_id, learner_id)"
	    " SELECT $1, $3, 'learner_unblocked', u.id, $2 FROM u",
	    3, params, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv == COM_OK)
		com_log_notice("account: the account of learner %s unblocked by "
		    "user %s", lid.s, by.s);
out:
	PQclear(res);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}
