/* terms.c - versioned terms of use and their acceptances. */
#include "account/terms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

com_err
orga_terms_current(PGconn *db, int *version, char **body)
{
	PGresult *res;
	com_err rv;
	char *copy;

	rv = com_db_exec(db,
	    "SELECT version, body FROM terms ORDER BY version DESC LIMIT 1", 0,
	    NULL, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	copy = strdup(com_db_value(res, 0, 1));
	if (copy == NULL) {
		PQclear(res);
		return COM_ENOMEM;
	}
	*version = (int)strtol(com_db_value(res, 0, 0), NULL, 10);
	*body = copy;
	PQclear(res);
	return COM_OK;
}

com_err
orga_terms_publish(PGconn *db, const char *body, int *version)
{
	const char *params[1] = {body};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "INSERT INTO terms (body) VALUES ($1) RETURNING version", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	*version = (int)strtol(com_db_value(res, 0, 0), NULL, 10);
	PQclear(res);
	return COM_OK;
}

com_err
orga_terms_accept(PGconn *db, int64_t user_id, int version)
{
	char user[24], ver[16];
	const char *params[2] = {user, ver};
	PGresult *res;
	com_err rv;

	snprintf(user, sizeof(user), "%" PRId64, user_id);
	snprintf(ver, sizeof(ver), "%d", version);
	/* Only the current version may be accepted: a stale page is refused. */
	rv = com_db_exec(db,
	    "INSERT INTO terms_acceptances (user_id, version) "
	    "SELECT $1::bigint, $2::int "
	    "WHERE $2::int = (SELECT max(version) FROM terms) "
	    "ON CONFLICT DO NOTHING "
	    "RETURNING 1",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 0) {
		PQclear(res);
		/* Either stale or already accepted: tell them apart. */
		rv = com_db_exec(db,
		    "SELECT 1 FROM terms_acceptances "
		    "WHERE user_id = $1 AND version = $2 "
		    "AND version = (SELECT max(version) FROM terms)",
		    2, params, &res);
		if (rv != COM_OK)
			return rv;
		rv = PQntuples(res) == 1 ? COM_OK : COM_ECONFLICT;
	}
	PQclear(res);
	return rv;
}

com_err
orga_terms_must_accept(PGconn *db, int64_t user_id, bool *out)
{
	char user[24];
	const char *params[1] = {user};
	PGresult *res;
	com_err rv;

	snprintf(user, sizeof(user), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    "SELECT NOT EXISTS (SELECT 1 FROM terms_acceptances "
	    "  WHERE user_id = $1 "
	    "  AND version = (SELECT max(version) FROM terms))",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	*out = strcmp(com_db_value(res, 0, 0), "t") == 0;
	PQclear(res);
	return COM_OK;
}
