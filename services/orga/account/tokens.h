/*
 * tokens.h - personal API tokens for upload clients ("Authorization:
 * Bearer orga_..."): created and revoked by their owner, shown once, and
 * stored only as their SHA-256 hex (com_token_hash).
 */
#ifndef ORGA_TOKENS_H
#define ORGA_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

#define ORGA_TOKEN_PREFIX "orga_"
/* Random URL-safe characters after the prefix. */
#define ORGA_TOKEN_RANDOM_LEN 40
#define ORGA_TOKEN_LEN (sizeof(ORGA_TOKEN_PREFIX) - 1 + ORGA_TOKEN_RANDOM_LEN)
/* Longest token name, in characters (UTF-8), and in bytes with its NUL. */
#define ORGA_TOKEN_NAME_CHARS 100
#define ORGA_TOKEN_NAME_MAX (ORGA_TOKEN_NAME_CHARS * 4 + 1)

/* A token as its owner lists it (never the token itself). */
typedef struct orga_token {
	int64_t id;
	char name[ORGA_TOKEN_NAME_MAX];
	char created_at[40];     /* ISO 8601 UTC */
	char last_used_at[40];   /* ISO 8601 UTC, "" when never used */
} orga_token;

/*
 * orga_token_create makes a token named name (trimmed by the caller;
 * orga_token_name_ok must hold, else COM_EINVAL) for user_id. Writes the
 * token into secret (shown once to the user, never stored nor logged) and
 * the new row into *out.
 */
com_err orga_token_create(PGconn *db, int64_t user_id, const char *name,
    char secret[ORGA_TOKEN_LEN + 1], orga_token *out) COM_MUSTCHECK;

/*
 * orga_token_list returns user_id's live (not revoked) tokens, newest
 * first, in a malloc'd array (*out, free() it; NULL when *count is 0).
 */
com_err orga_token_list(PGconn *db, int64_t user_id, orga_token **out,
    int *count) COM_MUSTCHECK;

/*
 * orga_token_revoke revokes token id of user_id. COM_ENOTFOUND when the
 * user has no such live token (someone else's token included).
 */
com_err orga_token_revoke(PGconn *db, int64_t user_id, int64_t id)
    COM_MUSTCHECK;

/*
 * orga_token_lookup finds the owner of a live token and records its use
 * (last_used_at). COM_ENOTFOUND when the token is malformed, unknown or
 * revoked.
 */
com_err orga_token_lookup(PGconn *db, const char *secret, int64_t *user_id)
    COM_MUSTCHECK;

/* orga_token_shape_ok: secret looks like one of our tokens. Pure. */
bool orga_token_shape_ok(const char *secret);

/*
 * orga_token_name_ok: 1 to ORGA_TOKEN_NAME_CHARS characters of valid
 * UTF-8 without control characters. Pure.
 */
bool orga_token_name_ok(const char *name);

/*
 * orga_token_bearer reads an Authorization header value "Bearer TOKEN"
 * (scheme in any case, spaces around the token ignored) and points *token
 * at TOKEN inside value, of *len bytes. COM_EINVAL when the scheme is not
 * Bearer or the token is empty or holds a space. Pure.
 */
com_err orga_token_bearer(const char *value, const char **token,
    size_t *len) COM_MUSTCHECK;

#endif
