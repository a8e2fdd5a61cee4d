/* content_rpc.c - orgactl's content publish and show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/content_store.h"
#include "edge/rpc/rpc_call.h"
#include "log.h"
#include "rpc.h"

static com_err
content_rpc_reply(orga_rpc_call *call, com_buf *out)
{
	return com_rpc_pack(&call->reply.base, out);
}

/* content_rpc_refused: the first errors of a refused bundle, in the
 * message (orgactl checked the bundle already: this is a safety net). */
static void
content_rpc_refused(orga_rpc_call *call, const orga_content_report *r)
{
	char text[400] = "";
	size_t used = 0;

	for (size_t i = 0; i < r->n && i < 3 && used < sizeof(text); i++) {
		int k = snprintf(text + used, sizeof(text) - used, "\n%s",
		    r->lines[i]);

		if (k < 0)
			break;
		used += (size_t)k;
	}
	orga_rpc_fail(call, "CONTENT_INVALID",
	    "Contenu refusé (%zu erreur(s)), rien n'est publié :%s",
	    r->n + r->dropped, text);
}

com_err
orga_rpc_content_publish(orga_rpc_call *call,
    const Orga__ContentPublishRequest *req, com_buf *out)
{
	Orga__ContentPublishReply body = ORGA__CONTENT_PUBLISH_REPLY__INIT;
	orga_content_file *files;
	orga_content_published pub;
	orga_content_report report;
	const char *by = req->published_by;
	com_err rv;

	if (by == NULL || by[0] == '\0' || strlen(by) > 200)
		by = "orgactl";
	files = calloc(req->n_files + 1, sizeof(*files));
	if (files == NULL) {
		orga_rpc_fail_internal(call, COM_ENOMEM);
		return content_rpc_reply(call, out);
	}
	for (size_t i = 0; i < req->n_files; i++) {
		files[i].name = req->files[i]->name;
		files[i].data = req->files[i]->data.data;
		files[i].len = req->files[i]->data.len;
	}
	orga_content_report_init(&report);
	rv = orga_content_publish(call->app->content, call->db, files,
	    req->n_files, by, &report, &pub);
	free(files);
	if (rv == COM_EINVAL || rv == COM_ETOOLARGE) {
		content_rpc_refused(call, &report);
		orga_content_report_fini(&report);
		return content_rpc_reply(call, out);
	}
	orga_content_report_fini(&report);
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		return content_rpc_reply(call, out);
	}
	if (pub.created)
		com_log_notice("rpc: content version %lld published (%zu "
		    "questions)", (long long)pub.id, pub.questions);
	body.version = pub.id;
	body.created = pub.created;
	body.hash = pub.hash;
	body.questions = (int32_t)pub.questions;
	body.parcours = (int32_t)pub.parcours;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_CONTENT_PUBLISH;
	call->reply.content_publish = &body;
	return content_rpc_reply(call, out);
}

com_err
orga_rpc_content_show(orga_rpc_call *call, com_buf *out)
{
	Orga__ContentShowReply body = ORGA__CONTENT_SHOW_REPLY__INIT;
	Orga__ContentVersion *msgs = NULL, **ptrs = NULL;
	orga_content_version *v = NULL;
	int n = 0;
	com_err rv;

	rv = orga_content_versions(call->db, &v, &n);
	if (rv == COM_OK) {
		msgs = calloc((size_t)n + 1, sizeof(*msgs));
		ptrs = calloc((size_t)n + 1, sizeof(*ptrs));
		if (msgs == NULL || ptrs == NULL)
			rv = COM_ENOMEM;
	}
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		rv = content_rpc_reply(call, out);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		orga__content_version__init(&msgs[i]);
		msgs[i].id = v[i].id;
		msgs[i].hash = v[i].hash;
		msgs[i].published_by = v[i].published_by;
		msgs[i].published_at = v[i].published_at;
		msgs[i].files = v[i].files;
		msgs[i].bytes = v[i].bytes;
		msgs[i].questions = v[i].questions;
		msgs[i].parcours = v[i].parcours;
		msgs[i].assessments = v[i].assessments;
		ptrs[i] = &msgs[i];
	}
	body.versions = ptrs;
	body.n_versions = (size_t)n;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_CONTENT_SHOW;
	call->reply.content_show = &body;
	rv = content_rpc_reply(call, out);
out:
	free(ptrs);
	free(msgs);
	free(v);
	return rv;
}
