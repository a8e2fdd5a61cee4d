/*
 * attempt_routes.c - "Je commence", the question asked now, "Je valide"
 * and "Je passe", and the result by competence at the end. The solution
 * of a question is sent only in the review, once the assessment is over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/caller.h"
#include "assessment/attempt.h"
#include "assessment/attempt_routes.h"
#include "assessment/scoring.h"
#include "campaigns/participation_routes.h"
#include "edge/http/http_reply.h"
#include "utf8.h"

static void api_attempt_start(orga_req *req);
static void api_attempt_show(orga_req *req);
static void api_attempt_answer(orga_req *req);

const orga_route orga_attempt_routes[] = {
	ORGA_ROUTE("POST", "/api/campaigns/{code}/assessment", api_attempt_start),
	ORGA_ROUTE("GET", "/api/campaigns/{code}/assessment", api_attempt_show),
	ORGA_ROUTE("POST", "/api/campaigns/{code}/assessment/answers",
	    api_attempt_answer),
	ORGA_ROUTE_END,
};

static const char *const api_attempt_kinds[] = {"QCU", "QCM", "QROC",
    "QROCM"};

static json_t *
api_attempt_strings(const orga_content_strings *s)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < s->n; i++)
		if (json_array_append_new(a, json_string(s->v[i])) != 0) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

static json_t *
api_attempt_competence(const orga_content *c, size_t question)
{
	const orga_content_skill *s = &c->skills[c->questions[question].skill];
	const orga_content_competence *k =
	    &c->competences[c->topics[s->topic].competence];

	return json_pack("{s:s,s:s,s:s}", "code", k->code, "name", k->name,
	    "area", c->areas[k->area].name);
}

/* api_attempt_question: what the student sees of a question (never its
 * solution). */
static json_t *
api_attempt_question(const orga_content *c, size_t question)
{
	const orga_content_question *q = &c->questions[question];
	json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "id", q->id, "kind",
	    api_attempt_kinds[q->kind], "text", q->text, "competence",
	    api_attempt_competence(c, question));
	json_t *fields;

	if (o == NULL)
		return NULL;
	switch (q->kind) {
	case ORGA_QUESTION_QCU:
	case ORGA_QUESTION_QCM:
		if (json_object_set_new(o, "choices",
		        api_attempt_strings(&q->choices)) != 0)
			goto fail;
		break;
	case ORGA_QUESTION_QROC:
		fields = json_pack("[{s:s,s:s?}]", "label",
		    q->label != NULL ? q->label : "Votre réponse", "placeholder",
		    q->placeholder);
		if (json_object_set_new(o, "fields", fields) != 0)
			goto fail;
		break;
	case ORGA_QUESTION_QROCM:
		fields = json_array();
		for (size_t i = 0; fields != NULL && i < q->nfields; i++)
			if (json_array_append_new(fields, json_pack("{s:s}", "label",
			        q->fields[i].label)) != 0) {
				json_decref(fields);
				fields = NULL;
			}
		if (json_object_set_new(o, "fields", fields) != 0)
			goto fail;
		break;
	}
	if (q->image_alt != NULL &&
	    json_object_set_new(o, "imageAlt", json_string(q->image_alt)) != 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* api_attempt_solution: the right answer in words, for the review. */
static json_t *
api_attempt_solution(const orga_content_question *q)
{
	json_t *a = json_array();

	if (a == NULL)
		return NULL;
	if (q->kind == ORGA_QUESTION_QCU || q->kind == ORGA_QUESTION_QCM) {
		for (size_t i = 0; i < q->choices.n; i++)
			if ((q->solution >> i) & 1u)
				json_array_append_new(a, json_string(q->choices.v[i]));
	} else if (q->kind == ORGA_QUESTION_QROC && q->answers.n > 0) {
		json_array_append_new(a, json_string(q->answers.v[0]));
	} else if (q->dependent) {
		for (size_t i = 0; i < q->ngroups && i < q->nfields; i++)
			if (q->groups[i].n > 0)
				json_array_append_new(a, json_string(q->groups[i].v[0]));
	} else {
		for (size_t i = 0; i < q->nfields; i++)
			if (q->fields[i].answers.n > 0)
				json_array_append_new(a,
				    json_string(q->fields[i].answers.v[0]));
	}
	return a;
}

/* api_attempt_results: the result by competence and the review. */
static json_t *
api_attempt_results(orga_req *req, const orga_attempt *a)
{
	orga_attempt_review r;
	json_t *res, *review, *comps;

	if (orga_attempt_review_load(req->db, a, &r) != COM_OK)
		return NULL;
	res = orga_scoring_parcours(a->content, a->parcours, r.outcomes);
	review = json_array();
	for (size_t i = 0; review != NULL && i < r.nsteps; i++) {
		const orga_content_question *q = &a->content->questions[r.steps[i].question];

		if (json_array_append_new(review,
		        json_pack("{s:s,s:s,s:b,s:b,s:o,s:s,s:o}", "id", q->id,
		            "text", q->text, "correct", r.steps[i].correct,
		            "skipped", r.steps[i].skipped, "solution",
		            api_attempt_solution(q), "explanation", q->explanation,
		            "competence",
		            api_attempt_competence(a->content, r.steps[i].question))) !=
		    0) {
			json_decref(review);
			review = NULL;
		}
	}
	orga_attempt_review_fini(&r);
	comps = json_object_get(res, "competences");
	for (size_t i = 0; i < json_array_size(comps); i++) {
		json_t *k = json_array_get(comps, i);

		json_object_set_new(k, "levelText",
		    json_string(orga_scoring_level_words((unsigned)
		        json_integer_value(json_object_get(k, "level")))));
	}
	if (res == NULL || review == NULL ||
	    json_object_set_new(res, "review", review) != 0) {
		json_decref(res);
		return NULL;
	}
	return res;
}

static json_t *
api_attempt_json(orga_req *req, const orga_attempt *a)
{
	json_t *o = json_pack("{s:I,s:s,s:{s:i,s:i},s:{s:s,s:s,s:s}}", "id",
	    (json_int_t)a->id, "state", a->completed ? "COMPLETED" : "STARTED",
	    "progress", "answered", (int)a->answered, "planned",
	    (int)(a->planned > a->answered ? a->planned : a->answered),
	    "parcours", "id", a->parcours->id, "name", a->parcours->name,
	    "description", a->parcours->description);

	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "question", a->completed
	        ? json_null()
	        : api_attempt_question(a->content, a->question)) != 0 ||
	    json_object_set_new(o, "results", a->completed
	        ? api_attempt_results(req, a)
	        : json_null()) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void
api_attempt_reply(orga_req *req, unsigned status, const orga_attempt *a)
{
	json_t *j = api_attempt_json(req, a);

	orga_http_reply_json(req, status,
	    j != NULL ? json_pack("{s:o}", "assessment", j) : NULL);
}

static void
api_attempt_not_participating(orga_req *req)
{
	orga_http_reply_error(req, 404, "PARTICIPATION_NOT_FOUND", NULL,
	    "Vous ne participez pas encore à cette campagne.");
}

/* api_attempt_caller_or_reply: the caller's session and the campaign of
 * the path; NULL after answering. */
static orga_join_campaign *
api_attempt_caller_or_reply(orga_req *req, const orga_session **s)
{
	*s = orga_caller_session_or_reply(req);
	if (*s == NULL)
		return NULL;
	return orga_participation_campaign_or_reply(req);
}

static void
api_attempt_start(orga_req *req)
{
	const orga_session *s;
	orga_join_campaign *c = api_attempt_caller_or_reply(req, &s);
	orga_attempt a;
	com_err rv;

	if (c == NULL)
		return;
	rv = orga_attempt_start(req->app->content, req->db, c->id, s->user_id,
	    &a);
	if (rv == COM_ENOTFOUND) {
		api_attempt_not_participating(req);
		return;
	}
	if (rv == COM_EINVAL) {
		orga_http_reply_error(req, 409, "NO_ASSESSMENT", NULL,
		    "Cette campagne n'a pas de test à passer.");
		return;
	}
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "PARTICIPATION_FINISHED", NULL,
		    "Votre participation à cette campagne est terminée.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "assessment start");
		return;
	}
	api_attempt_reply(req, 200, &a);
}

static void
api_attempt_show(orga_req *req)
{
	const orga_session *s;
	orga_join_campaign *c = api_attempt_caller_or_reply(req, &s);
	orga_attempt a;
	com_err rv;

	if (c == NULL)
		return;
	rv = orga_attempt_get(req->app->content, req->db, c->id, s->user_id,
	    &a);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "ASSESSMENT_NOT_STARTED", NULL,
		    "Vous n'avez pas encore commencé le test de cette campagne.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "assessment");
		return;
	}
	api_attempt_reply(req, 200, &a);
}

/* What a POST of an answer holds, read into orga_answer. */
typedef struct api_attempt_given {
	unsigned choices[ORGA_ANSWER_CHOICES_MAX];
	const char *texts[ORGA_CONTENT_FIELDS_MAX];
	orga_answer answer;
	bool skip;
} api_attempt_given;

/* api_attempt_read_or_reply checks the body; false after answering 422. */
static bool
api_attempt_read_or_reply(orga_req *req, const json_t *in,
    api_attempt_given *g)
{
	const json_t *choices = json_object_get(in, "choices");
	const json_t *texts = json_object_get(in, "texts");
	const json_t *skip = json_object_get(in, "skip");
	size_t i;
	json_t *v;

	memset(g, 0, sizeof(*g));
	g->skip = json_is_true(skip);
	if (g->skip)
		return true;
	if (choices != NULL && !json_is_null(choices)) {
		if (!json_is_array(choices) ||
		    json_array_size(choices) > ORGA_ANSWER_CHOICES_MAX)
			goto bad;
		json_array_foreach(choices, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > ORGA_ANSWER_CHOICES_MAX)
				goto bad;
			g->choices[i] = (unsigned)json_integer_value(v);
		}
		g->answer.choices = g->choices;
		g->answer.nchoices = json_array_size(choices);
	}
	if (texts != NULL && !json_is_null(texts)) {
		if (!json_is_array(texts) ||
		    json_array_size(texts) > ORGA_CONTENT_FIELDS_MAX)
			goto bad;
		json_array_foreach(texts, i, v) {
			if (!json_is_string(v) ||
			    json_string_length(v) > ORGA_ANSWER_TEXT_MAX)
				goto bad;
			g->texts[i] = json_string_value(v);
		}
		g->answer.texts = g->texts;
		g->answer.ntexts = json_array_size(texts);
	}
	if (g->answer.nchoices == 0 && g->answer.ntexts == 0) {
		orga_http_reply_error(req, 422, "ANSWER_REQUIRED", NULL,
		    "Répondez à la question, ou cliquez sur « Je passe ».");
		return false;
	}
	return true;
bad:
	orga_http_reply_error(req, 422, "FIELD_INVALID", NULL,
	    "Cette réponse n'a pas la forme attendue (au plus %d choix, ou "
	    "%d textes de %d caractères).", ORGA_ANSWER_CHOICES_MAX,
	    ORGA_CONTENT_FIELDS_MAX, ORGA_ANSWER_TEXT_MAX);
	return false;
}

/* api_attempt_given_text: the answer as stored (JSON), or NULL. */
static char *
api_attempt_given_text(const json_t *in, bool skip)
{
	json_t *j;
	char *s;

	if (skip)
		j = json_pack("{s:b}", "skip", 1);
	else
		j = json_pack("{s:O?,s:O?}", "choices",
		    json_object_get(in, "choices"), "texts",
		    json_object_get(in, "texts"));
	s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return s;
}

static void
api_attempt_answer(orga_req *req)
{
	const orga_session *s;
	orga_join_campaign *c = api_attempt_caller_or_reply(req, &s);
	const char *question;
	api_attempt_given g;
	orga_attempt a;
	json_t *in;
	char *given;
	com_err rv;

	if (c == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	question = orga_json_string(in, "questionId");
	if (question == NULL || question[0] == '\0' || strlen(question) > 60) {
		orga_http_reply_error(req, 422, "FIELD_REQUIRED", "questionId",
		    "La question à laquelle vous répondez manque.");
		return;
	}
	if (!api_attempt_read_or_reply(req, in, &g))
		return;
	given = api_attempt_given_text(in, g.skip);
	if (given == NULL || strlen(given) > ORGA_ATTEMPT_GIVEN_MAX) {
		free(given);
		orga_http_reply_error(req, 422, "FIELD_INVALID", NULL,
		    "Cette réponse est trop longue.");
		return;
	}
	rv = orga_attempt_answer(req->app->content, req->db, c->id,
	    s->user_id, question, g.skip ? NULL : &g.answer, given, &a);
	free(given);
	if (rv == COM_ENOTFOUND) {
		orga_http_reply_error(req, 404, "ASSESSMENT_NOT_STARTED", NULL,
		    "Vous n'avez pas encore commencé le test de cette campagne.");
		return;
	}
	if (rv == COM_ECONFLICT && a.completed) {
		orga_http_reply_error(req, 409, "ASSESSMENT_COMPLETED", NULL,
		    "Le test est terminé : vous ne pouvez plus répondre.");
		return;
	}
	if (rv == COM_ECONFLICT || rv == COM_EEXIST) {
		orga_http_reply_error(req, 409, "QUESTION_NOT_CURRENT",
		    "questionId", "Cette question n'est plus celle du test : "
		    "chaque réponse est définitive. Reprenez à la question "
		    "en cours.");
		return;
	}
	if (rv == COM_EBUSY) {
		orga_http_reply_error(req, 409, "CONCURRENT_CHANGE", NULL,
		    "Votre réponse croise une autre : réessayez.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "assessment answer");
		return;
	}
	api_attempt_reply(req, 200, &a);
}
