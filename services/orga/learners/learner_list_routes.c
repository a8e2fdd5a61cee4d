/*
 * api_learners.c - GET /api/organizations/{id}/learners: one page of the
 * school's imported students, for any member (session or token).
 */
#include <stdlib.h>
#include <string.h>

#include "learners/learner_list_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "learners/learner_list.h"
#include "utf8.h"

static void api_learners_list(orga_req *req);

const orga_route orga_learner_list_routes[] = {
	ORGA_ROUTE("GET", "/api/organizations/{id}/learners",
	    api_learners_list),
	ORGA_ROUTE_END,
};

/* --- pure part ------------------------------------------------------- */

/* Reads a decimal in [min, max] with no sign nor leading zero. */
static bool
api_learners_number(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t len = strlen(s);

	if (len == 0 || len > 12 || (s[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Index of s in names (count entries); -1 when absent. */
static int
api_learners_pick(const char *s, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

com_err
orga_learner_args_parse(const orga_learner_args *in, orga_learner_query *q,
    int64_t *page, int *page_size, const char **field)
{
	static const char *const states[] = {"active", "gone", "all"};
	static const char *const sorts[] = {"lastName", "firstName",
	    "birthDate", "class"};
	static const char *const orders[] = {"asc", "desc"};
	static const char *const logins[] = {"NONE", "GAR", "EMAIL",
	    "IDENTIFIER"};
	orga_learner_query r;
	int64_t pg = 1, size = ORGA_LEARNERS_PAGE_SIZE;
	int i;

	memset(&r, 0, sizeof(r));
	r.search = in->search;
	r.class_code = in->class_code;
	if (in->search != NULL &&
	    (!com_utf8_valid(in->search, strlen(in->search)) ||
	        com_utf8_chars(in->search, strlen(in->search)) >
	            ORGA_LEARNERS_SEARCH_MAX)) {
		*field = "search";
		return COM_EINVAL;
	}
	if (in->class_code != NULL &&
	    (!com_utf8_valid(in->class_code, strlen(in->class_code)) ||
	        com_utf8_chars(in->class_code, strlen(in->class_code)) >
	            ORGA_LEARNERS_CLASS_MAX)) {
		*field = "class";
		return COM_EINVAL;
	}
	if (in->status != NULL) {
		i = api_learners_pick(in->status, states, 3);
		if (i < 0) {
			*field = "status";
			return COM_EINVAL;
		}
		r.state = i == 0 ? ORGA_LEARNERS_ACTIVE
		    : i == 1     ? ORGA_LEARNERS_GONE
		                 : ORGA_LEARNERS_ALL;
	}
	if (in->sort != NULL) {
		i = api_learners_pick(in->sort, sorts, 4);
		if (i < 0) {
			*field = "sort";
			return COM_EINVAL;
		}
		r.sort = i == 0 ? ORGA_SORT_LAST_NAME
		    : i == 1    ? ORGA_SORT_FIRST_NAME
		    : i == 2    ? ORGA_SORT_BIRTH_DATE
		                : ORGA_SORT_CLASS;
	}
	if (in->order != NULL) {
		i = api_learners_pick(in->order, orders, 2);
		if (i < 0) {
			*field = "order";
			return COM_EINVAL;
		}
		r.descending = i == 1;
	}
	if (in->login_method != NULL) {
		if (api_learners_pick(in->login_method, logins, 4) < 0) {
			*field = "loginMethod";
			return COM_EINVAL;
		}
		r.login_method = in->login_method;
	}
	if (in->page != NULL &&
	    !api_learners_number(in->page, 1, ORGA_LEARNERS_PAGE_MAX_NUMBER,
	        &pg)) {
		*field = "page";
		return COM_EINVAL;
	}
	if (in->page_size != NULL &&
	    !api_learners_number(in->page_size, 1,
	        ORGA_LEARNERS_PAGE_SIZE_MAX, &size)) {
		*field = "pageSize";
		return COM_EINVAL;
	}
	r.limit = (int)size;
	r.offset = (pg - 1) * size;
	*q = r;
	*page = pg;
	*page_size = (int)size;
	return COM_OK;
}

/* --- the route ----------------------------------------------------------- */

static const struct {
	const char *field;
	const char *message;
} api_learners_messages[] = {
	{"search", "La recherche doit être un texte d'au plus 100 "
	           "caractères."},
	{"class", "La classe demandée n'est pas valide."},
	{"status", "Le paramètre status doit valoir active, gone ou all."},
	{"sort", "Le tri doit se faire par lastName, firstName, birthDate "
	         "ou class."},
	{"order", "Le paramètre order doit valoir asc ou desc."},
	{"page", "Le numéro de page doit être un entier positif."},
	{"pageSize", "La taille de page doit être un entier de 1 à 200."},
	{"loginMethod", "Le paramètre loginMethod doit valoir NONE, GAR, "
	                "EMAIL ou IDENTIFIER."},
};

static void
api_learners_bad_arg(orga_req *req, const char *field)
{
	for (size_t i = 0; i < sizeof(api_learners_messages) /
	                           sizeof(api_learners_messages[0]);
	     i++) {
		if (strcmp(field, api_learners_messages[i].field) == 0) {
			orga_http_reply_error(req, 400, "FIELD_INVALID", field,
			    "%s", api_learners_messages[i].message);
			return;
		}
	}
	orga_http_reply_error(req, 400, "FIELD_INVALID", field,
	    "Un paramètre de la requête n'est pas valide.");
}

static json_t *
api_learner_json(const orga_learner *l)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s?,s:b,s:s?}",
	    "id", (json_int_t)l->id, "ine", l->ine, "lastName", l->last_name,
	    "usageName", l->usage_name, "firstName", l->first_name,
	    "birthDate", l->birth_date, "class", l->class_code, "active",
	    l->active, "linked", l->linked, "loginMethod",
	    l->login_method[0] != '\0' ? l->login_method : NULL, "blocked",
	    l->blocked, "identifier",
	    l->identifier[0] != '\0' ? l->identifier : NULL);
}

/* The page's rows and the school's classes as JSON arrays. */
static com_err
api_learners_arrays(const orga_learner_page *page, PGresult *classes,
    json_t **rows, json_t **names)
{
	json_t *a = json_array(), *c = json_array();
	orga_learner l;
	com_err rv = COM_OK;

	if (a == NULL || c == NULL)
		rv = COM_ENOMEM;
	for (int i = 0; rv == COM_OK && i < page->count; i++) {
		orga_learner_page_row(page, i, &l);
		if (json_array_append_new(a, api_learner_json(&l)) != 0)
			rv = COM_ENOMEM;
	}
	for (int i = 0; rv == COM_OK && i < PQntuples(classes); i++)
		if (json_array_append_new(c,
		        json_string(PQgetvalue(classes, i, 0))) != 0)
			rv = COM_ENOMEM;
	if (rv != COM_OK) {
		json_decref(a);
		json_decref(c);
		return rv;
	}
	*rows = a;
	*names = c;
	return COM_OK;
}

static void
api_learners_list(orga_req *req)
{
	orga_learner_page page = {0};
	orga_learner_args args;
	orga_learner_query q;
	PGresult *classes = NULL;
	json_t *rows, *names;
	const char *field = NULL;
	int64_t user_id, pg;
	orga_role role;
	int size;
	com_err rv;

	user_id = orga_caller_or_reply(req);
	if (user_id == 0 ||
	    !orga_caller_user_member_or_reply(req, user_id, req->ids[0], &role))
		return;
	args.search = orga_req_query(req, "search");
	args.class_code = orga_req_query(req, "class");
	args.status = orga_req_query(req, "status");
	args.sort = orga_req_query(req, "sort");
	args.order = orga_req_query(req, "order");
	args.page = orga_req_query(req, "page");
	args.page_size = orga_req_query(req, "pageSize");
	args.login_method = orga_req_query(req, "loginMethod");
	if (orga_learner_args_parse(&args, &q, &pg, &size, &field) !=
	    COM_OK) {
		api_learners_bad_arg(req, field);
		return;
	}
	rv = orga_learners_list(req->db, req->ids[0], &q, &page);
	if (rv == COM_OK)
		rv = orga_learners_classes(req->db, req->ids[0], &classes);
	if (rv == COM_OK)
		rv = api_learners_arrays(&page, classes, &rows, &names);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "learner list");
		goto out;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:o,s:I,s:I,s:i,s:o}", "learners", rows, "total",
	        (json_int_t)page.total, "page", (json_int_t)pg, "pageSize",
	        size, "classes", names));
out:
	PQclear(classes);
	orga_learner_page_fini(&page);
}
