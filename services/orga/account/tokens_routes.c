/*
 * api_tokens.c - the caller's personal API tokens: GET and POST
 * /api/me/tokens, DELETE /api/me/tokens/{id}. Browser session only: a
 * token cannot mint or list tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "account/tokens_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "account/tokens.h"

static void api_tokens_list(orga_req *req);
static void api_tokens_create(orga_req *req);
static void api_tokens_revoke(orga_req *req);

const orga_route orga_tokens_routes[] = {
	ORGA_ROUTE("GET", "/api/me/tokens", api_tokens_list),
	ORGA_ROUTE("POST", "/api/me/tokens", api_tokens_create),
	ORGA_ROUTE("DELETE", "/api/me/tokens/{id}", api_tokens_revoke),
	ORGA_ROUTE_END,
};

/* The session's user; 0 after answering (a bearer caller gets 403). */
static int64_t
api_tokens_user_or_reply(orga_req *req)
{
	const orga_session *s;

	if (orga_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION) != NULL) {
		orga_http_reply_error(req, 403, "SESSION_REQUIRED", NULL,
		    "Les jetons d'accès se gèrent depuis votre espace, "
		    "connecté avec votre mot de passe.");
		return 0;
	}
	s = orga_caller_session_or_reply(req);
	return s != NULL ? s->user_id : 0;
}

static json_t *
api_token_json(const orga_token *t)
{
	return json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)t->id,
	    "name", t->name, "createdAt", t->created_at, "lastUsedAt",
	    t->last_used_at[0] != '\0' ? json_string(t->last_used_at)
	                               : json_null());
}

static void
api_tokens_list(orga_req *req)
{
	orga_token *list = NULL;
	int64_t user_id;
	json_t *arr;
	int n = 0;
	com_err rv;

	user_id = api_tokens_user_or_reply(req);
	if (user_id == 0)
		return;
	rv = orga_token_list(req->db, user_id, &list, &n);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "token list");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr, api_token_json(&list[i])) !=
		    0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "tokens", arr) : NULL);
}

static void
api_tokens_create(orga_req *req)
{
	char secret[ORGA_TOKEN_LEN + 1];
	char name[ORGA_TOKEN_NAME_MAX];
	bool fits;
	int64_t user_id;
	json_t *in;
	orga_token t;
	com_err rv;

	user_id = api_tokens_user_or_reply(req);
	if (user_id == 0)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	fits = orga_json_trimmed(in, "name", name, sizeof(name));
	if (fits && name[0] == '\0') {
		orga_http_reply_error(req, 422, "FIELD_REQUIRED", "name",
		    "Donnez un nom au jeton (par exemple le poste qui "
		    "l'utilise).");
		return;
	}
	if (!fits || !orga_token_name_ok(name)) {
		orga_http_reply_error(req, 422, "FIELD_INVALID", "name",
		    "Le nom du jeton doit contenir au plus 100 caractères, "
		    "sans caractère de contrôle.");
		return;
	}
	rv = orga_token_create(req->db, user_id, name, secret, &t);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "token create");
		return;
	}
	orga_http_reply_json(req, 201,
	    json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)t.id, "name",
	        t.name, "token", secret, "createdAt", t.created_at));
}

static void
api_tokens_revoke(orga_req *req)
{
	int64_t user_id;
	com_err rv;

	user_id = api_tokens_user_or_reply(req);
	if (user_id == 0)
		return;
	rv = orga_token_revoke(req->db, user_id, req->ids[0]);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "TOKEN_NOT_FOUND", NULL,
		    "Ce jeton est introuvable ou déjà révoqué.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "token revoke");
		return;
	}
	orga_http_reply_json(req, 200, json_object());
}
