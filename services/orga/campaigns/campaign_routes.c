/*
 * campaign_routes.c - the Campagnes menu: list, create, read, edit,
 * archive and restore a school's campaigns, and list a campaign's
 * participants (JSON, or the CSV export).
 * Any member lists, reads and creates; the owner and ADMINs edit and
 * archive (403 otherwise); outsiders get 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/parcours.h"
#include "campaigns/campaign.h"
#include "campaigns/campaign_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "utf8.h"

#define API_CAMPAIGNS_CLASS_MAX 100   /* characters of ?class= */
#define API_CAMPAIGNS_CSV_MAX (64u * 1024u * 1024u)  /* bytes of an export */

static void api_campaigns_list(orga_req *req);
static void api_campaigns_create(orga_req *req);
static void api_campaigns_show(orga_req *req);
static void api_campaigns_edit(orga_req *req);
static void api_campaigns_archive(orga_req *req);
static void api_campaigns_unarchive(orga_req *req);
static void api_campaigns_participants(orga_req *req);
static void api_campaigns_export(orga_req *req);

const orga_route orga_campaign_routes[] = {
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns",
	    api_campaigns_list),
	ORGA_ROUTE("POST", "/api/organizations/{id}/campaigns",
	    api_campaigns_create),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}",
	    api_campaigns_show),
	ORGA_ROUTE("PATCH", "/api/organizations/{id}/campaigns/{id}",
	    api_campaigns_edit),
	ORGA_ROUTE("POST", "/api/organizations/{id}/campaigns/{id}",
	    api_campaigns_edit),
	ORGA_ROUTE("POST", "/api/organizations/{id}/campaigns/{id}/archive",
	    api_campaigns_archive),
	ORGA_ROUTE("POST", "/api/organizations/{id}/campaigns/{id}/unarchive",
	    api_campaigns_unarchive),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}/participants",
	    api_campaigns_participants),
	ORGA_ROUTE("GET",
	    "/api/organizations/{id}/campaigns/{id}/participants/export",
	    api_campaigns_export),
	ORGA_ROUTE_END,
};

/* The caller (session), member of the school (else 404); NULL after
 * answering. */
static const orga_session *
api_campaigns_caller_or_reply(orga_req *req, orga_role *role)
{
	const orga_session *s = orga_caller_session_or_reply(req);

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], role))
		return NULL;
	return s;
}

static void
api_campaigns_not_found(orga_req *req)
{
	orga_http_reply_error(req, 404, "CAMPAIGN_NOT_FOUND", NULL,
	    "Cette campagne est introuvable.");
}

/* The refusals of edit, archive and restore. */
static void
api_campaigns_refused(orga_req *req, com_err rv)
{
	if (rv == COM_ENOTFOUND)
		api_campaigns_not_found(req);
	else if (rv == COM_EPERM)
		orga_http_reply_error(req, 403, "FORBIDDEN", NULL,
		    "Seuls le propriétaire de la campagne et les "
		    "administrateurs de l'établissement peuvent la modifier "
		    "ou l'archiver.");
	else if (rv == COM_EINVAL)
		orga_http_reply_error(req, 422, "OWNER_UNKNOWN", "ownerId",
		    "Le propriétaire choisi n'est pas membre de "
		    "l'établissement.");
	else if (rv == COM_EBUSY)
		orga_http_reply_error(req, 409, "CONCURRENT_CHANGE", NULL,
		    "La campagne vient d'être modifiée par ailleurs. Rechargez "
		    "la page puis réessayez.");
	else
		orga_http_reply_internal(req, rv, "campaign change");
}

/* --- JSON -------------------------------------------------------------- */

/* api_campaigns_parcours: {"id","name"} of an assessment's parcours, or
 * null (none, or its version cannot be read: logged). */
static json_t *
api_campaigns_parcours(orga_req *req, const orga_campaign *c)
{
	const orga_content_parcours *p;
	const orga_content *content;

	if (c->parcours_id[0] == '\0' ||
	    orga_parcours_of(req->app->content, req->db, c->content_version_id,
	        c->parcours_id, &content, &p) != COM_OK)
		return json_null();
	return json_pack("{s:s,s:s,s:s}", "id", p->id, "name", p->name,
	    "description", p->description);
}

/* api_campaigns_json: one campaign; with_text adds the landing text. */
static json_t *
api_campaigns_json(orga_req *req, const orga_campaign *c, int64_t caller,
    orga_role role, bool with_text)
{
	char url[700];
	json_t *o;

	snprintf(url, sizeof(url), "%s/campagnes/%s", req->app->public_url,
	    c->code);
	o = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s,s:{s:I,s:s,s:s},s:I,s:s,"
	              "s:s?,s:b,s:{s:I,s:I},s:b}",
	    "id", (json_int_t)c->id, "code", c->code, "name", c->name,
	    "type", c->type, "externalIdLabel",
	    c->external_id_label[0] != '\0' ? c->external_id_label : NULL,
	    "url", url, "owner", "id", (json_int_t)c->owner_id, "firstName",
	    c->owner_first_name, "lastName", c->owner_last_name, "creatorId",
	    (json_int_t)c->creator_id, "createdAt", c->created_at,
	    "archivedAt", c->archived_at[0] != '\0' ? c->archived_at : NULL,
	    "archived", c->archived_at[0] != '\0', "participants", "total",
	    (json_int_t)c->participants, "shared", (json_int_t)c->shared,
	    "canEdit", role == ORGA_ROLE_ADMIN || c->owner_id == caller);
	if (o != NULL && json_object_set_new(o, "targetProfile",
	        api_campaigns_parcours(req, c)) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o != NULL && with_text &&
	    json_object_set_new(o, "landingText",
	        json_string(c->landing_text)) != 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* api_campaigns_reply_one loads campaign id and answers it with status. */
static void
api_campaigns_reply_one(orga_req *req, unsigned status, int64_t id,
    int64_t caller, orga_role role)
{
	orga_campaign_rows rows = {0};
	orga_campaign c;
	json_t *body;
	com_err rv;

	rv = orga_campaign_get(req->db, req->ids[0], id, &rows);
	if (rv == COM_ENOTFOUND) {
		api_campaigns_not_found(req);
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "campaign get");
		return;
	}
	orga_campaign_row(&rows, 0, &c);
	body = api_campaigns_json(req, &c, caller, role, true);
	orga_campaign_rows_fini(&rows);
	orga_http_reply_json(req, status, body);
}

/* --- the form ---------------------------------------------------------- */

/*
 * api_campaigns_text reads in[key]: absent (*present false), null or a
 * string without NUL (*out, NULL for null). false: any other value.
 */
static bool
api_campaigns_text(const json_t *in, const char *key, bool *present,
    const char **out)
{
	const json_t *v = json_object_get(in, key);

	*present = v != NULL;
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return false;
	*out = json_string_value(v);
	return true;
}

/* api_campaigns_owner reads ownerId: a positive integer or its decimal
 * text; absent or null is 0. false when malformed. */
static bool
api_campaigns_owner(const json_t *in, int64_t *out)
{
	const json_t *v = json_object_get(in, "ownerId");
	const char *s;

	*out = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return *out > 0;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	if (s[0] == '\0')
		return true;
	return orga_http_parse_id(s, strlen(s), out) == COM_OK;
}

static json_t *
api_campaigns_error_item(const char *code, const char *field,
    const char *label)
{
	char message[200];

	snprintf(message, sizeof(message), "Le champ « %s » n'est pas "
	    "valide.", label);
	return orga_http_error_item(code, field, message);
}

/*
 * api_campaigns_form_or_reply reads and checks the body into f (strings
 * borrowed from the request's JSON). false after answering 400 / 422
 * with every fault.
 */
static bool
api_campaigns_form_or_reply(orga_req *req, bool creating,
    orga_campaign_fields *f)
{
	orga_campaign_problem p[ORGA_CAMPAIGN_PROBLEMS_MAX];
	const json_t *in = orga_req_json_or_reply(req);
	json_t *errors;
	bool has_name, has_type;
	int n;

	if (in == NULL)
		return false;
	memset(f, 0, sizeof(*f));
	errors = json_array();
	if (errors == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "campaign form");
		return false;
	}
	if (!api_campaigns_text(in, "name", &has_name, &f->name))
		json_array_append_new(errors, api_campaigns_error_item(
		    "FIELD_INVALID", "name", "Nom de la campagne"));
	if (!api_campaigns_text(in, "type", &has_type, &f->type))
		json_array_append_new(errors, api_campaigns_error_item(
		    "FIELD_INVALID", "type", "Type de la campagne"));
	if (!api_campaigns_text(in, "externalIdLabel", &f->set_label,
	        &f->external_id_label))
		json_array_append_new(errors, api_campaigns_error_item(
		    "FIELD_INVALID", "externalIdLabel",
		    "Libellé de l'identifiant du participant"));
	if (!api_campaigns_text(in, "landingText", &f->set_landing,
	        &f->landing_text))
		json_array_append_new(errors, api_campaigns_error_item(
		    "FIELD_INVALID", "landingText",
		    "Texte de la page d'accueil"));
	if (!api_campaigns_owner(in, &f->owner_id))
		json_array_append_new(errors, api_campaigns_error_item(
		    "FIELD_INVALID", "ownerId", "Propriétaire"));
	if (has_name && f->name == NULL && !creating)
		f->name = "";   /* null: an empty name, refused below */
	if (json_array_size(errors) == 0) {
		n = orga_campaign_check(f, creating, p);
		for (int i = 0; i < n; i++)
			json_array_append_new(errors, orga_http_error_item(
			    p[i].code, p[i].field, p[i].message));
	}
	if (json_array_size(errors) == 0) {
		json_decref(errors);
		return true;
	}
	orga_http_reply_errors(req, 422, errors);
	return false;
}

/* --- handlers ---------------------------------------------------------- */

/* api_campaigns_choice reads ?name=a|b: 0 for a (or absent), 1 for b,
 * -1 after answering 400 FIELD_INVALID. */
static int
api_campaigns_choice(orga_req *req, const char *name, const char *a,
    const char *b)
{
	const char *v = orga_req_query(req, name);

	if (v == NULL || v[0] == '\0' || strcmp(v, a) == 0)
		return 0;
	if (strcmp(v, b) == 0)
		return 1;
	orga_http_reply_error(req, 400, "FIELD_INVALID", name,
	    "Le paramètre « %s » doit valoir « %s » ou « %s ».", name, a, b);
	return -1;
}

static void
api_campaigns_list(orga_req *req)
{
	orga_campaign_rows rows = {0};
	const orga_session *s;
	orga_role role;
	int mine, archived;
	json_t *arr;
	com_err rv;

	s = api_campaigns_caller_or_reply(req, &role);
	if (s == NULL)
		return;
	mine = api_campaigns_choice(req, "owner", "all", "me");
	if (mine < 0)
		return;
	archived = api_campaigns_choice(req, "status", "active", "archived");
	if (archived < 0)
		return;
	rv = orga_campaign_list(req->db, req->ids[0], s->user_id, mine == 1,
	    archived == 1, &rows);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "campaign list");
		return;
	}
	arr = json_array();
	for (int i = 0; arr != NULL && i < rows.count; i++) {
		orga_campaign c;

		orga_campaign_row(&rows, i, &c);
		if (json_array_append_new(arr, api_campaigns_json(req, &c,
		        s->user_id, role, false)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	orga_campaign_rows_fini(&rows);
	orga_http_reply_json(req, 200,
	    arr != NULL ? json_pack("{s:o}", "campaigns", arr) : NULL);
}

/*
 * api_campaigns_parcours_or_reply reads targetProfileId (an assessment's
 * parcours, from the newest content version) into f; false after
 * answering 422.
 */
static bool
api_campaigns_parcours_or_reply(orga_req *req, orga_campaign_fields *f)
{
	const json_t *v = json_object_get(req->json, "targetProfileId");
	const char *id = json_string_value(v);
	com_err rv;

	if (v == NULL || json_is_null(v) || (id != NULL && id[0] == '\0'))
		return true;
	if (id == NULL || f->type == NULL || strcmp(f->type, "ASSESSMENT") != 0) {
		orga_http_reply_error(req, 422, "FIELD_INVALID",
		    "targetProfileId", "Seule une campagne « Évaluer les "
		    "participants » a un parcours.");
		return false;
	}
	rv = orga_parcours_resolve(req->app->content, req->db, id,
	    &f->content_version_id);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 422, "FIELD_INVALID",
		    "targetProfileId", "Ce parcours n'existe pas : choisissez "
		    "un des parcours proposés.");
		return false;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "parcours");
		return false;
	}
	f->parcours_id = id;
	return true;
}

static void
api_campaigns_create(orga_req *req)
{
	orga_campaign_fields f;
	const orga_session *s;
	orga_role role;
	int64_t id;
	com_err rv;

	s = api_campaigns_caller_or_reply(req, &role);
	if (s == NULL || !api_campaigns_form_or_reply(req, true, &f) ||
	    !api_campaigns_parcours_or_reply(req, &f))
		return;
	rv = orga_campaign_create(req->db, req->ids[0], s->user_id, &f, &id);
	if (rv == COM_EINVAL) {
		api_campaigns_refused(req, rv);
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "campaign create");
		return;
	}
	api_campaigns_reply_one(req, 201, id, s->user_id, role);
}

static void
api_campaigns_show(orga_req *req)
{
	const orga_session *s;
	orga_role role;

	s = api_campaigns_caller_or_reply(req, &role);
	if (s != NULL)
		api_campaigns_reply_one(req, 200, req->ids[1], s->user_id,
		    role);
}

static void
api_campaigns_edit(orga_req *req)
{
	orga_campaign_fields f;
	const orga_session *s;
	orga_role role;
	com_err rv;

	s = api_campaigns_caller_or_reply(req, &role);
	if (s == NULL || !api_campaigns_form_or_reply(req, false, &f))
		return;
	rv = orga_campaign_edit(req->db, req->ids[0], req->ids[1], s->user_id,
	    &f);
	if (rv != COM_OK) {
		api_campaigns_refused(req, rv);
		return;
	}
	api_campaigns_reply_one(req, 200, req->ids[1], s->user_id, role);
}

static void
api_campaigns_set_archived(orga_req *req, bool archived)
{
	const orga_session *s;
	orga_role role;
	com_err rv;

	s = api_campaigns_caller_or_reply(req, &role);
	if (s == NULL)
		return;
	rv = orga_campaign_set_archived(req->db, req->ids[0], req->ids[1],
	    s->user_id, archived);
	if (rv != COM_OK) {
		api_campaigns_refused(req, rv);
		return;
	}
	api_campaigns_reply_one(req, 200, req->ids[1], s->user_id, role);
}

static void
api_campaigns_archive(orga_req *req)
{
	api_campaigns_set_archived(req, true);
}

static void
api_campaigns_unarchive(orga_req *req)
{
	api_campaigns_set_archived(req, false);
}

static json_t *
api_campaigns_participant_json(const orga_participant *p)
{
	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?}", "id",
	    (json_int_t)p->id, "learnerId",
	    p->learner_id > 0 ? json_integer(p->learner_id) : json_null(),
	    "lastName", p->last_name, "firstName", p->first_name, "class",
	    p->class_code, "status", p->status, "createdAt", p->created_at,
	    "sharedAt", p->shared_at[0] != '\0' ? p->shared_at : NULL,
	    "externalId", p->external_id[0] != '\0' ? p->external_id : NULL);
}

static void
api_campaigns_participants(orga_req *req)
{
	orga_campaign_rows camp = {0}, rows = {0};
	const char *cls = orga_req_query(req, "class");
	PGresult *classes = NULL;
	json_t *arr = NULL, *list = NULL;
	orga_role role;
	com_err rv;

	if (api_campaigns_caller_or_reply(req, &role) == NULL)
		return;
	if (cls != NULL && (!com_utf8_valid(cls, strlen(cls)) ||
	                       com_utf8_chars(cls, strlen(cls)) >
	                           API_CAMPAIGNS_CLASS_MAX)) {
		orga_http_reply_error(req, 400, "FIELD_INVALID", "class",
		    "Le paramètre « class » doit être un nom de classe de "
		    "%d caractères au plus.", API_CAMPAIGNS_CLASS_MAX);
		return;
	}
	rv = orga_campaign_get(req->db, req->ids[0], req->ids[1], &camp);
	orga_campaign_rows_fini(&camp);
	if (rv == COM_ENOTFOUND) {
		api_campaigns_not_found(req);
		return;
	}
	if (rv == COM_OK)
		rv = orga_campaign_participants(req->db, req->ids[0],
		    req->ids[1], cls, &rows);
	if (rv == COM_OK)
		rv = orga_campaign_classes(req->db, req->ids[0], req->ids[1],
		    &classes);
	if (rv != COM_OK) {
		orga_campaign_rows_fini(&rows);
		orga_http_reply_internal(req, rv, "campaign participants");
		return;
	}
	arr = json_array();
	list = json_array();
	for (int i = 0; arr != NULL && i < rows.count; i++) {
		orga_participant p;

		orga_participant_row(&rows, i, &p);
		if (json_array_append_new(arr,
		        api_campaigns_participant_json(&p)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	for (int i = 0; list != NULL && i < PQntuples(classes); i++) {
		if (json_array_append_new(list,
		        json_string(PQgetvalue(classes, i, 0))) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	PQclear(classes);
	if (arr == NULL || list == NULL) {
		json_decref(arr);
		json_decref(list);
		orga_campaign_rows_fini(&rows);
		orga_http_reply_internal(req, COM_ENOMEM, "participants json");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:o,s:I,s:o}", "participants", arr, "total",
	        (json_int_t)rows.count, "classes", list));
	orga_campaign_rows_fini(&rows);
}

/* api_campaigns_csv_reply answers the export body (taken) as a file. */
static void
api_campaigns_csv_reply(orga_req *req, const char *code, char *body,
    size_t len)
{
	struct MHD_Response *resp;
	char disposition[80];

	resp = body == NULL ? NULL : MHD_create_response_from_buffer(len,
	    body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		orga_http_reply_internal(req, COM_ENOMEM, "participants export");
		return;
	}
	/* The code is 6 capitals and 3 digits: safe in the header. */
	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"participants-%s.csv\"", code);
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/csv; charset=utf-8");
	(void)MHD_add_response_header(resp, "Content-Disposition",
	    disposition);
	orga_http_reply_response(req, 200, resp);
}

static void
api_campaigns_export(orga_req *req)
{
	orga_campaign_rows camp = {0}, rows = {0};
	orga_campaign c;
	orga_role role;
	com_buf out;
	size_t len;
	com_err rv;

	if (api_campaigns_caller_or_reply(req, &role) == NULL)
		return;
	com_buf_init(&out, API_CAMPAIGNS_CSV_MAX);
	rv = orga_campaign_get(req->db, req->ids[0], req->ids[1], &camp);
	if (rv == COM_ENOTFOUND) {
		api_campaigns_not_found(req);
		goto out;
	}
	if (rv == COM_OK)
		rv = orga_campaign_participants(req->db, req->ids[0],
		    req->ids[1], NULL, &rows);
	if (rv == COM_OK) {
		orga_campaign_row(&camp, 0, &c);
		rv = orga_participants_csv(&c, &rows, &out);
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "participants export");
		goto out;
	}
	len = out.len;
	api_campaigns_csv_reply(req, c.code, com_buf_steal(&out), len);
out:
	com_buf_fini(&out);
	orga_campaign_rows_fini(&rows);
	orga_campaign_rows_fini(&camp);
}
