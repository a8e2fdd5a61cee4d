/*
 * password.c - password changes: after a one-time password, with the
 * current one, and through a recovery link sent by mail.
 */
#include "account/password.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account/session.h"
#include "db.h"
#include "log.h"
#include "secret.h"

/* Sets the hash, clears the one-time flag, ends the other sessions
 * (keep_hash: the SHA-256 of the session kept, or NULL). */
static com_err
password_store(PGconn *db, const char *uid, const char *password,
    const char *keep_hash)
{
	char hash[COM_PASSWORD_HASH_SIZE];
	com_err rv;

	rv = com_password_hash(password, hash);
	if (rv != COM_OK)
		return rv;
	const char *p[] = {uid, hash};
	rv = com_db_exec(db,
	    "UPDATE users SET password_hash = $2, must_change_password = false,"
	    " updated_at = now() WHERE id = $1", 2, p, NULL);
	sodium_memzero(hash, sizeof(hash));
	if (rv != COM_OK)
		return rv;
	const char *s[] = {uid, keep_hash};
	return com_db_exec(db,
	    "DELETE FROM sessions WHERE user_id = $1"
	    " AND ($2::text IS NULL OR token_hash <> $2)", 2, s, NULL);
}

com_err
orga_password_change(PGconn *db, int64_t user_id, const char *current,
    const char *password, const char *keep_token)
{
	com_db_id uid = com_db_id_of(user_id);
	char keep[COM_TOKEN_HASH_SIZE];
	const char *params[] = {uid.s};
	PGresult *res = NULL;
	com_err rv;

	if (keep_token != NULL && orga_session_token_ok(keep_token))
		com_token_hash(keep_token, keep);
	else
		keep_token = NULL;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    "SELECT password_hash, must_change_password FROM users"
	    " WHERE id = $1 FOR UPDATE", 1, params, &res);
	if (rv != COM_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	if (current == NULL) {
		if (strcmp(com_db_value(res, 0, 1), "t") != 0)
			rv = COM_EPERM;
	} else if (PQgetisnull(res, 0, 0) ||
	    !com_password_verify(com_db_value(res, 0, 0), current)) {
		rv = COM_EAUTH;
	}
	if (rv == COM_OK)
		rv = password_store(db, uid.s, password,
		    keep_token != NULL ? keep : NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
out:
	PQclear(res);
	if (rv != COM_OK)
		com_db_rollback(db);
	else
		com_log_info("account: user %s changed its password", uid.s);
	return rv;
}

bool
orga_recovery_token_ok(const char *token)
{
	return token != NULL && strlen(token) == ORGA_RECOVERY_TOKEN_LEN &&
	    strspn(token, COM_TOKEN_ALPHABET_URLSAFE) ==
	        ORGA_RECOVERY_TOKEN_LEN;
}

com_err
orga_recovery_request(PGconn *db, const char *public_url, const char *email,
    bool *queued)
{
	char token[ORGA_RECOVERY_TOKEN_LEN + 1];
	char hash[COM_TOKEN_HASH_SIZE];
	char link[1024], ttl[16];
	const char *params[] = {email};
	PGresult *res = NULL;
	com_err rv;

	*queued = false;
	/* Drawn for every address, so both paths cost the same. */
	rv = com_token_new(COM_TOKEN_ALPHABET_URLSAFE, ORGA_RECOVERY_TOKEN_LEN,
	    token, sizeof(token));
	if (rv != COM_OK)
		return rv;
	com_token_hash(token, hash);
	snprintf(ttl, sizeof(ttl), "%d", ORGA_RECOVERY_TTL_S);
	if ((size_t)snprintf(link, sizeof(link),
	        "%s/mot-de-passe/nouveau?jeton=%s", public_url, token) >=
	    sizeof(link))
		return COM_ETOOLARGE;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		goto wipe;
	rv = com_db_exec(db,
	    "SELECT id FROM users WHERE email = $1"
	    " AND password_hash IS NOT NULL FOR UPDATE", 1, params, &res);
	if (rv != COM_OK || PQntuples(res) != 1)
		goto out; /* unknown: nothing to write */
	const char *ins[] = {com_db_value(res, 0, 0), hash, ttl, email, link};
	rv = com_db_exec(db,
	    "WITH r AS (INSERT INTO password_resets (user_id, token_hash,"
	    "  expires_at) VALUES ($1, $2,"
	    "  now() + make_interval(secs => $3::int))"
	    "  ON CONFLICT (user_id) DO UPDATE SET token_hash = $2,"
	    "  created_at = now(), expires_at = excluded.expires_at) "
	    "INSERT INTO outbox (template, recipient, params)"
	    " VALUES ('password_reset', $4,"
	    "  jsonb_build_object('link', $5::text))",
	    5, ins, NULL);
	if (rv == COM_OK)
		*queued = true;
out:
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		*queued = false;
	}
	if (*queued)
		com_log_info("account: user %s asked for a recovery link",
		    com_db_value(res, 0, 0));
	PQclear(res);
wipe:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(link, sizeof(link));
	return rv;
}

com_err
orga_recovery_complete(PGconn *db, const char *token, const char *password,
    int64_t *user_id)
{
	char hash[COM_TOKEN_HASH_SIZE];
	PGresult *res = NULL;
	char uid[24];
	com_err rv;

	if (!orga_recovery_token_ok(token))
		return COM_ENOTFOUND;
	com_token_hash(token, hash);
	const char *params[] = {hash};
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	/* Used once: the row goes whatever follows; expired ones too. */
	rv = com_db_exec(db,
	    "DELETE FROM password_resets WHERE token_hash = $1"
	    " RETURNING user_id, expires_at > now()", 1, params, &res);
	if (rv != COM_OK)
		goto out;
	if (PQntuples(res) != 1 || strcmp(com_db_value(res, 0, 1), "t") != 0) {
		rv = COM_ENOTFOUND;
		goto out;
	}
	snprintf(uid, sizeof(uid), "%s", com_db_value(res, 0, 0));
	rv = password_store(db, uid, password, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv == COM_OK) {
		*user_id = strtoll(uid, NULL, 10);
		com_log_info("account: user %s set a password through its "
		    "recovery link", uid);
	}
out:
	PQclear(res);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}
