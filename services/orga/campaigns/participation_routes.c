/*
 * api_student.c - a student and a campaign code: the public landing
 * (GET /api/campaigns/{code}), their state, linking their account to the
 * school's learner, joining, sending the profile; and an ADMIN unlinking
 * a learner from the Élèves page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "assessment/sharing.h"
#include "campaigns/participation_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "campaigns/linking.h"
#include "log.h"
#include "utf8.h"

static void api_student_campaign(orga_req *req);
static void api_student_me(orga_req *req);
static void api_student_link(orga_req *req);
static void api_student_join(orga_req *req);
static void api_student_share(orga_req *req);
static void api_student_unlink(orga_req *req);

const orga_route orga_participation_routes[] = {
	ORGA_ROUTE("GET", "/api/campaigns/{code}", api_student_campaign),
	ORGA_ROUTE("GET", "/api/campaigns/{code}/me", api_student_me),
	ORGA_ROUTE("POST", "/api/campaigns/{code}/link", api_student_link),
	ORGA_ROUTE("POST", "/api/campaigns/{code}/join", api_student_join),
	ORGA_ROUTE("POST", "/api/campaigns/{code}/share", api_student_share),
	ORGA_ROUTE("POST", "/api/organizations/{id}/learners/{id}/unlink",
	    api_student_unlink),
	ORGA_ROUTE_END,
};

#define API_STUDENT_PREFIX "/api/campaigns/"

orga_join_campaign *
orga_participation_campaign_or_reply(orga_req *req)
{
	const char *seg = req->url + strlen(API_STUDENT_PREFIX);
	char raw[40], code[ORGA_CAMPAIGN_CODE_SIZE];
	size_t len = strcspn(seg, "/");
	orga_join_campaign *c;
	com_err rv = COM_EINVAL;

	if (len < sizeof(raw)) {
		memcpy(raw, seg, len);
		raw[len] = '\0';
		rv = orga_join_code_normalize(raw, code);
	}
	if (rv != COM_OK)
		goto missing;
	if (orga_req_db_or_reply(req) == NULL)
		return NULL;
	c = orga_req_alloc(req, sizeof(*c));
	if (c == NULL) {
		orga_http_reply_internal(req, COM_ENOMEM, "campaign");
		return NULL;
	}
	rv = orga_join_campaign_get(req->db, code, c);
	if (rv == COM_OK)
		return c;
	if (rv != COM_ENOTFOUND) {
		orga_http_reply_internal(req, rv, "campaign by code");
		return NULL;
	}
missing:
	orga_http_reply_error(req, 404, "CAMPAIGN_NOT_FOUND", "code",
	    "Ce code de campagne n'existe pas, ou la campagne est terminée. "
	    "Vérifiez le code donné par votre enseignant.");
	return NULL;
}

/* api_student_participation_json: p with the student's profile (built
 * from every outcome they have); NULL on failure. */
static json_t *
api_student_participation_json(orga_req *req, int64_t user_id,
    const orga_join_participation *p)
{
	json_t *profile = NULL, *j;

	if (orga_sharing_profile(req->app->content, req->db, user_id,
	        &profile) != COM_OK)
		return NULL;
	j = json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "id",
	    (json_int_t)p->id, "status", p->status, "createdAt", p->created_at,
	    "sharedAt", p->shared_at[0] != '\0' ? json_string(p->shared_at)
	                                         : json_null(),
	    "externalId", p->external_id[0] != '\0'
	        ? json_string(p->external_id)
	        : json_null(),
	    "profile", profile);
	return j;
}

static void
api_student_campaign(orga_req *req)
{
	orga_join_campaign *c = orga_participation_campaign_or_reply(req);

	if (c == NULL)
		return;
	orga_http_reply_json(req, 200,
	    json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:{s:s}}", "code", c->code,
	        "name", c->name, "type", c->type, "landingText",
	        c->landing_text[0] != '\0' ? c->landing_text : NULL,
	        "externalIdLabel",
	        c->external_id_label[0] != '\0' ? c->external_id_label : NULL,
	        "organization", "name", c->org_name));
}

static void
api_student_me(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_join_participation p;
	orga_join_learner mine;
	orga_join_campaign *c;
	orga_user u;
	json_t *part = NULL;
	com_err rv;

	if (s == NULL)
		return;
	c = orga_participation_campaign_or_reply(req);
	if (c == NULL)
		return;
	rv = orga_account_get(req->db, s->user_id, &u);
	if (rv == COM_OK)
		rv = orga_join_learner_of(req->db, c->org_id, s->user_id, &mine);
	if (rv == COM_OK) {
		rv = orga_join_participation_get(req->db, c->id, s->user_id, &p);
		if (rv == COM_OK) {
			part = api_student_participation_json(req, s->user_id, &p);
			if (part == NULL)
				rv = COM_ENOMEM;
		} else if (rv == COM_ENOTFOUND) {
			part = json_null();
			rv = COM_OK;
		}
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "student state");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:b,s:b,s:o,s:{s:s,s:s}}", "linked",
	        mine.id != 0 && mine.active, "learnerGone",
	        mine.id != 0 && !mine.active, "participation", part, "prefill",
	        "firstName", u.first_name, "lastName", u.last_name));
}

/* --- linking ------------------------------------------------------ */

/* Checks one name of the form; false only on ENOMEM. */
static bool
api_student_name(json_t *errors, const json_t *in, const char *field,
    char *out, size_t size, const char *required)
{
	if (!orga_json_trimmed(in, field, out, size) ||
	    (out[0] != '\0' && !orga_account_name_ok(out)))
		return orga_http_errors_add(errors, field, "FIELD_INVALID",
		    "Ce nom est trop long ou contient des caractères non "
		    "autorisés.");
	if (out[0] == '\0')
		return orga_http_errors_add(errors, field, "FIELD_REQUIRED",
		    required);
	return true;
}

/* The sentence naming how the other account logs in. */
static void
api_student_login_text(const orga_join_login *l, char *out, size_t size)
{
	char email[COM_EMAIL_MAX + 64] = "";

	if (l->email)
		snprintf(email, sizeof(email), "avec l'adresse e-mail %s",
		    l->masked_email);
	if (l->gar && l->email)
		snprintf(out, size, "via le GAR (depuis votre ENT) ou %s", email);
	else if (l->gar)
		snprintf(out, size, "via le GAR (depuis votre ENT)");
	else if (l->email)
		snprintf(out, size, "%s", email);
	else
		snprintf(out, size, "avec votre identifiant");
}

static void
api_student_link_refused(orga_req *req, const orga_join_result *r)
{
	char how[COM_EMAIL_MAX + 128], left[96] = "";

	if (r->attempts_left > 0 && r->attempts_left <= 5)
		snprintf(left, sizeof(left), " Il vous reste %d essai%s.",
		    r->attempts_left, r->attempts_left > 1 ? "s" : "");
	switch (r->outcome) {
	case ORGA_JOIN_LEARNER_ALREADY_LINKED:
		api_student_login_text(&r->other, how, sizeof(how));
		orga_http_reply_error(req, 409, "LEARNER_ALREADY_LINKED", NULL,
		    "Un autre compte est déjà rattaché à cet élève dans cet "
		    "établissement. Si c'est le vôtre, déconnectez-vous puis "
		    "connectez-vous %s. Sinon, contactez votre enseignant.%s",
		    how, left);
		break;
	case ORGA_JOIN_ACCOUNT_ALREADY_LINKED:
		orga_http_reply_error(req, 409, "ACCOUNT_ALREADY_LINKED", NULL,
		    "Votre compte est déjà rattaché à un autre élève de cet "
		    "établissement. Si ce n'est pas vous, déconnectez-vous, ou "
		    "contactez votre enseignant.");
		break;
	case ORGA_JOIN_TOO_MANY_ATTEMPTS:
		orga_http_reply_error(req, 429, "TOO_MANY_ATTEMPTS", NULL,
		    "Trop d'essais. Pour protéger les informations des élèves, "
		    "réessayez dans une heure, ou contactez votre enseignant.");
		break;
	default:
		orga_http_reply_error(req, 422, "NO_MATCH", NULL,
		    "Nous n'avons pas trouvé d'élève de cet établissement avec "
		    "ces informations. Vérifiez votre prénom, votre nom et votre "
		    "date de naissance, ou contactez votre enseignant.%s",
		    left);
		break;
	}
}

static void
api_student_link(orga_req *req)
{
	char first[ORGA_NAME_MAX], last[ORGA_NAME_MAX], raw[32], date[11];
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_join_campaign *c;
	orga_join_result r;
	json_t *in, *errors;
	bool ok;
	com_err rv;

	if (s == NULL)
		return;
	c = orga_participation_campaign_or_reply(req);
	if (c == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	errors = json_array();
	ok = errors != NULL &&
	    api_student_name(errors, in, "firstName", first, sizeof(first),
	        "Saisissez votre prénom.") &&
	    api_student_name(errors, in, "lastName", last, sizeof(last),
	        "Saisissez votre nom.");
	if (ok) {
		bool fits = orga_json_trimmed(in, "birthDate", raw, sizeof(raw));

		if (fits && raw[0] == '\0')
			ok = orga_http_errors_add(errors, "birthDate",
			    "FIELD_REQUIRED", "Saisissez votre date de naissance.");
		else if (!fits || orga_join_birth_date(raw, date) != COM_OK)
			ok = orga_http_errors_add(errors, "birthDate",
			    "FIELD_INVALID", "Saisissez une date de naissance "
			    "valide, au format JJ/MM/AAAA (par exemple 05/03/2010).");
	}
	if (!ok) {
		json_decref(errors);
		orga_http_reply_internal(req, COM_ENOMEM, "link form");
		return;
	}
	if (json_array_size(errors) > 0) {
		orga_http_reply_errors(req, 422, errors);
		return;
	}
	json_decref(errors);
	rv = orga_join_link(req->db, c->org_id, s->user_id, first, last, date,
	    &r);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "link");
		return;
	}
	if (r.outcome != ORGA_JOIN_LINKED) {
		api_student_link_refused(req, &r);
		return;
	}
	com_log_info("student: account linked in school %lld",
	    (long long)c->org_id);
	orga_http_reply_json(req, 200, json_pack("{s:b}", "linked", 1));
}

/* --- participating ------------------------------------------------ */

static void
api_student_join(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_join_participation p;
	const char *external = NULL;
	orga_join_campaign *c;
	json_t *in, *body;
	bool created = false;
	com_err rv;

	if (s == NULL)
		return;
	c = orga_participation_campaign_or_reply(req);
	if (c == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	if (c->external_id_label[0] != '\0') {
		char *ext = orga_req_alloc(req, ORGA_NAME_MAX);

		if (ext == NULL) {
			orga_http_reply_internal(req, COM_ENOMEM, "join");
			return;
		}
		if (!orga_json_trimmed(in, "externalId", ext, ORGA_NAME_MAX) ||
		    com_utf8_chars(ext, strlen(ext)) >
		        ORGA_JOIN_EXTERNAL_ID_MAX) {
			orga_http_reply_error(req, 422, "FIELD_INVALID",
			    "externalId", "Ce champ ne peut dépasser %d caractères.",
			    ORGA_JOIN_EXTERNAL_ID_MAX);
			return;
		}
		rv = orga_join_participation_get(req->db, c->id, s->user_id, &p);
		if (ext[0] == '\0' && rv == COM_ENOTFOUND) {
			orga_http_reply_error(req, 422, "FIELD_REQUIRED",
			    "externalId", "Saisissez votre %s.",
			    c->external_id_label);
			return;
		}
		external = ext;
	}
	rv = orga_join_participate(req->db, c, s->user_id, external, &p,
	    &created);
	if (rv == COM_EPERM) {
		orga_join_learner mine;

		if (orga_join_learner_of(req->db, c->org_id, s->user_id, &mine) ==
		        COM_OK &&
		    mine.id != 0) {
			orga_http_reply_error(req, 403, "LEARNER_GONE", NULL,
			    "Vous n'êtes plus inscrit(e) dans cet établissement : "
			    "vous ne pouvez pas participer à cette campagne. "
			    "Contactez votre enseignant.");
			return;
		}
		orga_http_reply_error(req, 403, "NOT_LINKED", NULL,
		    "Rattachez d'abord votre compte à la liste des élèves de "
		    "l'établissement : saisissez votre date de naissance.");
		return;
	}
	body = rv == COM_OK ? api_student_participation_json(req, s->user_id, &p) : NULL;
	if (rv == COM_OK && body == NULL)
		rv = COM_ENOMEM;
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "join");
		return;
	}
	orga_http_reply_json(req, created ? 201 : 200,
	    json_pack("{s:o,s:b}", "participation", body, "created", created));
}

static void
api_student_share(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_join_participation p;
	orga_join_campaign *c;
	json_t *body;
	com_err rv;

	if (s == NULL)
		return;
	c = orga_participation_campaign_or_reply(req);
	if (c == NULL)
		return;
	rv = orga_sharing_share(req->app->content, req->db, c->id, s->user_id,
	    &p);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "PARTICIPATION_NOT_FOUND", NULL,
		    "Vous ne participez pas encore à cette campagne.");
		return;
	}
	if (rv == COM_ECONFLICT && strcmp(p.status, "SHARED") == 0) {
		orga_http_reply_error(req, 409, "ALREADY_SHARED", NULL,
		    "Vous avez déjà envoyé votre profil pour cette campagne.");
		return;
	}
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "PARTICIPATION_NOT_FINISHED", NULL,
		    "Terminez d'abord le parcours de cette campagne : vos "
		    "résultats pourront ensuite être envoyés.");
		return;
	}
	body = rv == COM_OK ? api_student_participation_json(req, s->user_id, &p) : NULL;
	if (rv == COM_OK && body == NULL)
		rv = COM_ENOMEM;
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "share");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:o}", "participation", body));
}

/* --- unlinking (Élèves page) ---------------------------------------- */

static void
api_student_unlink(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	orga_role role;
	com_err rv;

	if (s == NULL || !orga_caller_member_or_reply(req, s, req->ids[0], &role))
		return;
	if (role != ORGA_ROLE_ADMIN) {
		orga_http_reply_error(req, 403, "FORBIDDEN", NULL,
		    "Seul un administrateur de l'établissement peut dissocier "
		    "un élève de son compte.");
		return;
	}
	rv = orga_join_unlink(req->db, req->ids[0], req->ids[1]);
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
		orga_http_reply_internal(req, rv, "unlink");
		return;
	}
	com_log_info("student: learner %lld unlinked in school %lld by user "
	    "%lld", (long long)req->ids[1], (long long)req->ids[0],
	    (long long)s->user_id);
	orga_http_reply_json(req, 200, json_object());
}
