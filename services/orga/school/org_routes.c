/*
 * org_routes.c - a school as its members see it: GET /api/organizations/{id}
 * (which records it as the member's last used school), its members and
 * its pending invitations (their addresses for ADMINs only); and the
 * schools of the caller, GET /api/me/organizations. Outsiders get 404.
 */
#include <stdlib.h>

#include "log.h"

#include "school/org_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "school/invitation.h"
#include "school/organization.h"

static void api_org_get(orga_req *req);
static void api_org_members(orga_req *req);
static void api_org_invitations(orga_req *req);
static void api_my_schools(orga_req *req);

const orga_route orga_org_routes[] = {
	ORGA_ROUTE("GET", "/api/organizations/{id}", api_org_get),
	ORGA_ROUTE("GET", "/api/organizations/{id}/members", api_org_members),
	ORGA_ROUTE("GET", "/api/organizations/{id}/invitations",
	    api_org_invitations),
	ORGA_ROUTE("GET", "/api/me/organizations", api_my_schools),
	ORGA_ROUTE_END,
};

/* The session and membership checks every route here starts with. */
static bool
api_org_member_or_reply(orga_req *req, orga_role *role)
{
	const orga_session *s = orga_caller_session_or_reply(req);

	return s != NULL &&
	    orga_caller_member_or_reply(req, s, req->ids[0], role);
}

static void
api_org_get(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_role role;
	orga_org org;
	com_err rv;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return;
	/* The space of this school is opened: it becomes the one used last.
	 * Not worth failing the page for. */
	rv = orga_membership_touch(req->db, req->ids[0], s->user_id);
	if (rv != COM_OK)
		com_log_warn("organization %lld: last use not recorded: %s",
		    (long long)req->ids[0], com_strerror(rv));
	rv = orga_org_get(req->db, req->ids[0], &org);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "organization get");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)org.id,
	        "name", org.name, "uai", org.uai, "type", org.type, "role",
	        orga_role_name(role)));
}

static void
api_org_members(orga_req *req)
{
	orga_member *list = NULL;
	orga_role role;
	json_t *arr;
	int n = 0;
	com_err rv;

	if (!api_org_member_or_reply(req, &role))
		return;
	rv = orga_member_list(req->db, req->ids[0], &list, &n);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "member list");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr,
		        json_pack("{s:I,s:s,s:s,s:s,s:s}", "userId",
		            (json_int_t)list[i].user_id, "firstName",
		            list[i].first_name, "lastName", list[i].last_name,
		            "role", orga_role_name(list[i].role), "joinedAt",
		            list[i].joined_at)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "members", arr) : NULL);
}

static void
api_org_invitations(orga_req *req)
{
	orga_invitation *list = NULL;
	orga_role role;
	json_t *arr;
	int n = 0;
	com_err rv;

	if (!api_org_member_or_reply(req, &role))
		return;
	rv = orga_invitation_list_pending(req->db, req->ids[0], &list, &n);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "invitation list");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		/* Whom the school invited is for its ADMINs to know. */
		json_t *item = json_pack("{s:I,s:s,s:s,s:s}", "id",
		    (json_int_t)list[i].id, "role", orga_role_name(list[i].role),
		    "createdAt", list[i].created_at, "updatedAt",
		    list[i].updated_at);

		if (item != NULL && role == ORGA_ROLE_ADMIN &&
		    json_object_set_new(item, "email",
		        json_string(list[i].email)) != 0) {
			json_decref(item);
			item = NULL;
		}
		if (json_array_append_new(arr, item) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "invitations", arr) : NULL);
}

static void
api_my_schools(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_my_school *list = NULL;
	json_t *arr;
	int n = 0;
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_my_schools(req->db, s->user_id, &list, &n);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "my schools");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < n; i++) {
		const orga_my_school *m = &list[i];

		if (json_array_append_new(arr,
		        json_pack("{s:I,s:s,s:s,s:s,s:s?}", "id",
		            (json_int_t)m->id, "name", m->name, "uai", m->uai,
		            "role", orga_role_name(m->role), "lastUsedAt",
		            m->last_used_at[0] != '\0' ? m->last_used_at
		                                        : NULL)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	free(list);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "organizations", arr) : NULL);
}
