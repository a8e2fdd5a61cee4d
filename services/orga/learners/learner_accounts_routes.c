/*
 * learner_accounts_routes.c - POST .../learners/accounts (identifiers for
 * a selection), .../learners/{id}/password-reset and .../unblock, for the
 * school's ADMINs (session only). The passwords are in this one answer,
 * with the CSV the page downloads (no-store, as every API answer).
 */
#include "learners/learner_accounts_routes.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/account_status.h"
#include "account/caller.h"
#include "buf.h"
#include "edge/http/http_reply.h"
#include "learners/learner_accounts.h"
#include "learners/learner_accounts_csv.h"
#include "log.h"
#include "utf8.h"

static void api_accounts_generate(orga_req *req);
static void api_accounts_reset(orga_req *req);
static void api_accounts_unblock(orga_req *req);

const orga_route orga_learner_accounts_routes[] = {
	ORGA_ROUTE("POST", "/api/organizations/{id}/learners/accounts",
	    api_accounts_generate),
	ORGA_ROUTE("POST",
	    "/api/organizations/{id}/learners/{id}/password-reset",
	    api_accounts_reset),
	ORGA_ROUTE("POST", "/api/organizations/{id}/learners/{id}/unblock",
	    api_accounts_unblock),
	ORGA_ROUTE_END,
};

/* Most ids one request may name (a page is at most 200). */
#define API_ACCOUNTS_IDS_MAX 1000

/* The ADMIN's session, or NULL after answering 401, 403 or 404. */
static const orga_session *
api_accounts_admin_or_reply(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_role role;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return NULL;
	if (role != ORGA_ROLE_ADMIN) {
		orga_http_reply_error(req, 403, "FORBIDDEN", NULL,
		    "Seul un administrateur de l'établissement peut gérer les "
		    "comptes des élèves.");
		return NULL;
	}
	return s;
}

static const char *
api_skip_reason(orga_learner_skip_reason r)
{
	switch (r) {
	case ORGA_LEARNER_SKIP_GAR:
		return "GAR";
	case ORGA_LEARNER_SKIP_EMAIL:
		return "EMAIL";
	case ORGA_LEARNER_SKIP_GONE:
		return "GONE";
	default:
		return "NO_ACCOUNT";
	}
}

/* The answer: accounts, skips, the CSV and its name, the login page. */
static json_t *
api_accounts_json(orga_req *req, const orga_learner_accounts *a,
    const orga_org *org)
{
	char name[64], url[600];
	json_t *list = json_array(), *skips = json_array(), *body = NULL;
	int created = 0;
	com_buf csv;

	com_buf_init(&csv, 16u * 1024u * 1024u);
	if (list == NULL || skips == NULL)
		goto out;
	for (int i = 0; i < a->count; i++) {
		const orga_learner_credential *c = &a->list[i];

		created += c->created;
		if (json_array_append_new(list, json_pack(
		        "{s:I,s:I,s:b,s:s,s:s,s:s,s:s,s:s}", "learnerId",
		        (json_int_t)c->learner_id, "userId",
		        (json_int_t)c->user_id, "created", c->created, "class",
		        c->class_code, "lastName", c->last_name, "firstName",
		        c->first_name, "identifier", c->login, "password",
		        c->password)) != 0)
			goto out;
	}
	for (int i = 0; i < a->nskips; i++)
		if (json_array_append_new(skips, json_pack("{s:I,s:s,s:s,s:s}",
		        "learnerId", (json_int_t)a->skips[i].learner_id,
		        "lastName", a->skips[i].last_name, "firstName",
		        a->skips[i].first_name, "reason",
		        api_skip_reason(a->skips[i].reason))) != 0)
			goto out;
	if (orga_learner_accounts_csv(a, &csv) != COM_OK ||
	    orga_learner_accounts_csv_name(time(NULL), name, sizeof(name)) !=
	        COM_OK)
		goto out;
	snprintf(url, sizeof(url), "%s/connexion", req->app->public_url);
	body = json_pack("{s:o,s:o,s:i,s:i,s:s,s:s,s:s,s:{s:s,s:s}}",
	    "accounts", list, "skipped", skips, "created", created, "reset",
	    a->count - created, "csv", com_buf_str(&csv), "csvFilename", name,
	    "loginUrl", url, "organization", "name", org->name, "uai",
	    org->uai);
	list = skips = NULL;
out:
	/* The CSV holds the passwords. */
	if (csv.data != NULL)
		memset(csv.data, 0, csv.len);
	com_buf_fini(&csv);
	json_decref(list);
	json_decref(skips);
	return body;
}

/* Answers a refused generation; false when rv is not a refusal. */
static bool
api_accounts_refused(orga_req *req, com_err rv)
{
	switch (rv) {
	case COM_ENOTFOUND:
		orga_http_reply_error(req, 404, "LEARNER_NOT_FOUND", NULL,
		    "Un des élèves choisis n'existe pas dans cet établissement : "
		    "aucun compte n'a été créé. Rechargez la liste puis "
		    "réessayez.");
		return true;
	case COM_EINVAL:
		orga_http_reply_error(req, 422, "SELECTION_EMPTY", NULL,
		    "Aucun élève de l'établissement ne correspond à ce choix.");
		return true;
	case COM_ETOOLARGE:
		orga_http_reply_error(req, 422, "TOO_MANY_LEARNERS", NULL,
		    "Vous pouvez générer au plus %d identifiants à la fois : "
		    "choisissez une classe.", ORGA_LEARNER_ACCOUNTS_MAX);
		return true;
	case COM_EBUSY:
		orga_http_reply_error(req, 409, "CONCURRENT_CHANGE", NULL,
		    "Une autre modification était en cours : aucun compte n'a "
		    "été créé. Réessayez.");
		return true;
	default:
		return false;
	}
}

/* Runs the generation and answers it. */
static void
api_accounts_run(orga_req *req, const orga_session *s,
    const orga_learner_selection *sel, bool reset_only)
{
	orga_learner_accounts a = {0};
	orga_org org;
	com_err rv;

	rv = orga_org_get(req->db, req->ids[0], &org);
	if (rv == COM_OK)
		rv = orga_learner_accounts_generate(req->db, req->ids[0],
		    s->user_id, sel, reset_only, &a);
	if (api_accounts_refused(req, rv))
		return;
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "learner accounts");
		return;
	}
	if (reset_only && a.count == 0) {
		orga_http_reply_error(req, 409, "LEARNER_NOT_IDENTIFIER", NULL,
		    "Cet élève ne se connecte pas avec un identifiant : son mot "
		    "de passe ne peut pas être réinitialisé ici.");
	} else {
		orga_http_reply_json(req, 200, api_accounts_json(req, &a, &org));
	}
	orga_learner_accounts_fini(&a);
}

/* Reads {learnerIds: [...]} | {class: "..."} | {all: true} into sel;
 * false after answering 422. ids is API_ACCOUNTS_IDS_MAX long. */
static bool
api_accounts_selection(orga_req *req, const json_t *in, int64_t *ids,
    orga_learner_selection *sel)
{
	const json_t *list = json_object_get(in, "learnerIds");
	const json_t *cls = json_object_get(in, "class");
	const json_t *all = json_object_get(in, "all");
	int given = (list != NULL) + (cls != NULL) + (all != NULL);
	size_t i;
	json_t *v;

	memset(sel, 0, sizeof(*sel));
	if (given != 1 || (all != NULL && !json_is_true(all))) {
		orga_http_reply_error(req, 422, "SELECTION_INVALID", NULL,
		    "Choisissez des élèves (learnerIds), une classe (class) "
		    "ou tous les élèves (all).");
		return false;
	}
	if (cls != NULL) {
		const char *c = json_string_value(cls);

		if (c == NULL || c[0] == '\0' ||
		    !com_utf8_valid(c, strlen(c)) || strlen(c) > 400) {
			orga_http_reply_error(req, 422, "FIELD_INVALID", "class",
			    "La classe choisie n'est pas valide.");
			return false;
		}
		sel->class_code = c;
		return true;
	}
	if (all != NULL)
		return true;
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > API_ACCOUNTS_IDS_MAX) {
		orga_http_reply_error(req, 422, "FIELD_INVALID", "learnerIds",
		    "Choisissez de 1 à %d élèves.", API_ACCOUNTS_IDS_MAX);
		return false;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			orga_http_reply_error(req, 422, "FIELD_INVALID",
			    "learnerIds", "Les élèves sont désignés par leurs "
			    "identifiants numériques.");
			return false;
		}
		ids[i] = (int64_t)json_integer_value(v);
	}
	sel->ids = ids;
	sel->nids = (int)json_array_size(list);
	return true;
}

static void
api_accounts_generate(orga_req *req)
{
	const orga_session *s = api_accounts_admin_or_reply(req);
	orga_learner_selection sel;
	int64_t *ids;
	json_t *in;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	ids = orga_req_alloc(req, API_ACCOUNTS_IDS_MAX * sizeof(*ids));
	if (ids == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "learner accounts");
		return;
	}
	if (!api_accounts_selection(req, in, ids, &sel))
		return;
	api_accounts_run(req, s, &sel, false);
}

static void
api_accounts_reset(orga_req *req)
{
	const orga_session *s = api_accounts_admin_or_reply(req);
	orga_learner_selection sel = {&req->ids[1], 1, NULL};

	if (s == NULL)
		return;
	api_accounts_run(req, s, &sel, true);
}

static void
api_accounts_unblock(orga_req *req)
{
	const orga_session *s = api_accounts_admin_or_reply(req);
	com_err rv;

	if (s == NULL)
		return;
	rv = orga_account_unblock_learner(req->db, req->ids[0], s->user_id,
	    req->ids[1]);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "LEARNER_NOT_FOUND", NULL,
		    "Cet élève n'existe pas dans cet établissement.");
		return;
	}
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "LEARNER_NOT_LINKED", NULL,
		    "Aucun compte n'est rattaché à cet élève.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "unblock");
		return;
	}
	orga_http_reply_json(req, 200, json_object());
}
