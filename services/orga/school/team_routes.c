/*
 * api_team.c - the Équipe page's changes: invite several addresses, re-send
 * or cancel an invitation, change a role, remove a member, leave the
 * school, read the audit log. ADMIN only, except leaving; outsiders 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "school/team_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "school/invitation.h"
#include "notify.h"
#include "school/organization.h"
#include "school/team.h"

static void api_team_invite(orga_req *req);
static void api_team_resend(orga_req *req);
static void api_team_cancel(orga_req *req);
static void api_team_set_role(orga_req *req);
static void api_team_remove(orga_req *req);
static void api_team_leave(orga_req *req);
static void api_team_audit(orga_req *req);
static void api_team_forbidden(orga_req *req);

const orga_route orga_team_routes[] = {
	ORGA_ROUTE("POST", "/api/organizations/{id}/invitations",
	    api_team_invite),
	ORGA_ROUTE("POST", "/api/organizations/{id}/invitations/{id}/resend",
	    api_team_resend),
	ORGA_ROUTE("POST", "/api/organizations/{id}/invitations/{id}/cancel",
	    api_team_cancel),
	ORGA_ROUTE("DELETE", "/api/organizations/{id}/invitations/{id}",
	    api_team_cancel),
	ORGA_ROUTE("PATCH", "/api/organizations/{id}/members/{id}",
	    api_team_set_role),
	ORGA_ROUTE("POST", "/api/organizations/{id}/members/{id}",
	    api_team_set_role),
	ORGA_ROUTE("DELETE", "/api/organizations/{id}/members/{id}",
	    api_team_remove),
	ORGA_ROUTE("POST", "/api/organizations/{id}/leave", api_team_leave),
	ORGA_ROUTE("GET", "/api/organizations/{id}/audit", api_team_audit),
	ORGA_ROUTE_END,
};

/*
 * api_team_caller_or_reply checks the session (401, 403 CSRF), the
 * membership (404 for outsiders) and, when admin_only, the ADMIN role
 * (403 FORBIDDEN). NULL after answering.
 */
static const orga_session *
api_team_caller_or_reply(orga_req *req, bool admin_only)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_role role;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return NULL;
	if (admin_only && role != ORGA_ROLE_ADMIN) {
		api_team_forbidden(req);
		return NULL;
	}
	return s;
}

/* api_team_role_or_reply reads "role" (absent: MEMBER when optional). */
static bool
api_team_role_or_reply(orga_req *req, const json_t *in, bool optional,
    orga_role *out)
{
	const char *role = orga_json_string(in, "role");

	if (role == NULL && optional) {
		*out = ORGA_ROLE_MEMBER;
		return true;
	}
	if (role == NULL || orga_role_parse(role, out) != COM_OK) {
		orga_http_reply_error(req, 422, "ROLE_INVALID", "role",
		    "Choisissez le rôle : Membre ou Administrateur.");
		return false;
	}
	return true;
}

static void
api_team_busy(orga_req *req)
{
	orga_http_reply_error(req, 409, "CONCURRENT_CHANGE", NULL,
	    "L'équipe vient d'être modifiée par ailleurs. Rechargez la page "
	    "puis réessayez.");
}

/* --- invitations --------------------------------------------------- */

static const char *
api_team_outcome_code(orga_team_outcome o)
{
	switch (o) {
	case ORGA_TEAM_INVITED:
		return "INVITED";
	case ORGA_TEAM_RESENT:
		return "RESENT";
	case ORGA_TEAM_ALREADY_MEMBER:
		return "ALREADY_MEMBER";
	default:
		return "EMAIL_INVALID";
	}
}

static void
api_team_outcome_message(const orga_team_address *a, char *buf, size_t size)
{
	switch (a->outcome) {
	case ORGA_TEAM_INVITED:
		snprintf(buf, size, "Invitation envoyée à %s.", a->email);
		break;
	case ORGA_TEAM_RESENT:
		snprintf(buf, size, "Une invitation était déjà en attente pour "
		    "%s : elle a été renvoyée.", a->email);
		break;
	case ORGA_TEAM_ALREADY_MEMBER:
		snprintf(buf, size, "%s est déjà membre de l'établissement : "
		    "aucune invitation envoyée.", a->email);
		break;
	default:
		snprintf(buf, size, "« %s » n'est pas une adresse e-mail "
		    "valide : aucune invitation envoyée.", a->email);
		break;
	}
}

static json_t *
api_team_results(const orga_team_address *list, int n)
{
	json_t *arr = json_array();
	char message[ORGA_TEAM_TOKEN_MAX + 160];

	for (int i = 0; arr != NULL && i < n; i++) {
		const orga_team_address *a = &list[i];
		json_t *item;

		api_team_outcome_message(a, message, sizeof(message));
		item = json_pack("{s:s,s:s,s:s}", "email", a->email, "status",
		    api_team_outcome_code(a->outcome), "message", message);
		if (item != NULL && a->invitation_id > 0 &&
		    json_object_set_new(item, "invitationId",
		        json_integer(a->invitation_id)) != 0) {
			json_decref(item);
			item = NULL;
		}
		if (json_array_append_new(arr, item) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

static void
api_team_invite(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, true);
	orga_team_address *list = NULL;
	const char *emails;
	orga_role role;
	orga_org org;
	json_t *in, *results;
	bool sent = false;
	int n = 0;
	com_err rv;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	if (!api_team_role_or_reply(req, in, true, &role))
		return;
	emails = orga_json_string(in, "emails");
	rv = orga_team_parse(emails != NULL ? emails : "", &list, &n);
	if (rv == COM_ETOOLARGE) {
		orga_http_reply_error(req, 422, "TOO_MANY_EMAILS", "emails",
		    "Vous pouvez inviter %d adresses au plus à la fois.",
		    ORGA_TEAM_INVITE_MAX);
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "team invite parse");
		return;
	}
	if (n == 0) {
		free(list);
		orga_http_reply_error(req, 422, "FIELD_REQUIRED", "emails",
		    "Saisissez au moins une adresse e-mail.");
		return;
	}
	rv = orga_org_get(req->db, req->ids[0], &org);
	if (rv == COM_OK)
		rv = orga_team_invite(req->db, req->app->public_url, &org,
		    s->user_id, role, list, n);
	if (rv != COM_OK) {
		free(list);
		orga_http_reply_internal(req, rv, "team invite");
		return;
	}
	for (int i = 0; i < n; i++)
		sent = sent || list[i].outcome == ORGA_TEAM_INVITED ||
		    list[i].outcome == ORGA_TEAM_RESENT;
	if (sent)
		orga_notify_mailer(req->app->notify);
	results = api_team_results(list, n);
	free(list);
	orga_http_reply_json(req, 200,
	    results != NULL ? json_pack("{s:o}", "results", results) : NULL);
}

/* The refusals shared by resend and cancel. */
static void
api_team_invitation_refused(orga_req *req, com_err rv, const char *status)
{
	if (rv == COM_ENOTFOUND)
		orga_http_reply_error(req, 404, "INVITATION_NOT_FOUND", NULL,
		    "Cette invitation est introuvable.");
	else if (rv == COM_ECONFLICT && strcmp(status, "cancelled") == 0)
		orga_http_reply_error(req, 409, "INVITATION_CANCELLED", NULL,
		    "Cette invitation a déjà été annulée.");
	else if (rv == COM_ECONFLICT)
		orga_http_reply_error(req, 409, "INVITATION_ACCEPTED", NULL,
		    "Cette invitation a déjà été acceptée.");
	else if (rv == COM_EEXIST)
		orga_http_reply_error(req, 409, "ALREADY_MEMBER", NULL,
		    "Cette personne est déjà membre de l'établissement.");
	else if (rv == COM_EBUSY)
		api_team_busy(req);
	else
		orga_http_reply_internal(req, rv, "team invitation");
}

static void
api_team_resend(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, true);
	orga_invitation inv;
	char status[12] = "";
	orga_org org;
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_org_get(req->db, req->ids[0], &org);
	if (rv == COM_OK)
		rv = orga_team_resend(req->db, req->app->public_url, &org,
		    s->user_id, req->ids[1], &inv, status);
	if (rv != COM_OK) {
		api_team_invitation_refused(req, rv, status);
		return;
	}
	orga_notify_mailer(req->app->notify);
	orga_http_reply_json(req, 200,
	    json_pack("{s:{s:I,s:s,s:s,s:s,s:s}}", "invitation", "id",
	        (json_int_t)inv.id, "email", inv.email, "role",
	        orga_role_name(inv.role), "createdAt", inv.created_at,
	        "updatedAt", inv.updated_at));
}

static void
api_team_cancel(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, true);
	char status[12] = "";
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_team_cancel(req->db, req->ids[0], s->user_id, req->ids[1],
	    status);
	if (rv != COM_OK) {
		api_team_invitation_refused(req, rv, status);
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:I,s:s}", "id", (json_int_t)req->ids[1], "status",
	        "cancelled"));
}

/* --- members ----------------------------------------------------------- */

static void
api_team_forbidden(orga_req *req)
{
	orga_http_reply_error(req, 403, "FORBIDDEN", NULL,
	    "Seuls les administrateurs de l'établissement peuvent "
	    "gérer l'équipe.");
}

static void
api_team_member_refused(orga_req *req, com_err rv, const char *last_admin)
{
	if (rv == COM_EPERM)
		api_team_forbidden(req);
	else if (rv == COM_ENOTFOUND)
		orga_http_reply_error(req, 404, "MEMBER_NOT_FOUND", NULL,
		    "Cette personne n'est pas membre de l'établissement.");
	else if (rv == COM_ECONFLICT)
		orga_http_reply_error(req, 409, "LAST_ADMIN", NULL, "%s",
		    last_admin);
	else if (rv == COM_EBUSY)
		api_team_busy(req);
	else
		orga_http_reply_internal(req, rv, "team member change");
}

static void
api_team_set_role(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, true);
	orga_role role, old;
	bool changed;
	json_t *in;
	com_err rv;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	if (!api_team_role_or_reply(req, in, false, &role))
		return;
	rv = orga_team_set_role(req->db, req->ids[0], s->user_id, req->ids[1],
	    role, &old, &changed);
	if (rv != COM_OK) {
		api_team_member_refused(req, rv,
		    s->user_id == req->ids[1]
		        ? "Vous êtes le dernier administrateur de "
		          "l'établissement : nommez d'abord un autre "
		          "administrateur avant de quitter ce rôle."
		        : "C'est le dernier administrateur de l'établissement : "
		          "nommez d'abord un autre administrateur avant de lui "
		          "retirer ce rôle.");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:I,s:s,s:s,s:b}", "userId", (json_int_t)req->ids[1],
	        "role", orga_role_name(role), "previousRole",
	        orga_role_name(old), "changed", changed));
}

static void
api_team_remove(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, true);
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_team_remove(req->db, req->ids[0], s->user_id, req->ids[1]);
	if (rv != COM_OK) {
		api_team_member_refused(req, rv,
		    s->user_id == req->ids[1]
		        ? "Vous êtes le dernier administrateur de "
		          "l'établissement : nommez d'abord un autre "
		          "administrateur."
		        : "C'est le dernier administrateur de l'établissement : "
		          "il ne peut pas être retiré. Nommez d'abord un autre "
		          "administrateur.");
		return;
	}
	orga_http_reply_json(req, 200, json_object());
}

static void
api_team_leave(orga_req *req)
{
	const orga_session *s = api_team_caller_or_reply(req, false);
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_team_remove(req->db, req->ids[0], s->user_id, s->user_id);
	if (rv != COM_OK) {
		api_team_member_refused(req, rv,
		    "Vous êtes le dernier administrateur de l'établissement : "
		    "nommez d'abord un autre administrateur, puis vous pourrez "
		    "le quitter.");
		return;
	}
	orga_http_reply_json(req, 200, json_object());
}

/* --- audit log --------------------------------------------------------- */

/* api_team_person: {"userId","firstName","lastName"} or JSON null. */
static json_t *
api_team_person(int64_t id, const char *first, const char *last)
{
	if (id <= 0)
		return json_null();
	return json_pack("{s:I,s:s,s:s}", "userId", (json_int_t)id,
	    "firstName", first, "lastName", last);
}

static json_t *
api_team_entry(const orga_audit_entry *e)
{
	json_t *target = api_team_person(e->target_user_id,
	    e->target_first_name, e->target_last_name);

	if (json_is_null(target)) {
		json_decref(target);
		target = json_object();
	}
	if (target == NULL || json_object_set_new(target, "email",
	                          json_string(e->target_email)) != 0) {
		json_decref(target);
		return NULL;
	}
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:s?,s:s?}", "id",
	    (json_int_t)e->id, "action", e->action, "createdAt", e->created_at,
	    "actor", api_team_person(e->actor_user_id, e->actor_first_name,
	        e->actor_last_name),
	    "target", target,
	    "oldRole", e->old_role[0] != '\0' ? e->old_role : NULL,
	    "newRole", e->new_role[0] != '\0' ? e->new_role : NULL);
}

/* api_team_query_number reads ?name=N (1..max), or def when absent. */
static bool
api_team_query_number(orga_req *req, const char *name, int64_t def,
    int64_t max, int64_t *out)
{
	const char *v = orga_req_query(req, name);

	if (v == NULL) {
		*out = def;
		return true;
	}
	if (orga_http_parse_id(v, strlen(v), out) != COM_OK || *out > max) {
		orga_http_reply_error(req, 422, "FIELD_INVALID", name,
		    "Le paramètre « %s » doit être un nombre entier positif.",
		    name);
		return false;
	}
	return true;
}

static void
api_team_audit(orga_req *req)
{
	orga_audit_entry *list = NULL;
	int64_t before, limit;
	json_t *arr;
	int n = 0;
	com_err rv;

	if (api_team_caller_or_reply(req, true) == NULL)
		return;
	if (!api_team_query_number(req, "before", 0, INT64_MAX, &before) ||
	    !api_team_query_number(req, "limit", ORGA_TEAM_AUDIT_LIMIT,
	        ORGA_TEAM_AUDIT_MAX, &limit))
		return;
	rv = orga_team_audit_list(req->db, req->ids[0], before, (int)limit,
	    &list, &n);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "audit list");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr, api_team_entry(&list[i])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "entries", arr) : NULL);
}
