/*
 * gar.h - logging in through the GAR: settings, the accounts of GAR users
 * (authentication_methods kind 'GAR', external_id = IDO), replay
 * protection (saml_assertions), the AuthnRequests we sent (saml_requests),
 * and the returnTo rule of the routes.
 */
#ifndef ORGA_GAR_H
#define ORGA_GAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "app.h"
#include "err.h"
#include "gar/saml.h"

#define ORGA_GAR_RETURN_TO_MAX 1025  /* bytes with the NUL */
#define ORGA_GAR_REQUEST_TTL_S 900   /* an AuthnRequest is answered within */

/* Ways an account logs in (GET /api/me's loginMethods). */
#define ORGA_LOGIN_PASSWORD 1u
#define ORGA_LOGIN_GAR 2u

/*
 * orga_gar_open reads the GAR settings (GAR_IDP_METADATA, GAR_SP_METADATA,
 * GAR_SP_KEY, GAR_SP_CERT, GAR_SP_ENTITY_ID, GAR_ATTR_IDO/PRE/NOM,
 * GAR_CLOCK_SKEW_S; README lists them) and opens the service provider.
 * *out is NULL when GAR_IDP_METADATA is unset (the GAR is off) or when the
 * files cannot be loaded (logged as an error: orga still starts and the
 * GAR routes answer 503). COM_EINVAL only for a malformed number.
 */
com_err orga_gar_open(const orga_app *app, orga_saml **out) COM_MUSTCHECK;

typedef struct orga_gar_login_result {
	int64_t user_id;
	bool created;        /* first login with this IDO: a new account */
	bool renamed;        /* the names changed since the last login */
	char return_to[ORGA_GAR_RETURN_TO_MAX]; /* the request's, or "" */
} orga_gar_login_result;

/*
 * orga_gar_request_save remembers an AuthnRequest we sent, with the path
 * to return to, for ORGA_GAR_REQUEST_TTL_S. Purges expired requests and
 * assertions now and then.
 */
com_err orga_gar_request_save(PGconn *db, const char *request_id,
    const char *return_to) COM_MUSTCHECK;

/*
 * orga_gar_login records the verified assertion id (refusing a replay)
 * and, when the response answers a request (id->in_response_to), takes
 * that request (refusing one we never sent, already answered or expired);
 * then finds the account of the IDO, updating its names when they changed,
 * or creates it (names from PRE/NOM, no e-mail, no password) with its GAR
 * login method. One transaction; retried once when two first logins of one
 * IDO race. COM_ECONFLICT: replayed assertion; COM_EPERM: unknown request;
 * COM_EDB, COM_EBUSY.
 */
com_err orga_gar_login(PGconn *db, const orga_saml_identity *id,
    orga_gar_login_result *out) COM_MUSTCHECK;

/*
 * orga_gar_login_methods writes the ORGA_LOGIN_* bits of user_id (0 for
 * an unknown user).
 */
com_err orga_gar_login_methods(PGconn *db, int64_t user_id,
    unsigned *out) COM_MUSTCHECK;

/*
 * orga_gar_return_to writes into out (ORGA_GAR_RETURN_TO_MAX bytes) the
 * path to go to after logging in: in when it is a same-origin path ("/"
 * then not "/" nor "\", no backslash, no control character, no space, at
 * most 1024 bytes), else "/". Pure.
 */
void orga_gar_return_to(const char *in, char *out, size_t size);

#endif
