/*
 * imports_routes.c - SIECLE imports over HTTP, for the school's ADMINs:
 * the streamed upload (POST .../imports), the job's state, confirm,
 * cancel; and for every member, when and by whom the list was last
 * imported (GET .../learners/last-import).
 * The importer daemon parses, validates and applies (imports.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learners/imports_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "learners/imports.h"
#include "log.h"
#include "notify.h"

static bool api_import_begin(orga_req *req);
static bool api_import_data(orga_req *req, const char *buf, size_t len);
static void api_import_end(orga_req *req);
static void api_import_abort(orga_req *req, const char *why);
static void api_import_current(orga_req *req);
static void api_import_get(orga_req *req);
static void api_import_confirm(orga_req *req);
static void api_import_cancel(orga_req *req);
static void api_import_last_done(orga_req *req);

static const orga_stream_ops api_import_upload = {
	api_import_begin, api_import_data, api_import_end, api_import_abort,
};

const orga_route orga_imports_routes[] = {
	{"POST", "/api/organizations/{id}/imports", NULL, ORGA_BODY_STREAM,
	    &api_import_upload},
	ORGA_ROUTE("GET", "/api/organizations/{id}/imports/current",
	    api_import_current),
	ORGA_ROUTE("GET", "/api/organizations/{id}/imports/{id}",
	    api_import_get),
	ORGA_ROUTE("POST", "/api/organizations/{id}/imports/{id}/confirm",
	    api_import_confirm),
	ORGA_ROUTE("POST", "/api/organizations/{id}/imports/{id}/cancel",
	    api_import_cancel),
	ORGA_ROUTE("GET", "/api/organizations/{id}/learners/last-import",
	    api_import_last_done),
	ORGA_ROUTE_END,
};

/* One upload in flight (req->stream_ctx). */
typedef struct api_upload {
	int64_t org_id;
	int64_t user_id;
	int64_t job_id;          /* 0 until the job exists */
	orga_upload_format format;
	bool auto_apply;
	int64_t bytes;           /* appended so far */
} api_upload;

/* --- pure parts -------------------------------------------------------- */

com_err
orga_upload_format_of(const char *content_type, orga_upload_format *out)
{
	static const struct {
		const char *type;
		orga_upload_format format;
	} types[] = {
		{"application/xml", ORGA_UPLOAD_XML},
		{"text/xml", ORGA_UPLOAD_XML},
		{"application/zip", ORGA_UPLOAD_ZIP},
		{"application/x-zip-compressed", ORGA_UPLOAD_ZIP},
		{"application/x-zip", ORGA_UPLOAD_ZIP},
		{"application/octet-stream", ORGA_UPLOAD_SNIFF},
	};

	if (content_type == NULL || content_type[0] == '\0') {
		*out = ORGA_UPLOAD_SNIFF;
		return COM_OK;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (orga_http_content_type_is(content_type, types[i].type)) {
			*out = types[i].format;
			return COM_OK;
		}
	}
	return COM_EINVAL;
}

bool
orga_upload_sniff_zip(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* --- the job as JSON --------------------------------------------------- */

/* Parses a JSON array text of the job (NULL: []); NULL on ENOMEM. */
static json_t *
api_import_array(const char *text)
{
	json_t *v;

	if (text == NULL)
		return json_array();
	v = json_loads(text, 0, NULL);
	if (v != NULL && !json_is_array(v)) {
		json_decref(v);
		v = NULL;
	}
	if (v == NULL) {
		com_log_warn("import: a stored message list is not an array");
		return json_array();
	}
	return v;
}

static json_t *
api_import_date(const char *iso)
{
	return iso[0] != '\0' ? json_string(iso) : json_null();
}

/* The job as the API shows it; NULL on ENOMEM. */
static json_t *
api_import_json(const orga_import_job *job)
{
	json_t *preview;

	if (job->to_add < 0)
		preview = json_null();
	else
		preview = json_pack("{s:I,s:I,s:I,s:I}", "toAdd",
		    (json_int_t)job->to_add, "toUpdate",
		    (json_int_t)job->to_update, "unchanged",
		    (json_int_t)job->unchanged, "toDeactivate",
		    (json_int_t)job->to_deactivate);
	return json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:o,s:{s:I,s:I,s:I},"
	                 "s:o,s:o,s:o,s:o,s:o}",
	    "id", (json_int_t)job->id, "status", job->status, "format",
	    job->format, "uploadBytes", (json_int_t)job->upload_bytes,
	    "progressBytes", (json_int_t)job->progress_bytes, "studentsRead",
	    (json_int_t)job->students_read, "preview", preview, "skipped",
	    "left", (json_int_t)job->skipped_left, "notArrived",
	    (json_int_t)job->skipped_not_arrived, "noClass",
	    (json_int_t)job->skipped_no_class, "errors",
	    api_import_array(job->errors), "skips",
	    api_import_array(job->skips), "createdAt",
	    api_import_date(job->created_at), "updatedAt",
	    api_import_date(job->updated_at), "finishedAt",
	    api_import_date(job->finished_at));
}

/* Loads job_id of org_id and answers status with it. */
static void
api_import_reply_job(orga_req *req, unsigned status, int64_t org_id,
    int64_t job_id)
{
	orga_import_job job;
	com_err rv;

	rv = orga_import_get(req->db, org_id, job_id, &job);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import get");
		return;
	}
	orga_http_reply_json(req, status, api_import_json(&job));
	orga_import_job_fini(&job);
}

/* --- who may --------------------------------------------------------- */

/*
 * The caller (session or token) must be an ADMIN of school ids[0].
 * Returns the user id, or 0 after answering (404 for outsiders, 403
 * FORBIDDEN for a MEMBER).
 */
static int64_t
api_import_admin_or_reply(orga_req *req)
{
	int64_t user_id = orga_caller_or_reply(req);
	orga_role role;

	if (user_id == 0 ||
	    !orga_caller_user_member_or_reply(req, user_id, req->ids[0], &role))
		return 0;
	if (role != ORGA_ROLE_ADMIN) {
		orga_http_reply_error(req, 403, "FORBIDDEN", NULL,
		    "Seuls les administrateurs de l'établissement peuvent "
		    "gérer les imports d'élèves.");
		return 0;
	}
	return user_id;
}

/* --- the upload ---------------------------------------------------------- */

/* Creates the job; false after answering (409 when one is running). */
static bool
api_upload_create(orga_req *req, api_upload *up, bool zip)
{
	PGconn *db = orga_req_db_or_reply(req);
	com_err rv;

	if (db == NULL)
		return false;
	rv = orga_import_begin(db, up->org_id, up->user_id, zip,
	    up->auto_apply, &up->job_id);
	if (rv == COM_EBUSY) {
		orga_http_reply_error(req, 409, "IMPORT_IN_PROGRESS", NULL,
		    "Un import est déjà en cours pour cet établissement ; "
		    "attendez qu'il se termine.");
		return false;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import begin");
		return false;
	}
	up->format = zip ? ORGA_UPLOAD_ZIP : ORGA_UPLOAD_XML;
	/* An importer parses the file as it arrives. */
	orga_notify_importer(req->app->notify);
	return true;
}

/* Ends the job with a French sentence; logs when even that fails. */
static void
api_upload_fail(orga_req *req, api_upload *up, const char *why)
{
	PGconn *db;
	com_err rv;

	if (up->job_id == 0)
		return;
	rv = orga_req_db(req, &db);
	if (rv == COM_OK)
		rv = orga_import_fail(db, up->job_id, why);
	if (rv != COM_OK && rv != COM_ECONFLICT)
		com_log_warn("import %" PRId64 ": could not mark failed: %s "
		    "(the next upload cancels it after 10 minutes)",
		    up->job_id, com_strerror(rv));
	else
		com_log_info("import %" PRId64 ": upload failed", up->job_id);
	up->job_id = 0;
}

static bool
api_import_begin(orga_req *req)
{
	const char *confirm = orga_req_query(req, "confirm");
	orga_upload_format format;
	api_upload *up;

	if ((confirm == NULL || confirm[0] == '\0') &&
	    orga_req_query_has(req, "confirm"))
		confirm = "true"; /* "?confirm" alone */
	up = orga_req_alloc(req, sizeof(*up));
	if (up == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "upload");
		return false;
	}
	up->org_id = req->ids[0];
	up->user_id = api_import_admin_or_reply(req);
	if (up->user_id == 0)
		return false;
	if (confirm != NULL &&
	    orga_http_parse_bool(confirm, &up->auto_apply) != COM_OK) {
		orga_http_reply_error(req, 400, "FIELD_INVALID", "confirm",
		    "Le paramètre confirm doit valoir true ou false.");
		return false;
	}
	if (orga_upload_format_of(orga_req_header(req, "Content-Type"),
	        &format) != COM_OK) {
		orga_http_reply_error(req, 415, "CONTENT_TYPE_INVALID", NULL,
		    "Le fichier doit être envoyé tel quel, en XML ou en zip "
		    "(Content-Type: application/xml ou application/zip).");
		return false;
	}
	if (req->content_length == 0) {
		orga_http_reply_error(req, 400, "FILE_EMPTY", NULL,
		    "Le fichier envoyé est vide.");
		return false;
	}
	/* A declared format makes the job now, so a busy school hears 409
	 * before sending its file; otherwise the first bytes decide. */
	if (format != ORGA_UPLOAD_SNIFF &&
	    !api_upload_create(req, up, format == ORGA_UPLOAD_ZIP))
		return false;
	up->format = format;
	req->stream_ctx = up;
	return true;
}

static bool
api_import_data(orga_req *req, const char *buf, size_t len)
{
	api_upload *up = req->stream_ctx;
	PGconn *db;
	com_err rv;

	if (up->job_id == 0 &&
	    !api_upload_create(req, up, orga_upload_sniff_zip(buf, len)))
		return false;
	db = orga_req_db_or_reply(req);
	if (db == NULL) {
		api_upload_fail(req, up, "L'envoi du fichier n'a pas pu être "
		    "enregistré. Réessayez dans quelques instants.");
		return false;
	}
	rv = orga_import_append(db, up->job_id, up->bytes, buf, len,
	    req->stream_max);
	if (rv == COM_OK) {
		up->bytes += (int64_t)len;
		/* The importer reading this upload waits for the chunk. */
		orga_notify_importer(req->app->notify);
		return true;
	}
	if (rv == COM_ECONFLICT) {
		up->job_id = 0; /* ended by someone else */
		orga_http_reply_error(req, 409, "IMPORT_CANCELLED", NULL,
		    "L'import a été annulé pendant l'envoi du fichier.");
		return false;
	}
	if (rv == COM_ETOOLARGE) {
		/* http.c counts first; only a smaller limit gets here. */
		api_upload_fail(req, up, "Le fichier est trop volumineux.");
		orga_http_reply_error(req, 413, "FILE_TOO_LARGE", NULL,
		    "Le fichier est trop volumineux.");
		return false;
	}
	api_upload_fail(req, up, "L'envoi du fichier n'a pas pu être "
	    "enregistré. Réessayez dans quelques instants.");
	orga_http_reply_internal(req, rv, "import append");
	return false;
}

static void
api_import_end(orga_req *req)
{
	api_upload *up = req->stream_ctx;
	PGconn *db;
	com_err rv;

	if (up->bytes == 0) {
		api_upload_fail(req, up, "Le fichier envoyé est vide.");
		orga_http_reply_error(req, 400, "FILE_EMPTY", NULL,
		    "Le fichier envoyé est vide.");
		return;
	}
	db = orga_req_db_or_reply(req);
	if (db == NULL) {
		api_upload_fail(req, up, "L'envoi du fichier n'a pas pu être "
		    "enregistré. Réessayez dans quelques instants.");
		return;
	}
	rv = orga_import_finish(db, up->job_id);
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "IMPORT_CANCELLED", NULL,
		    "L'import a été annulé pendant l'envoi du fichier.");
		return;
	}
	if (rv != COM_OK) {
		api_upload_fail(req, up, "L'envoi du fichier n'a pas pu être "
		    "enregistré. Réessayez dans quelques instants.");
		orga_http_reply_internal(req, rv, "import finish");
		return;
	}
	orga_notify_importer(req->app->notify);
	com_log_info("import %" PRId64 ": %" PRId64 " bytes received (%s%s)",
	    up->job_id, up->bytes,
	    up->format == ORGA_UPLOAD_ZIP ? "zip" : "xml",
	    up->auto_apply ? ", applied when valid" : "");
	api_import_reply_job(req, 202, up->org_id, up->job_id);
}

static void
api_import_abort(orga_req *req, const char *why)
{
	api_upload *up = req->stream_ctx;

	if (up != NULL)
		api_upload_fail(req, up, why);
}

/* --- the job ----------------------------------------------------------- */

static void
api_import_current(orga_req *req)
{
	orga_import_job job;
	com_err rv;

	if (api_import_admin_or_reply(req) == 0)
		return;
	rv = orga_import_latest(req->db, req->ids[0], &job);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "IMPORT_NOT_FOUND", NULL,
		    "Aucun import n'a encore été fait pour cet "
		    "établissement.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import latest");
		return;
	}
	orga_http_reply_json(req, 200, api_import_json(&job));
	orga_import_job_fini(&job);
}

/* Checks that job ids[1] belongs to school ids[0]; false after 404. */
static bool
api_import_exists_or_reply(orga_req *req)
{
	orga_import_job job;
	com_err rv;

	rv = orga_import_get(req->db, req->ids[0], req->ids[1], &job);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "IMPORT_NOT_FOUND", NULL,
		    "Cet import est introuvable.");
		return false;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import get");
		return false;
	}
	orga_import_job_fini(&job);
	return true;
}

static void
api_import_get(orga_req *req)
{
	if (api_import_admin_or_reply(req) == 0 ||
	    !api_import_exists_or_reply(req))
		return;
	api_import_reply_job(req, 200, req->ids[0], req->ids[1]);
}

static void
api_import_confirm(orga_req *req)
{
	com_err rv;

	if (api_import_admin_or_reply(req) == 0 ||
	    !api_import_exists_or_reply(req))
		return;
	rv = orga_import_confirm(req->db, req->ids[0], req->ids[1]);
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "IMPORT_NOT_VALIDATED", NULL,
		    "Cet import n'attend pas de confirmation : seul un "
		    "fichier vérifié et sans erreur peut être importé.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import confirm");
		return;
	}
	orga_notify_importer(req->app->notify);
	com_log_info("import %" PRId64 " confirmed", req->ids[1]);
	api_import_reply_job(req, 202, req->ids[0], req->ids[1]);
}

static void
api_import_cancel(orga_req *req)
{
	com_err rv;

	if (api_import_admin_or_reply(req) == 0 ||
	    !api_import_exists_or_reply(req))
		return;
	rv = orga_import_cancel(req->db, req->ids[0], req->ids[1]);
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "IMPORT_NOT_CANCELLABLE", NULL,
		    "Cet import ne peut plus être annulé : il est déjà "
		    "appliqué ou terminé.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "import cancel");
		return;
	}
	com_log_info("import %" PRId64 " cancelled", req->ids[1]);
	api_import_reply_job(req, 200, req->ids[0], req->ids[1]);
}

static void
api_import_last_done(orga_req *req)
{
	int64_t user_id = orga_caller_or_reply(req);
	orga_import_done d;
	orga_role role;
	json_t *by = NULL;
	com_err rv;

	if (user_id == 0 ||
	    !orga_caller_user_member_or_reply(req, user_id, req->ids[0], &role))
		return;
	rv = orga_import_last_done(req->db, req->ids[0], &d);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_json(req, 200,
		    json_pack("{s:n}", "lastImport"));
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "last import");
		return;
	}
	by = d.by_known ? json_pack("{s:s,s:s}", "firstName", d.by_first_name,
	    "lastName", d.by_last_name) : json_null();
	orga_http_reply_json(req, 200,
	    json_pack("{s:{s:s,s:o,s:I,s:I,s:I,s:I,s:I}}", "lastImport",
	        "finishedAt", d.finished_at, "by", by, "added",
	        (json_int_t)d.added, "updated", (json_int_t)d.updated,
	        "unchanged", (json_int_t)d.unchanged, "deactivated",
	        (json_int_t)d.deactivated, "active", (json_int_t)d.active));
}
