/*
 * results_routes.c - what members of a school read of its campaigns'
 * assessments: GET target-profiles, …/activity, …/results,
 * …/results/{participation} and …/results.csv (streamed from a cursor on
 * a connection of its own, never held whole). Anyone outside the school
 * gets 404 ORGANIZATION_NOT_FOUND, another school's campaign 404
 * CAMPAIGN_NOT_FOUND.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "account/caller.h"
#include "assessment/campaign_results.h"
#include "assessment/parcours.h"
#include "assessment/results_routes.h"
#include "assessment/scoring.h"
#include "campaigns/campaign.h"
#include "campaigns/linking.h"
#include "edge/http/http_reply.h"
#include "log.h"

static void api_results_profiles(orga_req *req);
static void api_results_activity(orga_req *req);
static void api_results_list(orga_req *req);
static void api_results_one(orga_req *req);
static void api_results_csv(orga_req *req);

const orga_route orga_results_routes[] = {
	ORGA_ROUTE("GET", "/api/organizations/{id}/target-profiles",
	    api_results_profiles),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}/activity",
	    api_results_activity),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}/results",
	    api_results_list),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}/results/{id}",
	    api_results_one),
	ORGA_ROUTE("GET", "/api/organizations/{id}/campaigns/{id}/results.csv",
	    api_results_csv),
	ORGA_ROUTE_END,
};

/* The export's buffer: one batch of rows fits. */
#define API_RESULTS_CSV_BUF (4u * 1024u * 1024u)

/* The campaign of the path, its parcours (c NULL for none), checked. */
typedef struct api_results_ctx {
	orga_campaign_rows rows;
	orga_campaign campaign;
	const orga_content *content;
	const orga_content_parcours *parcours;
} api_results_ctx;

static void
api_results_ctx_free(void *p)
{
	api_results_ctx *x = p;

	orga_campaign_rows_fini(&x->rows);
}

/*
 * api_results_campaign_or_reply checks that the caller is a member of the
 * school of the path and loads its campaign; NULL after answering.
 */
static api_results_ctx *
api_results_campaign_or_reply(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	api_results_ctx *x;
	orga_role role;
	com_err rv;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return NULL;
	x = orga_req_alloc(req, sizeof(*x));
	if (x == NULL || orga_req_defer(req, api_results_ctx_free, x) != COM_OK) {
		orga_http_reply_internal(req, COM_ENOMEM, "results");
		return NULL;
	}
	rv = orga_campaign_get(req->db, req->ids[0], req->ids[1], &x->rows);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "CAMPAIGN_NOT_FOUND", NULL,
		    "Cette campagne n'existe pas dans cet établissement.");
		return NULL;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "campaign");
		return NULL;
	}
	orga_campaign_row(&x->rows, 0, &x->campaign);
	if (x->campaign.parcours_id[0] != '\0') {
		rv = orga_parcours_of(req->app->content, req->db,
		    x->campaign.content_version_id, x->campaign.parcours_id,
		    &x->content, &x->parcours);
		if (rv != COM_OK) {
			orga_http_reply_internal(req, rv, "campaign parcours");
			return NULL;
		}
	}
	return x;
}

static void
api_results_profiles(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	const orga_content *c;
	orga_role role;
	int64_t version;
	json_t *list;
	com_err rv;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return;
	list = json_array();
	rv = orga_parcours_latest(req->app->content, req->db, &version, &c);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_json(req, 200,
		    json_pack("{s:o}", "targetProfiles", list));
		return;
	}
	if (rv != COM_OK) {
		json_decref(list);
		orga_http_reply_internal(req, rv, "target profiles");
		return;
	}
	for (size_t i = 0; list != NULL && i < c->nparcours; i++)
		if (json_array_append_new(list,
		        orga_parcours_json(c, &c->parcours[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	orga_http_reply_json(req, 200,
	    list != NULL ? json_pack("{s:o}", "targetProfiles", list) : NULL);
}

static json_int_t
api_results_int(const PGresult *res, int row, int col)
{
	int64_t v;

	return com_db_i64(res, row, col, &v) == COM_OK ? (json_int_t)v : 0;
}

static void
api_results_activity(orga_req *req)
{
	api_results_ctx *x = api_results_campaign_or_reply(req);
	PGresult *counts = NULL, *days = NULL;
	json_t *list;
	com_err rv;

	if (x == NULL)
		return;
	rv = orga_results_activity(req->db, req->ids[0], req->ids[1], &counts,
	    &days);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "activity");
		return;
	}
	list = json_array();
	for (int i = 0; list != NULL && i < PQntuples(days); i++)
		if (json_array_append_new(list, json_pack("{s:s,s:I,s:I}", "date",
		        com_db_value(days, i, 0), "started",
		        api_results_int(days, i, 1), "shared",
		        api_results_int(days, i, 2))) != 0) {
			json_decref(list);
			list = NULL;
		}
	orga_http_reply_json(req, 200, list == NULL ? NULL
	    : json_pack("{s:{s:I,s:I,s:I},s:o}", "counts", "STARTED",
	        api_results_int(counts, 0, 0), "TO_SHARE",
	        api_results_int(counts, 0, 1), "SHARED",
	        api_results_int(counts, 0, 2), "days", list));
	PQclear(counts);
	PQclear(days);
}

/* api_results_participant: one row as JSON; competences and topics are
 * the stored JSON (null until shared). */
static json_t *
api_results_participant(const PGresult *res, int i, bool topics)
{
	const char *mastery = com_db_value(res, i, ORGA_RESULTS_COL_MASTERY);
	const char *comps = com_db_value(res, i, ORGA_RESULTS_COL_COMPETENCES);
	const char *tops = com_db_value(res, i, ORGA_RESULTS_COL_TOPICS);
	const char *shared = com_db_value(res, i, ORGA_RESULTS_COL_SHARED);
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:o}", "id",
	    api_results_int(res, i, ORGA_RESULTS_COL_ID), "lastName",
	    com_db_value(res, i, ORGA_RESULTS_COL_LAST), "firstName",
	    com_db_value(res, i, ORGA_RESULTS_COL_FIRST), "class",
	    com_db_value(res, i, ORGA_RESULTS_COL_CLASS), "status",
	    com_db_value(res, i, ORGA_RESULTS_COL_STATUS), "createdAt",
	    com_db_value(res, i, ORGA_RESULTS_COL_CREATED), "sharedAt",
	    shared[0] != '\0' ? shared : NULL, "mastery",
	    mastery[0] != '\0' ? json_integer(api_results_int(res, i,
	                             ORGA_RESULTS_COL_MASTERY))
	                       : json_null(),
	    "competences",
	    comps[0] != '\0' ? json_loads(comps, 0, NULL) : json_null());
	if (o != NULL && topics &&
	    json_object_set_new(o, "topics",
	        tops[0] != '\0' ? json_loads(tops, 0, NULL) : json_null()) != 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *
api_results_competences(const api_results_ctx *x)
{
	json_t *p;
	json_t *list;

	if (x->parcours == NULL)
		return json_array();
	p = orga_parcours_json(x->content, x->parcours);
	list = json_incref(json_object_get(p, "competences"));
	json_decref(p);
	return list;
}

static void
api_results_list(orga_req *req)
{
	api_results_ctx *x = api_results_campaign_or_reply(req);
	const char *class_code = orga_req_query(req, "class");
	const char *status = orga_req_query(req, "status");
	json_int_t bands[10] = {0};
	json_t *list, *dist;
	long long sum = 0;
	int shared = 0;
	PGresult *res;
	com_err rv;

	if (x == NULL)
		return;
	if ((class_code != NULL && strlen(class_code) > 100) ||
	    (status != NULL && status[0] != '\0' &&
	        strcmp(status, "STARTED") != 0 &&
	        strcmp(status, "TO_SHARE") != 0 && strcmp(status, "SHARED") != 0)) {
		orga_http_reply_error(req, 400, "FIELD_INVALID",
		    class_code != NULL && strlen(class_code) > 100 ? "class"
		                                                   : "status",
		    "Filtre invalide.");
		return;
	}
	rv = orga_results_list(req->db, req->ids[0], req->ids[1], class_code,
	    status, &res);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "results");
		return;
	}
	list = json_array();
	for (int i = 0; list != NULL && i < PQntuples(res); i++) {
		const char *m = com_db_value(res, i, ORGA_RESULTS_COL_MASTERY);

		if (m[0] != '\0') {
			json_int_t v = api_results_int(res, i, ORGA_RESULTS_COL_MASTERY);

			sum += v;
			shared++;
			bands[v >= 100 ? 9 : v / 10]++;
		}
		if (json_array_append_new(list,
		        api_results_participant(res, i, false)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	PQclear(res);
	dist = json_array();
	for (int b = 0; dist != NULL && b < 10; b++)
		json_array_append_new(dist, json_pack("{s:i,s:i,s:I}", "from",
		    b * 10, "to", b == 9 ? 100 : b * 10 + 9, "count", bands[b]));
	orga_http_reply_json(req, 200, list == NULL || dist == NULL ? NULL
	    : json_pack("{s:o,s:o,s:o,s:i,s:i,s:o}", "participants", list,
	        "competences", api_results_competences(x), "average",
	        shared > 0 ? json_integer((sum + shared / 2) / shared)
	                   : json_null(),
	        "total", (int)json_array_size(list), "shared", shared,
	        "distribution", dist));
}

static void
api_results_one(orga_req *req)
{
	api_results_ctx *x = api_results_campaign_or_reply(req);
	PGresult *res;
	json_t *o;
	com_err rv;

	if (x == NULL)
		return;
	rv = orga_results_one(req->db, req->ids[0], req->ids[1], req->ids[2],
	    &res);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "PARTICIPATION_NOT_FOUND", NULL,
		    "Ce participant n'existe pas dans cette campagne.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "participant results");
		return;
	}
	o = api_results_participant(res, 0, true);
	PQclear(res);
	if (o != NULL) {
		json_t *comps = json_object_get(o, "competences");

		for (size_t i = 0; i < json_array_size(comps); i++) {
			json_t *k = json_array_get(comps, i);

			json_object_set_new(k, "levelText",
			    json_string(orga_scoring_level_words((unsigned)
			        json_integer_value(json_object_get(k, "level")))));
		}
	}
	orga_http_reply_json(req, 200,
	    o != NULL ? json_pack("{s:o}", "participant", o) : NULL);
}

/* --- CSV ---------------------------------------------------------------- */

/* The export in flight: its own connection, held until the response is
 * freed, and the strings its head points to. */
typedef struct api_results_stream {
	com_db_pool *pool;
	PGconn *db;
	orga_results_export *x;
	com_buf buf;
	size_t sent;              /* bytes of buf already handed out */
	bool done, failed;
	char school[ORGA_NAME_MAX], campaign[ORGA_NAME_MAX], code[16];
	const char *codes[ORGA_CONTENT_COMPETENCES];
	const char *titles[ORGA_CONTENT_COMPETENCES];
	char title_text[ORGA_CONTENT_COMPETENCES][320];
	uint64_t number;
} api_results_stream;

static void
api_results_stream_free(void *cls)
{
	api_results_stream *st = cls;

	orga_results_export_close(st->x);
	if (st->db != NULL)
		com_db_pool_release(st->pool, st->db);
	com_buf_fini(&st->buf);
	free(st);
}

static ssize_t
api_results_stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	api_results_stream *st = cls;
	size_t n;

	(void)pos;
	while (st->sent == st->buf.len) {
		com_err rv;

		if (st->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		com_buf_reset(&st->buf);
		st->sent = 0;
		rv = orga_results_export_next(st->x, &st->buf, &st->done);
		if (rv != COM_OK) {
			com_log_err("req=%llu: results export failed: %s",
			    (unsigned long long)st->number, com_strerror(rv));
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	n = st->buf.len - st->sent;
	if (n > max)
		n = max;
	memcpy(out, st->buf.data + st->sent, n);
	st->sent += n;
	return (ssize_t)n;
}

/* api_results_stream_head fills the head from the campaign and school. */
static void
api_results_stream_head(api_results_stream *st, const api_results_ctx *x,
    const orga_org *org, orga_results_export_head *head)
{
	size_t n = 0;

	snprintf(st->school, sizeof(st->school), "%s", org->name);
	snprintf(st->campaign, sizeof(st->campaign), "%s", x->campaign.name);
	snprintf(st->code, sizeof(st->code), "%s", x->campaign.code);
	memset(head, 0, sizeof(*head));
	head->school = st->school;
	head->campaign = st->campaign;
	head->code = st->code;
	head->mastery = x->parcours != NULL;
	if (x->parcours != NULL) {
		bool covered[ORGA_CONTENT_COMPETENCES] = {false};

		for (size_t i = 0; i < x->parcours->nskills; i++) {
			size_t t = x->content->skills[x->parcours->skills[i]].topic;
			size_t k = x->content->topics[t].competence;

			if (k < ORGA_CONTENT_COMPETENCES)
				covered[k] = true;
		}
		for (size_t k = 0; k < x->content->ncompetences &&
		     k < ORGA_CONTENT_COMPETENCES; k++) {
			if (!covered[k])
				continue;
			snprintf(st->title_text[n], sizeof(st->title_text[n]),
			    "Niveau %s %s", x->content->competences[k].code,
			    x->content->competences[k].name);
			st->codes[n] = x->content->competences[k].code;
			st->titles[n] = st->title_text[n];
			n++;
		}
	} else {
		for (size_t k = 0; k < ORGA_CRCN_COUNT; k++) {
			snprintf(st->title_text[n], sizeof(st->title_text[n]),
			    "Niveau %s %s", orga_crcn[k].code, orga_crcn[k].name);
			st->codes[n] = orga_crcn[k].code;
			st->titles[n] = st->title_text[n];
			n++;
		}
	}
	head->codes = st->codes;
	head->titles = st->titles;
	head->ncodes = n;
}

static void
api_results_csv(orga_req *req)
{
	api_results_ctx *x = api_results_campaign_or_reply(req);
	orga_results_export_head head;
	struct MHD_Response *resp;
	api_results_stream *st;
	char disposition[120];
	orga_org org;
	com_err rv;

	if (x == NULL)
		return;
	rv = orga_org_get(req->db, req->ids[0], &org);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "school");
		return;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "export");
		return;
	}
	st->pool = req->app->db;
	st->number = req->number;
	com_buf_init(&st->buf, API_RESULTS_CSV_BUF);
	api_results_stream_head(st, x, &org, &head);
	rv = com_db_pool_acquire(st->pool, &st->db);
	if (rv == COM_OK)
		rv = orga_results_export_open(st->db, req->ids[0], req->ids[1],
		    &head, &st->x);
	if (rv != COM_OK) {
		api_results_stream_free(st);
		orga_http_reply_internal(req, rv, "export");
		return;
	}
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
	    api_results_stream_read, st, api_results_stream_free);
	if (resp == NULL) {
		api_results_stream_free(st);
		orga_http_reply_internal(req, COM_ENOMEM, "export");
		return;
	}
	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"resultats-%s.csv\"", x->campaign.code);
	MHD_add_response_header(resp, "Content-Type",
	    "text/csv; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	com_log_info("req=%llu: results export of campaign %lld",
	    (unsigned long long)req->number, (long long)req->ids[1]);
	orga_http_reply_response(req, 200, resp);
}
