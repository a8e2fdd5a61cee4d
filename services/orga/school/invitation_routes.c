/*
 * api_invitation.c - the join page's calls: GET /api/invitations/{id}?code=
 * and POST /api/invitations/{id}/accept.
 */
#include <string.h>

#include "account/account.h"
#include "school/invitation_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "school/invitation.h"
#include "account/terms.h"

/* Codes are ORGA_INVITATION_CODE_LEN characters; leave room for change. */
#define API_CODE_MAX 64

static void api_invitation_get(orga_req *req);
static void api_invitation_accept(orga_req *req);

const orga_route orga_invitation_routes[] = {
	ORGA_ROUTE("GET", "/api/invitations/{id}", api_invitation_get),
	ORGA_ROUTE("POST", "/api/invitations/{id}/accept",
	    api_invitation_accept),
	ORGA_ROUTE_END,
};

static void
api_invitation_not_found(orga_req *req)
{
	orga_http_reply_error(req, 404, "INVITATION_NOT_FOUND", NULL,
	    "Cette invitation est introuvable. Vérifiez le lien reçu par "
	    "e-mail.");
}

static bool
api_code_ok(const char *code)
{
	return code != NULL && code[0] != '\0' &&
	    strlen(code) <= API_CODE_MAX;
}

static const char *
api_kind_name(orga_invitation_kind kind)
{
	return kind == ORGA_INVITATION_ACTIVATION ? "ACTIVATION" : "MEMBER";
}

static void
api_invitation_get(orga_req *req)
{
	const char *code = orga_req_query(req, "code");
	orga_invitation inv;
	PGconn *db;
	com_err rv;

	if (!api_code_ok(code)) {
		api_invitation_not_found(req);
		return;
	}
	db = orga_req_db_or_reply(req);
	if (db == NULL)
		return;
	rv = orga_invitation_check(db, req->ids[0], code, &inv);
	if (rv == COM_ENOTFOUND) {
		api_invitation_not_found(req);
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "invitation check");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:{s:I,s:s}}", "id",
	        (json_int_t)inv.id, "status", inv.status, "kind",
	        api_kind_name(inv.kind), "role", orga_role_name(inv.role),
	        "email", inv.email, "organization", "id",
	        (json_int_t)inv.organization_id, "name",
	        inv.organization_name));
}

/* After COM_ECONFLICT: tells accepted from cancelled. */
static void
api_invitation_conflict(orga_req *req, const char *code)
{
	orga_invitation inv;
	com_err rv;

	rv = orga_invitation_check(req->db, req->ids[0], code, &inv);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "invitation recheck");
		return;
	}
	if (strcmp(inv.status, "cancelled") == 0)
		orga_http_reply_error(req, 409, "INVITATION_CANCELLED", NULL,
		    "Cette invitation a été annulée. Demandez une nouvelle "
		    "invitation à un administrateur de l'établissement.");
	else
		orga_http_reply_error(req, 409, "INVITATION_ACCEPTED", NULL,
		    "Cette invitation a déjà été acceptée.");
}

static void
api_invitation_accept(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_invitation_result result;
	const char *code;
	bool must_accept;
	orga_user u;
	json_t *in;
	com_err rv;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	code = orga_json_string(in, "code");
	if (!api_code_ok(code)) {
		api_invitation_not_found(req);
		return;
	}
	rv = orga_terms_must_accept(req->db, s->user_id, &must_accept);
	if (rv == COM_OK)
		rv = orga_account_get(req->db, s->user_id, &u);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "invitation accept");
		return;
	}
	if (must_accept) {
		orga_http_reply_error(req, 403, "TERMS_NOT_ACCEPTED", NULL,
		    "Vous devez accepter les conditions d'utilisation "
		    "avant de rejoindre l'établissement.");
		return;
	}
	rv = orga_invitation_accept(req->db, req->ids[0], code, s->user_id,
	    u.email, &result);
	switch (rv) {
	case COM_OK:
		orga_http_reply_json(req, 200,
		    json_pack("{s:I,s:s,s:b}", "organizationId",
		        (json_int_t)result.organization_id, "role",
		        orga_role_name(result.role), "alreadyMember",
		        result.already_member));
		return;
	case COM_ENOTFOUND:
		api_invitation_not_found(req);
		return;
	case COM_ECONFLICT:
		api_invitation_conflict(req, code);
		return;
	case COM_EPERM:
		orga_http_reply_error(req, 403, "INVITATION_OTHER_EMAIL", NULL,
		    "Cette invitation a été envoyée à une autre adresse "
		    "e-mail. Connectez-vous avec le compte de cette adresse.");
		return;
	default:
		orga_http_reply_internal(req, rv, "invitation accept");
		return;
	}
}
