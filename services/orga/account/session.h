/*
 * session.h - browser sessions: a random cookie token of which only the
 * SHA-256 is stored, a CSRF token the page echoes in X-CSRF-Token, and a
 * sliding expiry of 12 hours.
 */
#ifndef ORGA_SESSION_H
#define ORGA_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

#define ORGA_SESSION_COOKIE "orga_session"
#define ORGA_SESSION_TOKEN_LEN 32
#define ORGA_CSRF_TOKEN_LEN 32

typedef struct orga_session {
	int64_t user_id;
	char csrf_token[ORGA_CSRF_TOKEN_LEN + 1];
	bool must_change_password; /* the account's password is one-time */
} orga_session;

/*
 * orga_session_create opens a session for user_id: writes the cookie
 * value into token (shown once, never stored) and the session into *out.
 * Also deletes the user's expired sessions.
 */
com_err orga_session_create(PGconn *db, int64_t user_id,
    char token[ORGA_SESSION_TOKEN_LEN + 1], orga_session *out)
    COM_MUSTCHECK;

/*
 * orga_session_lookup finds the live session of cookie value token and
 * pushes its expiry 12 hours further. COM_ENOTFOUND when unknown,
 * expired or malformed.
 */
com_err orga_session_lookup(PGconn *db, const char *token,
    orga_session *out) COM_MUSTCHECK;

/* orga_session_delete ends the session of token; unknown is not an error. */
com_err orga_session_delete(PGconn *db, const char *token) COM_MUSTCHECK;

/* orga_session_token_ok: token has the shape of our cookie values. Pure. */
bool orga_session_token_ok(const char *token);

/*
 * orga_session_cookie writes the Set-Cookie value that sets token, or
 * that clears the cookie when token is NULL: HttpOnly, SameSite=Lax,
 * Path=/, Secure when secure. A browser-session cookie: the server
 * enforces the expiry. COM_ETOOLARGE when it does not fit. Pure.
 */
com_err orga_session_cookie(const char *token, bool secure, char *out,
    size_t size) COM_MUSTCHECK;

#endif
