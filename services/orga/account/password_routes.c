/*
 * password_routes.c - POST /api/me/password, POST /api/password-resets
 * (ask for a recovery link) and POST /api/password-resets/complete (use
 * it: a new password and a session).
 */
#include "account/password_routes.h"

#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "account/account.h"
#include "account/account_routes.h"
#include "account/caller.h"
#include "account/password.h"
#include "edge/http/http_reply.h"
#include "log.h"
#include "notify.h"
#include "validate.h"

static void api_password_change(orga_req *req);
static void api_recovery_request(orga_req *req);
static void api_recovery_complete(orga_req *req);

const orga_route orga_password_routes[] = {
	ORGA_ROUTE("POST", "/api/me/password", api_password_change),
	ORGA_ROUTE("POST", "/api/password-resets", api_recovery_request),
	ORGA_ROUTE("POST", "/api/password-resets/complete",
	    api_recovery_complete),
	ORGA_ROUTE_END,
};

const orga_throttle_rule orga_recovery_per_address = {
	"recovery-address", 3, 3.0 / 3600};
const orga_throttle_rule orga_recovery_per_client = {
	"recovery-client", 60, 1.0 / 60};

/* The answer to every well-formed request, whether the address is ours. */
#define API_RECOVERY_SENT                                                  \
	"Si un compte Orga utilise cette adresse, un e-mail vient de lui "   \
	"être envoyé avec un lien pour choisir un nouveau mot de passe. Ce " \
	"lien est valable une heure."

/* Checks a new password; false after answering 422. */
static bool
api_new_password_or_reply(orga_req *req, const char *password)
{
	const char *code = NULL, *message = NULL;
	json_t *errors;

	if (password == NULL || password[0] == '\0') {
		code = "FIELD_REQUIRED";
		message = "Veuillez saisir un mot de passe.";
	} else if (strlen(password) > ORGA_PASSWORD_MAX) {
		code = "PASSWORD_TOO_LONG";
		message = "Votre mot de passe doit contenir au plus 256 "
		          "caractères.";
	} else if (!com_password_strong(password)) {
		code = "PASSWORD_WEAK";
		message = "Votre mot de passe doit contenir au moins 8 "
		          "caractères, dont une majuscule, une minuscule et un "
		          "chiffre.";
	}
	if (code == NULL)
		return true;
	errors = json_array();
	if (errors == NULL ||
	    !orga_http_errors_add(errors, "password", code, message)) {
		json_decref(errors);
		orga_http_reply_internal(req, COM_ENOMEM, "password check");
		return false;
	}
	orga_http_reply_errors(req, 422, errors);
	return false;
}

static void
api_password_change(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	const char *password, *current;
	json_t *in;
	com_err rv;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	password = orga_json_string(in, "password");
	current = orga_json_string(in, "currentPassword");
	if (!s->must_change_password && (current == NULL || current[0] == '\0')) {
		orga_http_reply_error(req, 422, "FIELD_REQUIRED",
		    "currentPassword", "Veuillez saisir votre mot de passe "
		    "actuel.");
		return;
	}
	if (!api_new_password_or_reply(req, password))
		return;
	rv = orga_password_change(req->db, s->user_id,
	    s->must_change_password ? NULL : current, password,
	    orga_caller_cookie_token(req));
	switch (rv) {
	case COM_OK:
		orga_http_reply_json(req, 200,
		    json_pack("{s:b}", "mustChangePassword", 0));
		return;
	case COM_EAUTH:
		orga_http_reply_error(req, 422, "PASSWORD_WRONG",
		    "currentPassword", "Votre mot de passe actuel est "
		    "incorrect.");
		return;
	default:
		orga_http_reply_internal(req, rv, "password change");
		return;
	}
}

/* The client's address as text (numeric), "" when unknown. */
static void
api_client_address(orga_req *req, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci;
	socklen_t len;

	out[0] = '\0';
	ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	len = ci->client_addr->sa_family == AF_INET6
	    ? (socklen_t)sizeof(struct sockaddr_in6)
	    : (socklen_t)sizeof(struct sockaddr_in);
	if (getnameinfo(ci->client_addr, len, out, (socklen_t)size, NULL, 0,
	        NI_NUMERICHOST) != 0)
		out[0] = '\0';
}

/* Takes one hit of rule for key; false after answering (429 or 5xx).
 * *allowed false without an answer when quiet (the caller goes on). */
static bool
api_recovery_take(orga_req *req, PGconn *db, const orga_throttle_rule *rule,
    const char *key, bool quiet, bool *allowed)
{
	int retry = 0;
	com_err rv;

	*allowed = true;
	if (key[0] == '\0')
		return true;
	rv = orga_throttle_take(db, rule, key, &retry);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "recovery limit");
		return false;
	}
	if (retry == 0)
		return true;
	*allowed = false;
	if (quiet)
		return true;
	orga_http_reply_limited(req, retry, "TOO_MANY_REQUESTS",
	    "Trop de demandes de réinitialisation depuis votre connexion. "
	    "Réessayez dans quelques minutes.");
	return false;
}

static void
api_recovery_request(orga_req *req)
{
	char email[COM_EMAIL_MAX + 1], client[64];
	bool queued = false, allowed;
	const char *raw;
	json_t *in;
	PGconn *db;
	com_err rv;

	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	raw = orga_json_string(in, "email");
	if (raw == NULL || raw[strspn(raw, " \t")] == '\0') {
		orga_http_reply_error(req, 422, "FIELD_REQUIRED", "email",
		    "Veuillez saisir votre adresse e-mail.");
		return;
	}
	if (com_email_normalize(raw, email, sizeof(email)) != COM_OK) {
		orga_http_reply_error(req, 422, "EMAIL_INVALID", "email",
		    "Votre adresse e-mail n'est pas valide.");
		return;
	}
	db = orga_req_db_or_reply(req);
	if (db == NULL)
		return;
	api_client_address(req, client, sizeof(client));
	if (!api_recovery_take(req, db, &orga_recovery_per_client, client,
	        false, &allowed))
		return;
	/* Over the address's limit the answer is the same and no mail
	 * goes: that says nothing of the address either. */
	if (!api_recovery_take(req, db, &orga_recovery_per_address, email,
	        true, &allowed))
		return;
	if (allowed) {
		rv = orga_recovery_request(db, req->app->public_url, email,
		    &queued);
		if (rv != COM_OK) {
			orga_http_reply_internal(req, rv, "recovery request");
			return;
		}
	} else {
		com_log_info("account: a recovery request over its address's "
		    "limit was dropped");
	}
	if (queued)
		orga_notify_mailer(req->app->notify);
	orga_http_reply_json(req, 202,
	    json_pack("{s:s}", "message", API_RECOVERY_SENT));
}

static void
api_recovery_complete(orga_req *req)
{
	const char *token, *password;
	int64_t user_id = 0;
	orga_user u;
	json_t *in;
	PGconn *db;
	com_err rv;

	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	token = orga_json_string(in, "token");
	password = orga_json_string(in, "password");
	if (!orga_recovery_token_ok(token)) {
		orga_http_reply_error(req, 404, "RESET_LINK_INVALID", NULL,
		    "Ce lien de réinitialisation n'est plus valable (il a déjà "
		    "servi, a expiré ou a été remplacé par un plus récent). "
		    "Demandez-en un nouveau.");
		return;
	}
	if (!api_new_password_or_reply(req, password))
		return;
	db = orga_req_db_or_reply(req);
	if (db == NULL)
		return;
	rv = orga_recovery_complete(db, token, password, &user_id);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "RESET_LINK_INVALID", NULL,
		    "Ce lien de réinitialisation n'est plus valable (il a déjà "
		    "servi, a expiré ou a été remplacé par un plus récent). "
		    "Demandez-en un nouveau.");
		return;
	}
	if (rv == COM_OK)
		rv = orga_account_get(db, user_id, &u);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "recovery");
		return;
	}
	orga_account_reply_session(req, db, &u, 200);
}
