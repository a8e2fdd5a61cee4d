/*
 * content_check.c - the rules of a competence file (topics, skills,
 * questions of each kind) and the model parts they make.
 */
#include "assessment/content_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTC_TOPIC_ID_MAX 30
#define CTC_NAME_MAX 200
#define CTC_SKILL_NAME_MAX 300
#define CTC_SKILLS_MAX 8
#define CTC_QUESTION_ID_MAX 60
#define CTC_TEXT_MAX 2000
#define CTC_CHOICES_MIN 2
#define CTC_CHOICES_MAX 8
#define CTC_CHOICE_MAX 300
#define CTC_ANSWERS_MAX 20
#define CTC_ANSWER_MAX 200
#define CTC_FIELDS_MIN 2
#define CTC_PLACEHOLDER_MAX 100
#define CTC_ALT_MAX 300

static const char *const ctc_root_keys[] = {"competence", "topics", NULL};
static const char *const ctc_topic_keys[] = {"id", "name", "skills", NULL};
static const char *const ctc_skill_keys[] = {"difficulty", "name",
	"questions", NULL};
static const char *const ctc_image_keys[] = {"file", "alt", NULL};
static const char *const ctc_field_keys[] = {"label", "answers", NULL};
static const char *const ctc_label_key[] = {"label", NULL};
/* Every key of some question kind, then those of each kind. */
static const char *const ctc_question_keys[] = {"id", "kind", "text",
	"explanation", "image", "choices", "solution", "answers",
	"tolerances", "placeholder", "label", "fields", "dependent", NULL};
static const char *const ctc_choice_keys[] = {"id", "kind", "text",
	"explanation", "image", "choices", "solution", NULL};
static const char *const ctc_qroc_keys[] = {"id", "kind", "text",
	"explanation", "image", "answers", "tolerances", "placeholder",
	"label", NULL};
static const char *const ctc_qrocm_keys[] = {"id", "kind", "text",
	"explanation", "image", "fields", "dependent", "tolerances", NULL};
static const char *const ctc_qrocm_dep_keys[] = {"id", "kind", "text",
	"explanation", "image", "fields", "dependent", "tolerances",
	"answers", NULL};

static const char *const ctc_kinds[] = {"QCU", "QCM", "QROC", "QROCM"};

/* Grows an array of the model under construction to hold one more. */
static bool
ctc_grow(ctb_ctx *ctx, void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t want;

	if (n < *cap)
		return true;
	want = *cap == 0 ? 64 : *cap * 2;
	p = realloc(*v, want * size);
	if (p == NULL) {
		ctx->fatal = COM_ENOMEM;
		return false;
	}
	memset((char *)p + *cap * size, 0, (want - *cap) * size);
	*v = p;
	*cap = want;
	return true;
}

static bool
ctc_object(ctb_ctx *ctx, const json_t *v, const char *what)
{
	if (json_is_object(v))
		return true;
	orga_ctb_error(ctx, NULL, "doit être un objet (%s)", what);
	return false;
}

/*
 * Reads array arr (at the current path) of min..max-character strings
 * into *out (arena); distinct: a repeated string is an error.
 */
static bool
ctc_strings(ctb_ctx *ctx, const json_t *arr, size_t max, bool distinct,
    orga_content_strings *out)
{
	size_t n = json_array_size(arr);
	const char **v = orga_ctb_alloc(ctx, (n + 1) * sizeof(*v));
	bool ok = v != NULL;

	for (size_t i = 0; v != NULL && i < n; i++) {
		orga_ctb_push_index(ctx, i);
		if (!orga_ctb_text(ctx, NULL, json_array_get(arr, i), 1, max, 0,
		        &v[i])) {
			ok = false;
		} else {
			for (size_t j = 0; distinct && j < i; j++) {
				if (v[j] == NULL || strcmp(v[j], v[i]) != 0)
					continue;
				orga_ctb_error(ctx, NULL,
				    "en double (même texte que l'élément %zu)",
				    j);
				ok = false;
				break;
			}
		}
		orga_ctb_pop(ctx);
	}
	out->v = v;
	out->n = n;
	return ok;
}

/* Member key of obj: an array of 1..20 accepted spellings. */
static bool
ctc_answers(ctb_ctx *ctx, const json_t *obj, const char *key,
    orga_content_strings *out)
{
	const json_t *arr = orga_ctb_array(ctx, obj, key, 1, CTC_ANSWERS_MAX);
	bool ok;

	if (arr == NULL)
		return false;
	orga_ctb_push_key(ctx, key);
	ok = ctc_strings(ctx, arr, CTC_ANSWER_MAX, false, out);
	orga_ctb_pop(ctx);
	return ok;
}

static void
ctc_tolerances(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	static const char *const names[] = {"t1", "t2", "t3"};
	const json_t *arr = orga_ctb_array(ctx, qo, "tolerances", 0, 3);
	int last = -1;

	if (arr == NULL)
		return;
	orga_ctb_push_key(ctx, "tolerances");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		int k = -1;

		for (int j = 0; s != NULL && j < 3; j++)
			if (strcmp(s, names[j]) == 0)
				k = j;
		orga_ctb_push_index(ctx, i);
		if (k < 0)
			orga_ctb_error(ctx, NULL,
			    "doit être « t1 », « t2 » ou « t3 »");
		else if (k <= last)
			orga_ctb_error(ctx, NULL,
			    "« %s » : les tolérances vont sans doublon, dans "
			    "l'ordre t1, t2, t3", s);
		else
			q->tolerances |= 1u << k;
		if (k > last)
			last = k;
		orga_ctb_pop(ctx);
	}
	orga_ctb_pop(ctx);
}

static void
ctc_choices(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	const json_t *arr = orga_ctb_array(ctx, qo, "choices", CTC_CHOICES_MIN,
	    CTC_CHOICES_MAX);
	const json_t *sol;
	size_t nchoices = 0;
	long long prev = 0;

	if (arr != NULL) {
		orga_ctb_push_key(ctx, "choices");
		ctc_strings(ctx, arr, CTC_CHOICE_MAX, true, &q->choices);
		orga_ctb_pop(ctx);
		nchoices = q->choices.n;
	}
	sol = orga_ctb_array(ctx, qo, "solution", 1,
	    q->kind == ORGA_QUESTION_QCU ? 1 : CTC_CHOICES_MAX);
	for (size_t i = 0; sol != NULL && i < json_array_size(sol); i++) {
		const json_t *v = json_array_get(sol, i);
		long long k = json_integer_value(v);

		if (!json_is_integer(v)) {
			orga_ctb_error(ctx, "solution",
			    "les indices sont des nombres entiers");
		} else if (k < 1 || (arr != NULL && (size_t)k > nchoices)) {
			orga_ctb_error(ctx, "solution",
			    "l'indice %lld ne désigne aucun choix (%zu choix)",
			    k, nchoices);
		} else if (k <= prev) {
			orga_ctb_error(ctx, "solution",
			    "les indices doivent être distincts et croissants");
		} else {
			if (k <= CTC_CHOICES_MAX)
				q->solution |= (uint8_t)(1u << (k - 1));
			prev = k;
			continue;
		}
		break;
	}
}

static void
ctc_qroc(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	ctc_answers(ctx, qo, "answers", &q->answers);
	ctc_tolerances(ctx, qo, q);
	orga_ctb_string(ctx, qo, "placeholder", 0, CTC_PLACEHOLDER_MAX,
	    CTB_OPTIONAL, &q->placeholder);
	if (orga_ctb_string(ctx, qo, "label", 1, CTC_NAME_MAX, CTB_OPTIONAL,
	        &q->label) && q->label == NULL)
		q->label = "Votre réponse";
}

/* The accepted answers of a dependent QROCM: arrays of spellings. */
static void
ctc_groups(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	const json_t *arr = orga_ctb_array(ctx, qo, "answers",
	    q->nfields > 0 ? q->nfields : 1, ORGA_CONTENT_GROUPS_MAX);
	orga_content_strings *groups;
	size_t n;

	if (arr == NULL)
		return;
	n = json_array_size(arr);
	groups = orga_ctb_alloc(ctx, n * sizeof(*groups));
	if (groups == NULL)
		return;
	orga_ctb_push_key(ctx, "answers");
	for (size_t i = 0; i < n; i++) {
		const json_t *inner = json_array_get(arr, i);
		size_t m = json_array_size(inner);

		orga_ctb_push_index(ctx, i);
		if (!json_is_array(inner))
			orga_ctb_error(ctx, NULL,
			    "doit être un tableau (les graphies d'une réponse)");
		else if (m < 1 || m > CTC_ANSWERS_MAX)
			orga_ctb_error(ctx, NULL,
			    "%zu graphies, il en faut de 1 à %d", m,
			    CTC_ANSWERS_MAX);
		else
			ctc_strings(ctx, inner, CTC_ANSWER_MAX, false,
			    &groups[i]);
		orga_ctb_pop(ctx);
	}
	orga_ctb_pop(ctx);
	q->groups = groups;
	q->ngroups = n;
}

static void
ctc_qrocm(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	const json_t *dep = json_object_get(qo, "dependent");
	const json_t *arr;
	orga_content_field *fields;

	if (dep == NULL)
		orga_ctb_error(ctx, "dependent", "champ obligatoire absent");
	else if (!json_is_boolean(dep))
		orga_ctb_error(ctx, "dependent", "doit être true ou false");
	q->dependent = json_is_true(dep);
	orga_ctb_keys(ctx, qo, q->dependent ? ctc_qrocm_dep_keys :
	    ctc_qrocm_keys, ctc_question_keys, q->dependent ?
	    "une question QROCM dépendante" :
	    "une question QROCM indépendante");
	ctc_tolerances(ctx, qo, q);
	arr = orga_ctb_array(ctx, qo, "fields", CTC_FIELDS_MIN,
	    ORGA_CONTENT_FIELDS_MAX);
	if (arr != NULL) {
		q->nfields = json_array_size(arr);
		fields = orga_ctb_alloc(ctx, q->nfields * sizeof(*fields));
		q->fields = fields;
		orga_ctb_push_key(ctx, "fields");
		for (size_t i = 0; fields != NULL && i < q->nfields; i++) {
			const json_t *fo = json_array_get(arr, i);

			orga_ctb_push_index(ctx, i);
			if (ctc_object(ctx, fo, "un champ")) {
				orga_ctb_keys(ctx, fo, q->dependent ?
				    ctc_label_key : ctc_field_keys,
				    ctc_field_keys, q->dependent ?
				    "un champ de question dépendante (ses "
				    "réponses sont celles de la question)" :
				    "un champ");
				orga_ctb_string(ctx, fo, "label", 1,
				    CTC_NAME_MAX, 0, &fields[i].label);
				if (!q->dependent)
					ctc_answers(ctx, fo, "answers",
					    &fields[i].answers);
			}
			orga_ctb_pop(ctx);
		}
		orga_ctb_pop(ctx);
	}
	if (q->dependent)
		ctc_groups(ctx, qo, q);
}

/* A relative path without "..", "." or empty parts, nor backslashes. */
static bool
ctc_safe_path(const char *s)
{
	const char *p = s;

	if (*s == '/' || strchr(s, '\\') != NULL)
		return false;
	while (*p != '\0') {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
		if (*p == '\0' && p[-1] == '/')
			return false;
	}
	return true;
}

static void
ctc_image(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	const json_t *io = json_object_get(qo, "image");
	const char *file;

	if (io == NULL)
		return;
	orga_ctb_push_key(ctx, "image");
	if (ctc_object(ctx, io, "une image")) {
		orga_ctb_keys(ctx, io, ctc_image_keys, NULL, "une image");
		if (orga_ctb_string(ctx, io, "file", 1, CTC_NAME_MAX, 0, &file)) {
			if (!ctc_safe_path(file))
				orga_ctb_error(ctx, "file",
				    "« %s » : chemin relatif au lot attendu",
				    file);
			else if (orga_ctb_file_find(ctx, file) == NULL ||
			    strncmp(file, "images/", 7) != 0)
				orga_ctb_error(ctx, "file",
				    "« %s » : fichier absent du lot (les "
				    "images vont dans images/)", file);
			else
				q->image_file = file;
		}
		orga_ctb_string(ctx, io, "alt", 1, CTC_ALT_MAX, 0,
		    &q->image_alt);
	}
	orga_ctb_pop(ctx);
}

/*
 * Whether id is free among n ids taken so far (the id of entry i is
 * *(const char **)(base + i * stride), NULL when it had none); reports
 * where it was first seen otherwise.
 */
static bool
ctc_unique(ctb_ctx *ctx, const char *id, const void *base, size_t stride,
    const ctb_where *where, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		const char *taken =
		    *(const char *const *)((const char *)base + i * stride);

		if (taken == NULL || strcmp(taken, id) != 0)
			continue;
		orga_ctb_error(ctx, "id",
		    "l'identifiant « %s » est déjà celui %s (%s:%u)", id, what,
		    where[i].file, where[i].line);
		return false;
	}
	return true;
}

/* The id of a question: unique in the bundle. */
static void
ctc_question_id(ctb_ctx *ctx, const json_t *qo, orga_content_question *q)
{
	const char *id;

	if (orga_ctb_string(ctx, qo, "id", 1, CTC_QUESTION_ID_MAX, 0, &id) &&
	    orga_ctb_id(ctx, "id", id, 1, CTC_QUESTION_ID_MAX, true) &&
	    ctc_unique(ctx, id, &ctx->questions[0].id, sizeof(*q),
	        ctx->question_where, ctx->nquestions, "d'une question"))
		q->id = id;
}

static void
ctc_question(ctb_ctx *ctx, const json_t *qo, size_t skill)
{
	orga_content_question *q;
	const char *kind;
	int k = -1;

	if (!ctc_object(ctx, qo, "une question") ||
	    !ctc_grow(ctx, (void **)&ctx->questions, &ctx->cap_questions,
	        ctx->nquestions, sizeof(*ctx->questions)) ||
	    !ctc_grow(ctx, (void **)&ctx->question_where,
	        &ctx->cap_question_where,
	        ctx->nquestions, sizeof(*ctx->question_where)))
		return;
	q = &ctx->questions[ctx->nquestions];
	memset(q, 0, sizeof(*q));
	q->skill = skill;
	ctc_question_id(ctx, qo, q);
	ctx->question_where[ctx->nquestions].file = ctx->file->name;
	ctx->question_where[ctx->nquestions].line = orga_ctb_line(ctx, NULL);
	ctx->nquestions++;
	if (orga_ctb_string(ctx, qo, "kind", 1, 10, 0, &kind)) {
		for (int j = 0; j < 4; j++)
			if (strcmp(kind, ctc_kinds[j]) == 0)
				k = j;
		if (k < 0)
			orga_ctb_error(ctx, "kind",
			    "« %s » : QCU, QCM, QROC ou QROCM attendu", kind);
	}
	orga_ctb_string(ctx, qo, "text", 1, CTC_TEXT_MAX,
	    CTB_LINES | CTB_PLAIN, &q->text);
	orga_ctb_string(ctx, qo, "explanation", 1, CTC_TEXT_MAX, CTB_LINES,
	    &q->explanation);
	ctc_image(ctx, qo, q);
	if (k < 0)
		return;
	q->kind = (orga_question_kind)k;
	switch (q->kind) {
	case ORGA_QUESTION_QCU:
	case ORGA_QUESTION_QCM:
		orga_ctb_keys(ctx, qo, ctc_choice_keys, ctc_question_keys,
		    q->kind == ORGA_QUESTION_QCU ? "une question QCU" :
		    "une question QCM");
		ctc_choices(ctx, qo, q);
		break;
	case ORGA_QUESTION_QROC:
		orga_ctb_keys(ctx, qo, ctc_qroc_keys, ctc_question_keys,
		    "une question QROC");
		ctc_qroc(ctx, qo, q);
		break;
	case ORGA_QUESTION_QROCM:
		ctc_qrocm(ctx, qo, q);
		break;
	}
}

/* Reads skill so of topic t (its skills so far from first); false when it
 * makes no skill (its difficulty is unusable). */
static void
ctc_skill(ctb_ctx *ctx, const json_t *so, size_t topic, size_t first)
{
	orga_content_skill *s;
	const json_t *qs;
	long long d;

	if (!ctc_object(ctx, so, "un acquis"))
		return;
	orga_ctb_keys(ctx, so, ctc_skill_keys, NULL, "un acquis");
	if (orga_ctb_integer(ctx, so, "difficulty", 1,
	        ORGA_CONTENT_DIFFICULTY_MAX, &d)) {
		for (size_t i = first; i < ctx->nskills; i++) {
			if (ctx->skills[i].difficulty != (unsigned)d)
				continue;
			orga_ctb_error(ctx, "difficulty",
			    "la difficulté %lld est déjà celle de skills[%zu]",
			    d, i - first);
			d = 0;
			break;
		}
	} else {
		d = 0;
	}
	if (!ctc_grow(ctx, (void **)&ctx->skills, &ctx->cap_skills,
	        ctx->nskills, sizeof(*ctx->skills)))
		return;
	s = &ctx->skills[ctx->nskills];
	memset(s, 0, sizeof(*s));
	orga_ctb_string(ctx, so, "name", 1, CTC_SKILL_NAME_MAX, 0, &s->name);
	s->difficulty = (unsigned)d;
	s->topic = topic;
	s->question = ctx->nquestions;
	qs = orga_ctb_array(ctx, so, "questions", 1, SIZE_MAX);
	if (qs != NULL) {
		size_t self = ctx->nskills;

		orga_ctb_push_key(ctx, "questions");
		for (size_t i = 0; i < json_array_size(qs); i++) {
			orga_ctb_push_index(ctx, i);
			ctc_question(ctx, json_array_get(qs, i), self);
			orga_ctb_pop(ctx);
		}
		orga_ctb_pop(ctx);
	}
	s = &ctx->skills[ctx->nskills];
	s->nquestions = ctx->nquestions - s->question;
	/* A skill without a usable difficulty is checked but not kept. */
	if (d > 0)
		ctx->nskills++;
	else
		ctx->nquestions = s->question;
}

/* Sorts the skills [first, nskills) by difficulty; their questions
 * follow. */
static void
ctc_sort_skills(ctb_ctx *ctx, size_t first)
{
	for (size_t i = first + 1; i < ctx->nskills; i++) {
		orga_content_skill s = ctx->skills[i];
		size_t j = i;

		for (; j > first && ctx->skills[j - 1].difficulty > s.difficulty;
		     j--)
			ctx->skills[j] = ctx->skills[j - 1];
		ctx->skills[j] = s;
	}
	for (size_t i = first; i < ctx->nskills; i++) {
		orga_content_skill *s = &ctx->skills[i];

		for (size_t q = s->question; q < s->question + s->nquestions;
		     q++)
			ctx->questions[q].skill = i;
	}
}

static void
ctc_topic_id(ctb_ctx *ctx, const json_t *to, orga_content_topic *t)
{
	const char *id;

	if (orga_ctb_string(ctx, to, "id", 2, CTC_TOPIC_ID_MAX, 0, &id) &&
	    orga_ctb_id(ctx, "id", id, 2, CTC_TOPIC_ID_MAX, false) &&
	    ctc_unique(ctx, id, &ctx->topics[0].id, sizeof(*t),
	        ctx->topic_where, ctx->ntopics, "d'un sujet"))
		t->id = id;
}

static void
ctc_topic(ctb_ctx *ctx, const json_t *to, size_t k)
{
	orga_content_topic *t;
	const json_t *skills;
	size_t self = ctx->ntopics, first = ctx->nskills;

	if (!ctc_object(ctx, to, "un sujet") ||
	    !ctc_grow(ctx, (void **)&ctx->topics, &ctx->cap_topics,
	        ctx->ntopics, sizeof(*ctx->topics)) ||
	    !ctc_grow(ctx, (void **)&ctx->topic_where, &ctx->cap_topic_where,
	        ctx->ntopics, sizeof(*ctx->topic_where)))
		return;
	orga_ctb_keys(ctx, to, ctc_topic_keys, NULL, "un sujet");
	t = &ctx->topics[self];
	memset(t, 0, sizeof(*t));
	ctc_topic_id(ctx, to, t);
	orga_ctb_string(ctx, to, "name", 1, CTC_NAME_MAX, 0, &t->name);
	t->competence = k;
	t->skill = first;
	ctx->topic_where[self].file = ctx->file->name;
	ctx->topic_where[self].line = orga_ctb_line(ctx, NULL);
	ctx->ntopics++;
	skills = orga_ctb_array(ctx, to, "skills", 1, CTC_SKILLS_MAX);
	if (skills == NULL)
		return;
	orga_ctb_push_key(ctx, "skills");
	for (size_t i = 0; i < json_array_size(skills); i++) {
		orga_ctb_push_index(ctx, i);
		ctc_skill(ctx, json_array_get(skills, i), self, first);
		orga_ctb_pop(ctx);
	}
	orga_ctb_pop(ctx);
	ctc_sort_skills(ctx, first);
	t = &ctx->topics[self];
	t->nskills = ctx->nskills - first;
	for (size_t i = first; t->id != NULL && i < ctx->nskills; i++)
		snprintf(ctx->skills[i].id, sizeof(ctx->skills[i].id), "@%s%u",
		    t->id, ctx->skills[i].difficulty);
}

/* The competence field: a code of the referentiel, the file's name. */
static void
ctc_code(ctb_ctx *ctx, const json_t *root, size_t k)
{
	const char *code;

	if (!orga_ctb_string(ctx, root, "competence", 1, 10, 0, &code))
		return;
	if (k != SIZE_MAX && strcmp(code, ctx->competences[k].code) == 0)
		return;
	for (size_t i = 0; i < ORGA_CONTENT_COMPETENCES; i++) {
		if (strcmp(code, ctx->competences[i].code) != 0)
			continue;
		orga_ctb_error(ctx, "competence",
		    "« %s » ne correspond pas au nom du fichier (attendu : "
		    "competences/%s.json)", code, code);
		return;
	}
	orga_ctb_error(ctx, "competence",
	    "« %s » n'est pas une compétence du référentiel", code);
}

void
orga_ctb_competence(ctb_ctx *ctx, const ctb_file *f, size_t k)
{
	const json_t *topics;
	size_t first = ctx->ntopics;

	ctx->file = f;
	if (!ctc_object(ctx, f->root, "une compétence"))
		return;
	orga_ctb_keys(ctx, f->root, ctc_root_keys, NULL, "une compétence");
	ctc_code(ctx, f->root, k);
	topics = orga_ctb_array(ctx, f->root, "topics", 0, SIZE_MAX);
	if (topics != NULL) {
		orga_ctb_push_key(ctx, "topics");
		for (size_t i = 0; i < json_array_size(topics); i++) {
			orga_ctb_push_index(ctx, i);
			ctc_topic(ctx, json_array_get(topics, i), k);
			orga_ctb_pop(ctx);
		}
		orga_ctb_pop(ctx);
	}
	if (k != SIZE_MAX) {
		ctx->competences[k].topic = first;
		ctx->competences[k].ntopics = ctx->ntopics - first;
	}
}
