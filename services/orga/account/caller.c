/*
 * caller.c - who calls an HTTP route: the session of the cookie (with
 * its CSRF check on state changes) or a personal API token, looked up
 * once per request, and whether that user belongs to a school.
 */
#include "account/caller.h"

#include <stdio.h>
#include <string.h>

#include "account/tokens.h"
#include "edge/http/http_reply.h"
#include "secret.h"

/* What a request learnt about its caller (req->caller). */
typedef struct caller_state {
	bool session_loaded;
	bool has_session;
	orga_session session;
	char cookie_token[ORGA_SESSION_TOKEN_LEN + 1]; /* "" when none */
	int64_t caller_id;    /* orga_caller_or_reply's, or 0 */
	bool by_token;        /* the caller came with a bearer token */
} caller_state;

/* The request's caller state, made on first use; NULL on ENOMEM. */
static caller_state *
caller_state_of(orga_req *req)
{
	if (req->caller == NULL)
		req->caller = orga_req_alloc(req, sizeof(caller_state));
	return req->caller;
}

const char *
orga_caller_cookie_token(orga_req *req)
{
	caller_state *st = req->caller;

	return st != NULL ? st->cookie_token : "";
}

com_err
orga_caller_session(orga_req *req, const orga_session **out)
{
	caller_state *st = caller_state_of(req);
	const char *cookie;
	PGconn *db;
	com_err rv;

	if (st == NULL)
		return COM_ENOMEM;
	if (st->session_loaded) {
		*out = st->has_session ? &st->session : NULL;
		return COM_OK;
	}
	cookie = orga_req_cookie(req, ORGA_SESSION_COOKIE);
	if (cookie == NULL || !orga_session_token_ok(cookie)) {
		st->session_loaded = true;
		*out = NULL;
		return COM_OK;
	}
	snprintf(st->cookie_token, sizeof(st->cookie_token), "%s", cookie);
	if (orga_req_db(req, &db) != COM_OK)
		return COM_EDB;
	rv = orga_session_lookup(db, cookie, &st->session);
	if (rv != COM_OK && rv != COM_ENOTFOUND)
		return rv;
	st->session_loaded = true;
	st->has_session = rv == COM_OK;
	*out = st->has_session ? &st->session : NULL;
	return COM_OK;
}

/*
 * What a session whose password is one-time may reach: who it is, the
 * change of that password, and logging out. Everything else waits.
 */
static bool
caller_allowed_before_change(const orga_req *req)
{
	static const char *const routes[] = {"/api/me", "/api/me/password",
	    "/api/session"};

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (req->route != NULL && strcmp(req->route, routes[i]) == 0)
			return true;
	return false;
}

const orga_session *
orga_caller_session_or_reply(orga_req *req)
{
	caller_state *st = caller_state_of(req);
	const orga_session *s;
	const char *csrf;
	char cookie[256];
	com_err rv;

	rv = orga_caller_session(req, &s);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "session lookup");
		return NULL;
	}
	if (s == NULL) {
		if (st->cookie_token[0] != '\0' &&
		    orga_session_cookie(NULL, req->app->secure_cookies, cookie,
		        sizeof(cookie)) == COM_OK)
			orga_req_set_cookie(req, cookie); /* a stale cookie */
		orga_http_reply_error(req, 401, "NOT_AUTHENTICATED", NULL,
		    "Vous devez vous connecter pour continuer.");
		return NULL;
	}
	if (orga_req_is_write(req)) {
		csrf = orga_req_header(req, "X-CSRF-Token");
		if (csrf == NULL || !com_secret_equal(csrf, s->csrf_token)) {
			orga_http_reply_error(req, 403, "CSRF_INVALID", NULL,
			    "Votre session ne permet pas cette action. "
			    "Rechargez la page puis réessayez.");
			return NULL;
		}
	}
	if (s->must_change_password && !caller_allowed_before_change(req)) {
		orga_http_reply_error(req, 403, "PASSWORD_CHANGE_REQUIRED", NULL,
		    "Choisissez d'abord votre nouveau mot de passe.");
		return NULL;
	}
	return s;
}

int64_t
orga_caller_or_reply(orga_req *req)
{
	caller_state *st = caller_state_of(req);
	char secret[ORGA_TOKEN_LEN + 1];
	const orga_session *s;
	const char *auth, *token;
	int64_t user_id;
	PGconn *db;
	size_t len;
	com_err rv;

	if (st == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "caller");
		return 0;
	}
	if (st->caller_id > 0)
		return st->caller_id;
	auth = orga_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL) {
		s = orga_caller_session_or_reply(req);
		if (s == NULL)
			return 0;
		st->caller_id = s->user_id;
		return st->caller_id;
	}
	rv = orga_token_bearer(auth, &token, &len);
	if (rv == COM_OK && len == ORGA_TOKEN_LEN) {
		memcpy(secret, token, len);
		secret[len] = '\0';
		db = orga_req_db_or_reply(req);
		if (db == NULL)
			return 0;
		rv = orga_token_lookup(db, secret, &user_id);
		if (rv != COM_OK && rv != COM_ENOTFOUND) {
			orga_http_reply_internal(req, rv, "token lookup");
			return 0;
		}
	} else {
		rv = COM_ENOTFOUND;
	}
	if (rv != COM_OK) {
		orga_http_reply_error(req, 401, "TOKEN_INVALID", NULL,
		    "Le jeton d'accès est invalide ou a été révoqué. "
		    "Créez-en un nouveau dans votre espace.");
		return 0;
	}
	st->caller_id = user_id;
	st->by_token = true;
	return user_id;
}

bool
orga_caller_member_or_reply(orga_req *req, const orga_session *s,
    int64_t org_id, orga_role *role)
{
	return orga_caller_user_member_or_reply(req, s->user_id, org_id, role);
}

bool
orga_caller_user_member_or_reply(orga_req *req, int64_t user_id,
    int64_t org_id, orga_role *role)
{
	orga_role r = ORGA_ROLE_NONE;
	PGconn *db = orga_req_db_or_reply(req);
	com_err rv;

	if (db == NULL)
		return false;
	rv = orga_membership_role(db, org_id, user_id, &r);
	if (rv != COM_OK && rv != COM_ENOTFOUND) {
		orga_http_reply_internal(req, rv, "membership check");
		return false;
	}
	if (rv == COM_ENOTFOUND || r == ORGA_ROLE_NONE) {
		orga_http_reply_error(req, 404, "ORGANIZATION_NOT_FOUND", NULL,
		    "Cette organisation est introuvable.");
		return false;
	}
	*role = r;
	return true;
}
