/*
 * tokens.c - personal API tokens: the SQL of api_tokens (create, list,
 * revoke, lookup) and the pure checks of names, shapes and the header.
 */
#include "account/tokens.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "log.h"
#include "secret.h"
#include "utf8.h"

#define TOKEN_ISO_COL(col)                                                 \
	"coalesce(to_char(" col " AT TIME ZONE 'UTC', "                    \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

#define TOKEN_COLUMNS                                                      \
	"id, name, " TOKEN_ISO_COL("created_at") ", "                      \
	TOKEN_ISO_COL("last_used_at")

bool
orga_token_shape_ok(const char *secret)
{
	static const char prefix[] = ORGA_TOKEN_PREFIX;
	size_t plen = sizeof(prefix) - 1;

	if (secret == NULL || strlen(secret) != ORGA_TOKEN_LEN ||
	    strncmp(secret, prefix, plen) != 0)
		return false;
	return strspn(secret + plen, COM_TOKEN_ALPHABET_URLSAFE) ==
	    ORGA_TOKEN_RANDOM_LEN;
}

bool
orga_token_name_ok(const char *name)
{
	size_t len, chars;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (!com_utf8_valid(name, len))
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	chars = com_utf8_chars(name, len);
	return chars >= 1 && chars <= ORGA_TOKEN_NAME_CHARS;
}

com_err
orga_token_bearer(const char *value, const char **token, size_t *len)
{
	static const char scheme[] = "Bearer";
	size_t n = sizeof(scheme) - 1;
	const char *t;
	size_t tlen;

	if (value == NULL || strncasecmp(value, scheme, n) != 0 ||
	    (value[n] != ' ' && value[n] != '\t'))
		return COM_EINVAL;
	t = value + n;
	while (*t == ' ' || *t == '\t')
		t++;
	tlen = strcspn(t, " \t");
	if (tlen == 0 || t[tlen + strspn(t + tlen, " \t")] != '\0')
		return COM_EINVAL;
	*token = t;
	*len = tlen;
	return COM_OK;
}

/* Reads row i of a TOKEN_COLUMNS result into *out. */
static com_err
token_from_row(const PGresult *res, int i, orga_token *out)
{
	char *end;
	int n;

	memset(out, 0, sizeof(*out));
	out->id = strtoll(com_db_value(res, i, 0), &end, 10);
	if (*end != '\0' || out->id <= 0)
		return COM_EPROTO;
	n = snprintf(out->name, sizeof(out->name), "%s",
	    com_db_value(res, i, 1));
	if (n < 0 || (size_t)n >= sizeof(out->name))
		return COM_EPROTO;
	snprintf(out->created_at, sizeof(out->created_at), "%s",
	    com_db_value(res, i, 2));
	snprintf(out->last_used_at, sizeof(out->last_used_at), "%s",
	    com_db_value(res, i, 3));
	return COM_OK;
}

com_err
orga_token_create(PGconn *db, int64_t user_id, const char *name,
    char secret[ORGA_TOKEN_LEN + 1], orga_token *out)
{
	char token[ORGA_TOKEN_LEN + 1];
	char hash[COM_TOKEN_HASH_SIZE];
	char user[24];
	const char *params[3] = {user, name, hash};
	size_t plen = sizeof(ORGA_TOKEN_PREFIX) - 1;
	orga_token t;
	PGresult *res;
	com_err rv;

	if (user_id <= 0 || !orga_token_name_ok(name))
		return COM_EINVAL;
	memcpy(token, ORGA_TOKEN_PREFIX, plen);
	rv = com_token_new(COM_TOKEN_ALPHABET_URLSAFE, ORGA_TOKEN_RANDOM_LEN,
	    token + plen, sizeof(token) - plen);
	if (rv != COM_OK)
		return rv;
	com_token_hash(token, hash);
	snprintf(user, sizeof(user), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    "INSERT INTO api_tokens (user_id, name, token_hash) "
	    "VALUES ($1, $2, $3) RETURNING " TOKEN_COLUMNS,
	    3, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? token_from_row(res, 0, &t) : COM_EPROTO;
	PQclear(res);
	if (rv != COM_OK)
		return rv;
	memcpy(secret, token, sizeof(token));
	*out = t;
	com_log_info("token %" PRId64 " created for user %" PRId64, t.id,
	    user_id);
	return COM_OK;
}

com_err
orga_token_list(PGconn *db, int64_t user_id, orga_token **out, int *count)
{
	char user[24];
	const char *params[1] = {user};
	orga_token *list = NULL;
	PGresult *res;
	com_err rv;
	int n;

	snprintf(user, sizeof(user), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    "SELECT " TOKEN_COLUMNS " FROM api_tokens "
	    "WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	if (n > 0) {
		list = calloc((size_t)n, sizeof(*list));
		if (list == NULL)
			rv = COM_ENOMEM;
	}
	for (int i = 0; rv == COM_OK && i < n; i++)
		rv = token_from_row(res, i, &list[i]);
	PQclear(res);
	if (rv != COM_OK) {
		free(list);
		return rv;
	}
	*out = list;
	*count = n;
	return COM_OK;
}

com_err
orga_token_revoke(PGconn *db, int64_t user_id, int64_t id)
{
	char user[24], tid[24];
	const char *params[2] = {user, tid};
	PGresult *res;
	com_err rv;

	snprintf(user, sizeof(user), "%" PRId64, user_id);
	snprintf(tid, sizeof(tid), "%" PRId64, id);
	rv = com_db_exec(db,
	    "UPDATE api_tokens SET revoked_at = now() "
	    "WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL "
	    "RETURNING 1",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? COM_OK : COM_ENOTFOUND;
	PQclear(res);
	if (rv == COM_OK)
		com_log_info("token %" PRId64 " revoked by user %" PRId64, id,
		    user_id);
	return rv;
}

com_err
orga_token_lookup(PGconn *db, const char *secret, int64_t *user_id)
{
	char hash[COM_TOKEN_HASH_SIZE];
	const char *params[1] = {hash};
	PGresult *res;
	int64_t uid = 0;
	char *end;
	com_err rv;

	if (!orga_token_shape_ok(secret))
		return COM_ENOTFOUND;
	com_token_hash(secret, hash);
	rv = com_db_exec(db,
	    "UPDATE api_tokens SET last_used_at = now() "
	    "WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		rv = COM_ENOTFOUND;
	} else {
		uid = strtoll(com_db_value(res, 0, 0), &end, 10);
		if (*end != '\0' || uid <= 0)
			rv = COM_EPROTO;
	}
	PQclear(res);
	if (rv != COM_OK)
		return rv;
	*user_id = uid;
	return COM_OK;
}
