/* rpc_import.c - orgactl's imports, learner lists and upload tokens. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "learners/imports.h"
#include "learners/learner_list.h"
#include "log.h"
#include "notify.h"
#include "rpc.h"
#include "edge/rpc/rpc_call.h"
#include "account/tokens.h"
#include "validate.h"

#define ORGA_RPC_CHUNK_MAX (1024 * 1024)

static com_err
orga_rpc_reply(orga_rpc_call *call, com_buf *out)
{
	return com_rpc_pack(&call->reply.base, out);
}

/* orga_rpc_import_failed maps an import error to the operator's words. */
static void
orga_rpc_import_failed(orga_rpc_call *call, com_err rv)
{
	switch (rv) {
	case COM_EBUSY:
		orga_rpc_fail(call, "IMPORT_IN_PROGRESS",
		    "Un import est déjà en cours pour cet établissement ; "
		    "attendez qu'il se termine.");
		break;
	case COM_ETOOLARGE:
		orga_rpc_fail(call, "FILE_TOO_LARGE",
		    "Le fichier dépasse la taille maximale acceptée.");
		break;
	case COM_ECONFLICT:
		orga_rpc_fail(call, "IMPORT_NOT_UPLOADING",
		    "Cet import n'attend plus de fichier.");
		break;
	case COM_ENOTFOUND:
		orga_rpc_fail(call, "IMPORT_NOT_FOUND", "Import introuvable.");
		break;
	default:
		orga_rpc_fail_internal(call, rv);
	}
}

com_err
orga_rpc_import_start(orga_rpc_call *call,
    const Orga__ImportStartRequest *req, com_buf *out)
{
	Orga__ImportStartReply body = ORGA__IMPORT_START_REPLY__INIT;
	orga_org org;
	int64_t job_id;
	com_err rv;

	if (!orga_rpc_org_or_fail(call, req->uai, &org))
		return orga_rpc_reply(call, out);
	if (strcmp(req->format, "xml") != 0 && strcmp(req->format, "zip") != 0) {
		orga_rpc_fail(call, "FORMAT_INVALID",
		    "Le fichier doit être un .xml ou un .zip exporté de SIECLE.");
		return orga_rpc_reply(call, out);
	}
	rv = orga_import_begin(call->db, org.id, 0,
	    strcmp(req->format, "zip") == 0, req->auto_apply, &job_id);
	if (rv != COM_OK) {
		orga_rpc_import_failed(call, rv);
		return orga_rpc_reply(call, out);
	}
	/* An importer parses the file as it arrives. */
	orga_notify_importer(call->app->notify);
	body.job_id = job_id;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_IMPORT_START;
	call->reply.import_start = &body;
	return orga_rpc_reply(call, out);
}

com_err
orga_rpc_import_chunk(orga_rpc_call *call,
    const Orga__ImportChunkRequest *req, com_buf *out)
{
	Orga__ImportChunkReply body = ORGA__IMPORT_CHUNK_REPLY__INIT;
	com_err rv;

	if (req->data.len > ORGA_RPC_CHUNK_MAX) {
		orga_rpc_fail(call, "CHUNK_TOO_LARGE",
		    "Morceau de fichier trop gros (1 Mio au plus).");
		return orga_rpc_reply(call, out);
	}
	rv = orga_import_append(call->db, req->job_id, req->offset,
	    req->data.data,
	    req->data.len, call->app->import_max_bytes);
	if (rv == COM_ETOOLARGE &&
	    orga_import_fail(call->db, req->job_id,
	        "Le fichier dépasse la taille maximale acceptée.") != COM_OK)
		com_log_warn("rpc: import %" PRId64 " not marked failed",
		    req->job_id);
	if (rv != COM_OK) {
		orga_rpc_import_failed(call, rv);
		return orga_rpc_reply(call, out);
	}
	/* The importer reading this upload waits for the chunk. */
	orga_notify_importer(call->app->notify);
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_IMPORT_CHUNK;
	call->reply.import_chunk = &body;
	return orga_rpc_reply(call, out);
}

com_err
orga_rpc_import_end(orga_rpc_call *call, const Orga__ImportEndRequest *req,
    com_buf *out)
{
	Orga__ImportEndReply body = ORGA__IMPORT_END_REPLY__INIT;
	com_err rv;

	rv = orga_import_finish(call->db, req->job_id);
	if (rv != COM_OK) {
		orga_rpc_import_failed(call, rv);
		return orga_rpc_reply(call, out);
	}
	orga_notify_importer(call->app->notify);
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_IMPORT_END;
	call->reply.import_end = &body;
	return orga_rpc_reply(call, out);
}

/* orga_rpc_sentences turns a JSON array of strings into a string list
 * whose strings stay inside json (owned by the caller). */
static com_err
orga_rpc_sentences(json_t *json, char ***out, size_t *n)
{
	size_t count = json_is_array(json) ? json_array_size(json) : 0;
	char **list = calloc(count + 1, sizeof(*list));

	if (list == NULL)
		return COM_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const char *s = json_string_value(json_array_get(json, i));

		list[i] = (char *)(s != NULL ? s : "");
	}
	*out = list;
	*n = count;
	return COM_OK;
}

com_err
orga_rpc_import_status(orga_rpc_call *call,
    const Orga__ImportStatusRequest *req, com_buf *out)
{
	Orga__ImportStatusReply body = ORGA__IMPORT_STATUS_REPLY__INIT;
	Orga__ImportJob msg = ORGA__IMPORT_JOB__INIT;
	json_t *errors = NULL, *skips = NULL;
	orga_import_job job;
	PGresult *res = NULL;
	char id[24];
	const char *params[1] = {id};
	int64_t org_id;
	com_err rv;

	/* The operator names a job, not a school: find its school first. */
	snprintf(id, sizeof(id), "%" PRId64, req->job_id);
	rv = com_db_exec(call->db,
	    "SELECT organization_id FROM import_jobs WHERE id = $1", 1, params,
	    &res);
	if (rv == COM_OK && PQntuples(res) != 1)
		rv = COM_ENOTFOUND;
	if (rv != COM_OK) {
		PQclear(res);
		orga_rpc_import_failed(call, rv);
		return orga_rpc_reply(call, out);
	}
	org_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	rv = orga_import_get(call->db, org_id, req->job_id, &job);
	if (rv != COM_OK) {
		orga_rpc_import_failed(call, rv);
		return orga_rpc_reply(call, out);
	}
	errors = job.errors != NULL ? json_loads(job.errors, 0, NULL) : NULL;
	skips = job.skips != NULL ? json_loads(job.skips, 0, NULL) : NULL;
	msg.id = job.id;
	msg.status = job.status;
	msg.upload_bytes = job.upload_bytes;
	msg.progress_bytes = job.progress_bytes;
	msg.students_read = job.students_read;
	msg.to_add = job.to_add;
	msg.to_update = job.to_update;
	msg.unchanged = job.unchanged;
	msg.to_deactivate = job.to_deactivate;
	msg.skipped_left = job.skipped_left;
	msg.skipped_not_arrived = job.skipped_not_arrived;
	msg.skipped_no_class = job.skipped_no_class;
	rv = orga_rpc_sentences(errors, &msg.errors, &msg.n_errors);
	if (rv == COM_OK)
		rv = orga_rpc_sentences(skips, &msg.skips, &msg.n_skips);
	if (rv == COM_OK) {
		body.job = &msg;
		call->reply.body_case = ORGA__ORGA_REPLY__BODY_IMPORT_STATUS;
		call->reply.import_status = &body;
	} else {
		orga_rpc_fail_internal(call, rv);
	}
	rv = orga_rpc_reply(call, out);
	free(msg.errors);
	free(msg.skips);
	json_decref(errors);
	json_decref(skips);
	orga_import_job_fini(&job);
	return rv;
}

com_err
orga_rpc_learners_list(orga_rpc_call *call,
    const Orga__LearnersListRequest *req, com_buf *out)
{
	Orga__LearnersListReply body = ORGA__LEARNERS_LIST_REPLY__INIT;
	orga_learner_query q = {0};
	orga_learner_page page = {0};
	Orga__Learner *msgs = NULL;
	Orga__Learner **ptrs = NULL;
	orga_org org;
	com_err rv;

	if (!orga_rpc_org_or_fail(call, req->uai, &org))
		return orga_rpc_reply(call, out);
	q.state = req->all ? ORGA_LEARNERS_ALL : ORGA_LEARNERS_ACTIVE;
	q.sort = ORGA_SORT_LAST_NAME;
	q.offset = req->offset;
	q.limit = req->limit > 0 && req->limit <= ORGA_LEARNERS_PAGE_MAX
	    ? req->limit
	    : ORGA_LEARNERS_PAGE_MAX;
	rv = orga_learners_list(call->db, org.id, &q, &page);
	if (rv == COM_OK) {
		msgs = calloc((size_t)page.count + 1, sizeof(*msgs));
		ptrs = calloc((size_t)page.count + 1, sizeof(*ptrs));
		if (msgs == NULL || ptrs == NULL)
			rv = COM_ENOMEM;
	}
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		goto out;
	}
	for (int i = 0; i < page.count; i++) {
		orga_learner l;

		orga_learner_page_row(&page, i, &l);
		orga__learner__init(&msgs[i]);
		msgs[i].ine = (char *)l.ine;
		msgs[i].last_name = (char *)l.last_name;
		msgs[i].first_name = (char *)l.first_name;
		msgs[i].birth_date = (char *)l.birth_date;
		msgs[i].class_code = (char *)l.class_code;
		msgs[i].active = l.active;
		ptrs[i] = &msgs[i];
	}
	body.n_learners = (size_t)page.count;
	body.learners = ptrs;
	body.total = page.total;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_LEARNERS_LIST;
	call->reply.learners_list = &body;
out:
	rv = orga_rpc_reply(call, out);
	free(ptrs);
	free(msgs);
	orga_learner_page_fini(&page);
	return rv;
}

com_err
orga_rpc_token_create(orga_rpc_call *call,
    const Orga__TokenCreateRequest *req, com_buf *out)
{
	Orga__TokenCreateReply body = ORGA__TOKEN_CREATE_REPLY__INIT;
	char email[COM_EMAIL_MAX + 1];
	char secret[ORGA_TOKEN_LEN + 1];
	const char *params[1] = {email};
	const char *name = req->name[0] != '\0' ? req->name : "orgactl";
	PGresult *res = NULL;
	orga_token tok;
	com_err rv;

	if (com_email_normalize(req->email, email, sizeof(email)) != COM_OK) {
		orga_rpc_fail(call, "EMAIL_INVALID",
		    "L'adresse e-mail « %s » n'est pas valide.", req->email);
		return orga_rpc_reply(call, out);
	}
	rv = com_db_exec(call->db, "SELECT id FROM users WHERE email = $1", 1,
	    params, &res);
	if (rv == COM_OK && PQntuples(res) != 1) {
		orga_rpc_fail(call, "USER_NOT_FOUND",
		    "Aucun compte n'a l'adresse %s.", email);
		PQclear(res);
		return orga_rpc_reply(call, out);
	}
	if (rv == COM_OK)
		rv = orga_token_create(call->db,
		    strtoll(PQgetvalue(res, 0, 0), NULL, 10), name, secret, &tok);
	PQclear(res);
	if (rv == COM_EINVAL) {
		orga_rpc_fail(call, "FIELD_INVALID",
		    "Le nom du jeton doit compter de 1 à %d caractères.",
		    ORGA_TOKEN_NAME_CHARS);
		return orga_rpc_reply(call, out);
	}
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		return orga_rpc_reply(call, out);
	}
	body.id = tok.id;
	body.token = secret;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_TOKEN_CREATE;
	call->reply.token_create = &body;
	rv = orga_rpc_reply(call, out);
	/* The token lives on only in the packed reply. */
	memset(secret, 0, sizeof(secret));
	return rv;
}
