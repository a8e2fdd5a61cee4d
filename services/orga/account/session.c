/* session.c - the sessions table: create, look up (sliding expiry), end. */
#include "account/session.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "secret.h"

#define SESSION_TTL "12 hours"

bool
orga_session_token_ok(const char *token)
{
	size_t len;

	if (token == NULL)
		return false;
	len = strlen(token);
	if (len != ORGA_SESSION_TOKEN_LEN)
		return false;
	return strspn(token, COM_TOKEN_ALPHABET_URLSAFE) == len;
}

com_err
orga_session_create(PGconn *db, int64_t user_id,
    char token[ORGA_SESSION_TOKEN_LEN + 1], orga_session *out)
{
	char tok[ORGA_SESSION_TOKEN_LEN + 1];
	char hash[COM_TOKEN_HASH_SIZE];
	char uid[24];
	orga_session s;
	com_err rv;

	memset(&s, 0, sizeof(s));
	rv = com_token_new(COM_TOKEN_ALPHABET_URLSAFE, ORGA_SESSION_TOKEN_LEN,
	    tok, sizeof(tok));
	if (rv != COM_OK)
		return rv;
	rv = com_token_new(COM_TOKEN_ALPHABET_URLSAFE, ORGA_CSRF_TOKEN_LEN,
	    s.csrf_token, sizeof(s.csrf_token));
	if (rv != COM_OK)
		return rv;
	com_token_hash(tok, hash);
	snprintf(uid, sizeof(uid), "%" PRId64, user_id);

	const char *del[] = {uid};
	rv = com_db_exec(db,
	    "DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()",
	    1, del, NULL);
	if (rv != COM_OK)
		return rv;

	const char *ins[] = {hash, s.csrf_token, uid};
	rv = com_db_exec(db,
	    "INSERT INTO sessions (token_hash, csrf_token, user_id, expires_at)"
	    " VALUES ($1, $2, $3, now() + interval '" SESSION_TTL "')",
	    3, ins, NULL);
	if (rv != COM_OK)
		return rv;
	s.user_id = user_id;
	memcpy(token, tok, sizeof(tok));
	*out = s;
	return COM_OK;
}

com_err
orga_session_lookup(PGconn *db, const char *token, orga_session *out)
{
	char hash[COM_TOKEN_HASH_SIZE];
	PGresult *res = NULL;
	orga_session s;
	char *end;
	com_err rv;

	if (!orga_session_token_ok(token))
		return COM_ENOTFOUND;
	com_token_hash(token, hash);

	const char *params[] = {hash};
	rv = com_db_exec(db,
	    "UPDATE sessions SET last_seen = now(),"
	    " expires_at = now() + interval '" SESSION_TTL "'"
	    " WHERE token_hash = $1 AND expires_at > now()"
	    " RETURNING user_id, csrf_token, (SELECT must_change_password"
	    "  FROM users u WHERE u.id = sessions.user_id)",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	memset(&s, 0, sizeof(s));
	s.user_id = strtoll(com_db_value(res, 0, 0), &end, 10);
	if (*end != '\0' || s.user_id <= 0 ||
	    strlen(com_db_value(res, 0, 1)) != ORGA_CSRF_TOKEN_LEN) {
		rv = COM_EPROTO;
		goto out;
	}
	memcpy(s.csrf_token, com_db_value(res, 0, 1), ORGA_CSRF_TOKEN_LEN);
	s.must_change_password = strcmp(com_db_value(res, 0, 2), "t") == 0;
	*out = s;
out:
	PQclear(res);
	return rv;
}

com_err
orga_session_delete(PGconn *db, const char *token)
{
	char hash[COM_TOKEN_HASH_SIZE];

	if (!orga_session_token_ok(token))
		return COM_OK;
	com_token_hash(token, hash);

	const char *params[] = {hash};
	return com_db_exec(db, "DELETE FROM sessions WHERE token_hash = $1",
	    1, params, NULL);
}

com_err
orga_session_cookie(const char *token, bool secure, char *out, size_t size)
{
	int n;

	if (token != NULL && !orga_session_token_ok(token))
		return COM_EINVAL;
	if (token != NULL)
		n = snprintf(out, size,
		    ORGA_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s",
		    token, secure ? "; Secure" : "");
	else
		n = snprintf(out, size,
		    ORGA_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax;"
		    " Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT%s",
		    secure ? "; Secure" : "");
	if (n < 0 || (size_t)n >= size)
		return COM_ETOOLARGE;
	return COM_OK;
}
