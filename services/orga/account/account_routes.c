/*
 * api_account.c - sign-up, log in, log out and "who am I":
 * POST /api/users, POST and DELETE /api/session, GET /api/me.
 */
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "gar/gar.h"
#include "account/account_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "log.h"
#include "school/invitation.h"
#include "account/terms.h"
#include "validate.h"

static void api_users_create(orga_req *req);
static void api_session_create(orga_req *req);
static void api_session_delete(orga_req *req);
static void api_me(orga_req *req);

const orga_route orga_account_routes[] = {
	ORGA_ROUTE("POST", "/api/users", api_users_create),
	ORGA_ROUTE("POST", "/api/session", api_session_create),
	ORGA_ROUTE("DELETE", "/api/session", api_session_delete),
	ORGA_ROUTE("GET", "/api/me", api_me),
	ORGA_ROUTE_END,
};

/*
 * Copies the trimmed name in[field] into out, or appends FIELD_REQUIRED
 * or FIELD_INVALID to errors. False only on ENOMEM.
 */
static bool
api_name_check(json_t *errors, const json_t *in, const char *field,
    char *out, size_t size, const char *required, const char *invalid)
{
	if (!orga_json_trimmed(in, field, out, size))
		return orga_http_errors_add(errors, field, "FIELD_INVALID", invalid);
	if (out[0] == '\0')
		return orga_http_errors_add(errors, field, "FIELD_REQUIRED", required);
	if (!orga_account_name_ok(out))
		return orga_http_errors_add(errors, field, "FIELD_INVALID", invalid);
	return true;
}

/*
 * api_signup_invitation_ok: a sign-up from an invitation's page
 * (invitationId, invitationCode) must use the invited address, else the
 * account could not accept it: refused with 422 INVITATION_OTHER_EMAIL
 * naming the address (the caller holds the link that shows it) before
 * any account is made. False after answering (*errors, then sent, is
 * set to NULL).
 */
static bool
api_signup_invitation_ok(orga_req *req, PGconn *db, const json_t *in,
    const char *email, json_t **errors)
{
	const json_t *id = json_object_get(in, "invitationId");
	const char *code = orga_json_string(in, "invitationCode");
	char expected[COM_EMAIL_MAX + 1];
	char message[COM_EMAIL_MAX + 160];
	com_err rv;

	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    code == NULL || code[0] == '\0' || strlen(code) > 64)
		return true;
	rv = orga_invitation_signup_check(db, json_integer_value(id), code,
	    email, expected);
	if (rv == COM_OK)
		return true;
	if (rv != COM_EPERM) {
		orga_http_reply_internal(req, rv, "sign-up invitation");
		return false;
	}
	snprintf(message, sizeof(message), "Cette invitation a été envoyée à "
	    "%s : créez votre compte avec cette adresse, ou demandez une "
	    "invitation pour la vôtre.", expected);
	if (!orga_http_errors_add(*errors, "email", "INVITATION_OTHER_EMAIL",
	        message)) {
		orga_http_reply_internal(req, COM_ENOMEM, "sign-up invitation");
		return false;
	}
	orga_http_reply_errors(req, 422, *errors);
	*errors = NULL;          /* taken by the answer */
	return false;
}

static json_t *
api_user_json(const orga_user *u)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s?,s:b}", "id", (json_int_t)u->id,
	    "firstName", u->first_name, "lastName", u->last_name, "email",
	    u->email, "login", u->login[0] != '\0' ? u->login : NULL,
	    "mustChangePassword", u->must_change_password);
}

/* The login typed: "login" (an identifier or an e-mail), else "email". */
static const char *
api_login_of(const json_t *in)
{
	const char *login = orga_json_string(in, "login");

	return login != NULL ? login : orga_json_string(in, "email");
}

void
orga_account_reply_session(orga_req *req, PGconn *db, const orga_user *u,
    unsigned status)
{
	char token[ORGA_SESSION_TOKEN_LEN + 1];
	char cookie[256];
	const char *old;
	orga_session s;
	com_err rv;

	old = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
	    ORGA_SESSION_COOKIE);
	if (old != NULL && orga_session_token_ok(old)) {
		rv = orga_session_delete(db, old);
		if (rv != COM_OK) {
			orga_http_reply_internal(req, rv, "old session delete");
			return;
		}
	}
	rv = orga_session_create(db, u->id, token, &s);
	if (rv == COM_OK)
		rv = orga_session_cookie(token, req->app->secure_cookies, cookie,
		    sizeof(cookie));
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "session create");
		return;
	}
	orga_req_set_cookie(req, cookie);
	orga_http_reply_json(req, status,
	    json_pack("{s:o,s:s}", "user", api_user_json(u), "csrfToken",
	        s.csrf_token));
}

static void
api_users_create(orga_req *req)
{
	char first[ORGA_NAME_MAX], last[ORGA_NAME_MAX];
	char email[COM_EMAIL_MAX + 1];
	const char *password, *raw_email;
	json_t *in, *errors;
	orga_user u;
	PGconn *db;
	bool ok;
	com_err rv;

	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	errors = json_array();
	if (errors == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "sign-up");
		return;
	}
	/* Each check runs; ok turns false if an error could not be listed. */
	ok = api_name_check(errors, in, "firstName", first, sizeof(first),
	    "Veuillez saisir votre prénom.",
	    "Le prénom doit contenir au plus 255 caractères.");
	ok = api_name_check(errors, in, "lastName", last, sizeof(last),
	         "Veuillez saisir votre nom.",
	         "Le nom doit contenir au plus 255 caractères.") && ok;

	raw_email = orga_json_string(in, "email");
	if (raw_email == NULL || raw_email[strspn(raw_email, " \t")] == '\0')
		ok = orga_http_errors_add(errors, "email", "FIELD_REQUIRED",
		         "Veuillez saisir votre adresse e-mail.") && ok;
	else if (com_email_normalize(raw_email, email, sizeof(email)) !=
	         COM_OK)
		ok = orga_http_errors_add(errors, "email", "EMAIL_INVALID",
		         "Votre adresse e-mail n'est pas valide.") && ok;

	password = orga_json_string(in, "password");
	if (password == NULL || password[0] == '\0')
		ok = orga_http_errors_add(errors, "password", "FIELD_REQUIRED",
		         "Veuillez saisir un mot de passe.") && ok;
	else if (strlen(password) > ORGA_PASSWORD_MAX)
		ok = orga_http_errors_add(errors, "password", "PASSWORD_TOO_LONG",
		         "Votre mot de passe doit contenir au plus 256 "
		         "caractères.") && ok;
	else if (!com_password_strong(password))
		ok = orga_http_errors_add(errors, "password", "PASSWORD_WEAK",
		         "Votre mot de passe doit contenir au moins 8 "
		         "caractères, dont une majuscule, une minuscule et un "
		         "chiffre.") && ok;
	if (!ok) {
		orga_http_reply_internal(req, COM_ENOMEM, "sign-up checks");
		goto out;
	}
	if (json_array_size(errors) > 0) {
		orga_http_reply_errors(req, 422, errors);
		return;
	}

	db = orga_req_db_or_reply(req);
	if (db == NULL)
		goto out;
	if (!api_signup_invitation_ok(req, db, in, email, &errors))
		goto out;
	rv = orga_account_create(db, first, last, email, password, &u);
	if (rv == COM_EEXIST) {
		if (orga_http_errors_add(errors, "email", "EMAIL_TAKEN",
		        "Cette adresse e-mail est déjà utilisée.")) {
			orga_http_reply_errors(req, 422, errors);
			return;
		}
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "sign-up");
		goto out;
	}
	com_log_info("account: user %lld signed up", (long long)u.id);
	orga_account_reply_session(req, db, &u, 201);
out:
	json_decref(errors);
}

static void
api_session_create(orga_req *req)
{
	const char *email, *password;
	json_t *in, *errors;
	orga_user u;
	PGconn *db;
	com_err rv;

	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	email = api_login_of(in);
	password = orga_json_string(in, "password");
	if (email == NULL || email[0] == '\0' || password == NULL ||
	    password[0] == '\0') {
		errors = json_array();
		if (errors != NULL && (email == NULL || email[0] == '\0'))
			(void)orga_http_errors_add(errors, "email", "FIELD_REQUIRED",
			    "Veuillez saisir votre identifiant ou votre adresse "
			    "e-mail.");
		if (errors != NULL && (password == NULL || password[0] == '\0'))
			(void)orga_http_errors_add(errors, "password",
			    "FIELD_REQUIRED",
			    "Veuillez saisir votre mot de passe.");
		orga_http_reply_errors(req, 422, errors);
		return;
	}
	db = orga_req_db_or_reply(req);
	if (db == NULL)
		return;
	rv = orga_account_login(db, email, password, &u);
	switch (rv) {
	case COM_OK:
		com_log_info("account: user %lld logged in", (long long)u.id);
		orga_account_reply_session(req, db, &u, 200);
		return;
	case COM_EAUTH:
		orga_http_reply_error(req, 401, "LOGIN_FAILED", "password",
		    "L'identifiant, l'adresse e-mail ou le mot de passe est "
		    "incorrect.");
		return;
	case COM_EBUSY:
		orga_http_reply_error(req, 429, "LOGIN_BLOCKED", NULL,
		    "Votre compte est temporairement bloqué après trop "
		    "d'essais infructueux. Réessayez dans quelques minutes, "
		    "ou demandez à votre enseignant (ou au support) de le "
		    "débloquer.");
		return;
	default:
		orga_http_reply_internal(req, rv, "login");
		return;
	}
}

static void
api_session_delete(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	char cookie[256];
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_session_delete(req->db, orga_caller_cookie_token(req));
	if (rv == COM_OK)
		rv = orga_session_cookie(NULL, req->app->secure_cookies, cookie,
		    sizeof(cookie));
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "logout");
		return;
	}
	orga_req_set_cookie(req, cookie);
	orga_http_reply_json(req, 200, json_object());
}

static json_t *
api_memberships_json(PGconn *db, int64_t user_id, com_err *err)
{
	orga_user_membership *list = NULL;
	json_t *arr;
	int n = 0;

	*err = orga_account_memberships(db, user_id, &list, &n);
	if (*err != COM_OK)
		return NULL;
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr,
		        json_pack("{s:{s:I,s:s,s:s},s:s}", "organization", "id",
		            (json_int_t)list[i].organization_id, "name",
		            list[i].name, "uai", list[i].uai, "role",
		            orga_role_name(list[i].role))) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	if (arr == NULL)
		*err = COM_ENOMEM;
	return arr;
}

static void
api_me(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	json_t *memberships, *user;
	unsigned methods = 0;
	bool must_accept;
	orga_user u;
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_account_get(req->db, s->user_id, &u);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 401, "NOT_AUTHENTICATED", NULL,
		    "Vous devez vous connecter pour continuer.");
		return;
	}
	if (rv == COM_OK)
		rv = orga_terms_must_accept(req->db, s->user_id, &must_accept);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "me");
		return;
	}
	rv = orga_gar_login_methods(req->db, s->user_id, &methods);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "me login methods");
		return;
	}
	memberships = api_memberships_json(req->db, s->user_id, &rv);
	if (memberships == NULL) {
		orga_http_reply_internal(req, rv, "me memberships");
		return;
	}
	user = api_user_json(&u);
	/* How the account logs in, so the UI can say it. */
	if (user != NULL)
		(void)json_object_set_new(user, "loginMethods",
		    json_pack("[s*s*]",
		        (methods & ORGA_LOGIN_PASSWORD) ? "PASSWORD" : NULL,
		        (methods & ORGA_LOGIN_GAR) ? "GAR" : NULL));
	orga_http_reply_json(req, 200,
	    json_pack("{s:o,s:s,s:b,s:o}", "user", user,
	        "csrfToken", s->csrf_token, "mustAcceptTerms", must_accept,
	        "memberships", memberships));
}
