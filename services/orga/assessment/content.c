/*
 * content.c - loading a bundle: its files sorted and parsed, the
 * referentiel, the competence files (content_check.c), the parcours, then
 * the immutable model and its hash; look-ups by id.
 */
#include "assessment/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "assessment/content_build.h"

#define CT_PARCOURS_ID_MAX 40
#define CT_PARCOURS_NAME_MAX 100
#define CT_DESCRIPTION_MAX 2000
#define CT_PATH_MAX 4096
#define CT_ALL_TOPICS "tous-les-domaines"

typedef struct ct_named {
	const char *code;
	const char *name;
} ct_named;

/* The CRCN: 5 areas and their 16 competences, in order. */
static const ct_named ct_areas[ORGA_CONTENT_AREAS] = {
	{"1", "Information et données"},
	{"2", "Communication et collaboration"},
	{"3", "Création de contenu"},
	{"4", "Protection et sécurité"},
	{"5", "Environnement numérique"},
};
static const ct_named ct_competences[ORGA_CONTENT_COMPETENCES] = {
	{"1.1", "Mener une recherche et une veille d'information"},
	{"1.2", "Gérer des données"},
	{"1.3", "Traiter des données"},
	{"2.1", "Interagir"},
	{"2.2", "Partager et publier"},
	{"2.3", "Collaborer"},
	{"2.4", "S'insérer dans le monde numérique"},
	{"3.1", "Développer des documents textuels"},
	{"3.2", "Développer des documents multimédia"},
	{"3.3", "Adapter les documents à leur finalité"},
	{"3.4", "Programmer"},
	{"4.1", "Sécuriser l'environnement numérique"},
	{"4.2", "Protéger les données personnelles et la vie privée"},
	{"4.3", "Protéger la santé, le bien-être et l'environnement"},
	{"5.1", "Résoudre des problèmes techniques"},
	{"5.2", "Construire un environnement numérique"},
};
/* The parcours every bundle has. */
static const ct_named ct_required[] = {
	{"decouverte-6e", "Découverte (6e)"},
	{"parcours-3e", "Parcours 3e"},
	{"parcours-2nde", "Parcours 2nde"},
	{CT_ALL_TOPICS, "Tous les domaines"},
};

static const char *const ct_ref_keys[] = {"areas", NULL};
static const char *const ct_area_keys[] = {"code", "name", "competences",
	NULL};
static const char *const ct_comp_keys[] = {"code", "name", NULL};
static const char *const ct_parcours_keys[] = {"id", "name", "description",
	"tubes", NULL};
static const char *const ct_tube_keys[] = {"topic", "max_difficulty", NULL};

void
orga_content_report_init(orga_content_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
orga_content_report_fini(orga_content_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

void
orga_content_free(orga_content *c)
{
	if (c == NULL)
		return;
	orga_ctb_store_free(c->store);
	free(c);
}

static int
ct_file_cmp(const void *a, const void *b)
{
	return strcmp(((const ctb_file *)a)->name, ((const ctb_file *)b)->name);
}

/* A bundle path: relative, no empty, "." or ".." part, no backslash. */
static bool
ct_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > CT_PATH_MAX || name[0] == '/' ||
	    name[n - 1] == '/' || strchr(name, '\\') != NULL ||
	    strstr(name, "//") != NULL)
		return false;
	for (const char *p = name; *p != '\0';) {
		size_t k = strcspn(p, "/");

		if ((k == 1 && p[0] == '.') ||
		    (k == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += k;
		if (*p == '/')
			p++;
	}
	return true;
}

/* Whether name is DIR/X.json with no further folder. */
static bool
ct_json_in(const char *name, const char *dir)
{
	size_t n = strlen(dir), len = strlen(name);

	return strncmp(name, dir, n) == 0 && name[n] == '/' &&
	    strchr(name + n + 1, '/') == NULL && len > n + 1 + 5 &&
	    strcmp(name + len - 5, ".json") == 0;
}

static bool
ct_under(const char *name, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(name, dir, n) == 0 && name[n] == '/';
}

/* Keeps the files of the bundle (sorted by name), refusing bad names;
 * false when the load cannot go on. */
static bool
ct_files(ctb_ctx *ctx, const orga_content_file *in, size_t n)
{
	ctx->files = calloc(n + 1, sizeof(*ctx->files));
	if (ctx->files == NULL) {
		ctx->fatal = COM_ENOMEM;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = in[i].name;

		if (name == NULL || !ct_name_ok(name)) {
			orga_ctb_error_at(ctx, name != NULL ? name : "?", 0,
			    "nom de fichier refusé (chemin relatif au lot "
			    "attendu)");
			continue;
		}
		if (strcmp(name, "referentiel.json") != 0 &&
		    !ct_under(name, "competences") &&
		    !ct_under(name, "parcours") && !ct_under(name, "images"))
			continue;      /* README.md, schema/: not content */
		if ((ct_under(name, "competences") &&
		        !ct_json_in(name, "competences")) ||
		    (ct_under(name, "parcours") && !ct_json_in(name, "parcours"))) {
			orga_ctb_error_at(ctx, name, 0,
			    "fichier inattendu (seuls des fichiers .json vont "
			    "ici)");
			continue;
		}
		if (in[i].len > ORGA_CONTENT_FILE_MAX) {
			orga_ctb_error_at(ctx, name, 0,
			    "fichier trop gros (%zu octets, %u au plus)",
			    in[i].len, ORGA_CONTENT_FILE_MAX);
			ctx->fatal = COM_ETOOLARGE;
			continue;
		}
		ctx->files[ctx->nfiles].name = name;
		ctx->files[ctx->nfiles].data = in[i].data;
		ctx->files[ctx->nfiles].len = in[i].len;
		ctx->nfiles++;
	}
	qsort(ctx->files, ctx->nfiles, sizeof(*ctx->files), ct_file_cmp);
	for (size_t i = 1; i < ctx->nfiles; i++)
		if (strcmp(ctx->files[i].name, ctx->files[i - 1].name) == 0)
			orga_ctb_error_at(ctx, ctx->files[i].name, 0,
			    "fichier en double");
	return ctx->fatal == COM_OK;
}

/* Parses and indexes the JSON files. */
static void
ct_parse(ctb_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nfiles && ctx->fatal == COM_OK; i++) {
		ctb_file *f = &ctx->files[i];
		json_error_t je;
		com_err rv;

		if (ct_under(f->name, "images"))
			continue;
		f->root = json_loadb((const char *)f->data, f->len,
		    JSON_REJECT_DUPLICATES, &je);
		if (f->root == NULL) {
			orga_ctb_error_at(ctx, f->name, je.line > 0 ?
			    (unsigned)je.line : 0,
			    "JSON invalide (colonne %d) : %s", je.column,
			    je.text);
			continue;
		}
		rv = orga_jsonline_new((const char *)f->data, f->len,
		    &f->lines);
		if (rv == COM_ENOMEM)
			ctx->fatal = rv;
		else if (rv != COM_OK)
			orga_ctb_error_at(ctx, f->name, 0,
			    "JSON illisible (imbrication trop profonde)");
	}
}

/* One named entry (area or competence) of the referentiel. */
static void
ct_named_check(ctb_ctx *ctx, const json_t *o, const ct_named *want,
    const char *const *keys, const char *what)
{
	const char *code, *name;

	if (!json_is_object(o)) {
		orga_ctb_error(ctx, NULL, "doit être un objet (%s)", what);
		return;
	}
	orga_ctb_keys(ctx, o, keys, NULL, what);
	if (orga_ctb_string(ctx, o, "code", 1, 10, 0, &code) &&
	    strcmp(code, want->code) != 0)
		orga_ctb_error(ctx, "code",
		    "« %s » : attendu « %s » (le CRCN, dans l'ordre)", code,
		    want->code);
	if (orga_ctb_string(ctx, o, "name", 1, 200, 0, &name) &&
	    strcmp(name, want->name) != 0)
		orga_ctb_error(ctx, "name",
		    "« %s » : le nom officiel est « %s »", name, want->name);
}

static void
ct_referentiel(ctb_ctx *ctx, const ctb_file *f)
{
	const json_t *areas;

	ctx->file = f;
	if (!json_is_object(f->root)) {
		orga_ctb_error(ctx, NULL, "doit être un objet (le référentiel)");
		return;
	}
	orga_ctb_keys(ctx, f->root, ct_ref_keys, NULL, "le référentiel");
	areas = orga_ctb_array(ctx, f->root, "areas", ORGA_CONTENT_AREAS,
	    ORGA_CONTENT_AREAS);
	if (areas == NULL)
		return;
	orga_ctb_push_key(ctx, "areas");
	for (size_t a = 0; a < ORGA_CONTENT_AREAS; a++) {
		const json_t *ao = json_array_get(areas, a), *comps;
		size_t want = ctx->areas[a].ncompetences;

		orga_ctb_push_index(ctx, a);
		ct_named_check(ctx, ao, &ct_areas[a], ct_area_keys,
		    "un domaine");
		comps = json_is_object(ao) ?
		    orga_ctb_array(ctx, ao, "competences", want, want) : NULL;
		orga_ctb_push_key(ctx, "competences");
		for (size_t j = 0; comps != NULL && j < want; j++) {
			orga_ctb_push_index(ctx, j);
			ct_named_check(ctx, json_array_get(comps, j),
			    &ct_competences[ctx->areas[a].competence + j],
			    ct_comp_keys, "une compétence");
			orga_ctb_pop(ctx);
		}
		orga_ctb_pop(ctx);
		orga_ctb_pop(ctx);
	}
	orga_ctb_pop(ctx);
}

/* The referentiel line naming competence k, to report its missing file. */
static void
ct_missing_competence(ctb_ctx *ctx, const ctb_file *ref, size_t k)
{
	const orga_content_competence *comp = &ctx->competences[k];
	size_t a = comp->area, j = k - ctx->areas[a].competence;

	ctx->file = ref;
	orga_ctb_push_key(ctx, "areas");
	orga_ctb_push_index(ctx, a);
	orga_ctb_push_key(ctx, "competences");
	orga_ctb_push_index(ctx, j);
	orga_ctb_error(ctx, NULL, "aucun fichier competences/%s.json",
	    comp->code);
	orga_ctb_pop(ctx);
	orga_ctb_pop(ctx);
	orga_ctb_pop(ctx);
	orga_ctb_pop(ctx);
}

static void
ct_competence_files(ctb_ctx *ctx)
{
	const ctb_file *ref = orga_ctb_file_find(ctx, "referentiel.json");
	char name[64];

	if (ref == NULL)
		orga_ctb_error_at(ctx, "referentiel.json", 0,
		    "fichier absent du lot");
	else if (ref->root != NULL)
		ct_referentiel(ctx, ref);
	for (size_t k = 0; k < ORGA_CONTENT_COMPETENCES; k++) {
		const ctb_file *f;

		snprintf(name, sizeof(name), "competences/%s.json",
		    ctx->competences[k].code);
		f = orga_ctb_file_find(ctx, name);
		if (f == NULL && ref != NULL && ref->lines != NULL)
			ct_missing_competence(ctx, ref, k);
		else if (f == NULL)
			orga_ctb_error_at(ctx, name, 0, "fichier absent du lot");
		else if (f->root != NULL)
			orga_ctb_competence(ctx, f, k);
	}
	/* Files named after no competence are checked all the same. */
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const ctb_file *f = &ctx->files[i];
		bool known = false;

		if (!ct_under(f->name, "competences") || f->root == NULL)
			continue;
		for (size_t k = 0; k < ORGA_CONTENT_COMPETENCES; k++) {
			snprintf(name, sizeof(name), "competences/%s.json",
			    ctx->competences[k].code);
			known = known || strcmp(name, f->name) == 0;
		}
		if (!known)
			orga_ctb_competence(ctx, f, SIZE_MAX);
	}
}

static bool
ct_topic_index(const ctb_ctx *ctx, const char *id, size_t *index)
{
	for (size_t i = 0; i < ctx->ntopics; i++)
		if (ctx->topics[i].id != NULL &&
		    strcmp(ctx->topics[i].id, id) == 0) {
			*index = i;
			return true;
		}
	return false;
}

/* "Tous les domaines" covers every topic up to its hardest skill. */
static void
ct_all_topics(ctb_ctx *ctx, const orga_content_parcours *p)
{
	for (size_t t = 0; t < ctx->ntopics; t++) {
		const orga_content_topic *topic = &ctx->topics[t];
		unsigned hardest;
		size_t i;

		if (topic->id == NULL || topic->nskills == 0)
			continue;
		hardest = ctx->skills[topic->skill + topic->nskills - 1]
		    .difficulty;
		for (i = 0; i < p->ntubes && p->tubes[i].topic != t; i++)
			;
		if (i == p->ntubes) {
			orga_ctb_error(ctx, "tubes",
			    "le sujet « %s » manque (ce parcours couvre tous "
			    "les sujets)", topic->id);
			continue;
		}
		if (p->tubes[i].max_difficulty >= hardest)
			continue;
		orga_ctb_push_key(ctx, "tubes");
		orga_ctb_push_index(ctx, i);
		orga_ctb_error(ctx, "max_difficulty",
		    "%u : il faut %u, la difficulté la plus haute du sujet "
		    "« %s »", p->tubes[i].max_difficulty, hardest, topic->id);
		orga_ctb_pop(ctx);
		orga_ctb_pop(ctx);
	}
}

static int
ct_size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* One tube: its topic (unique in the parcours) and max difficulty. */
static void
ct_tube(ctb_ctx *ctx, const json_t *to, orga_content_parcours *p,
    orga_content_tube *tubes)
{
	const char *topic;
	long long max;
	size_t t;

	if (!json_is_object(to)) {
		orga_ctb_error(ctx, NULL, "doit être un objet (un sujet visé)");
		return;
	}
	orga_ctb_keys(ctx, to, ct_tube_keys, NULL, "un sujet visé");
	if (!orga_ctb_string(ctx, to, "topic", 1, 100, 0, &topic) ||
	    !orga_ctb_integer(ctx, to, "max_difficulty", 1,
	        ORGA_CONTENT_DIFFICULTY_MAX, &max))
		return;
	if (!ct_topic_index(ctx, topic, &t)) {
		orga_ctb_error(ctx, "topic", "le sujet « %s » n'existe pas",
		    topic);
		return;
	}
	for (size_t i = 0; i < p->ntubes; i++) {
		if (tubes[i].topic != t)
			continue;
		orga_ctb_error(ctx, "topic",
		    "le sujet « %s » est déjà dans tubes[%zu]", topic, i);
		return;
	}
	tubes[p->ntubes].topic = t;
	tubes[p->ntubes].max_difficulty = (unsigned)max;
	p->ntubes++;
}

/* The target skills of p: each tube's skills up to its difficulty. */
static void
ct_targets(ctb_ctx *ctx, orga_content_parcours *p)
{
	size_t n = 0, *skills;

	for (size_t i = 0; i < p->ntubes; i++)
		n += ctx->topics[p->tubes[i].topic].nskills;
	skills = orga_ctb_alloc(ctx, (n + 1) * sizeof(*skills));
	if (skills == NULL)
		return;
	n = 0;
	for (size_t i = 0; i < p->ntubes; i++) {
		const orga_content_topic *t = &ctx->topics[p->tubes[i].topic];

		for (size_t s = t->skill; s < t->skill + t->nskills; s++)
			if (ctx->skills[s].difficulty <=
			    p->tubes[i].max_difficulty)
				skills[n++] = s;
	}
	qsort(skills, n, sizeof(*skills), ct_size_cmp);
	p->skills = skills;
	p->nskills = n;
}

static void
ct_parcours_one(ctb_ctx *ctx, const ctb_file *f, orga_content_parcours *p)
{
	const json_t *tubes;
	orga_content_tube *tv;
	const char *base = f->name + strlen("parcours/");
	size_t n;

	ctx->file = f;
	if (!json_is_object(f->root)) {
		orga_ctb_error(ctx, NULL, "doit être un objet (un parcours)");
		return;
	}
	orga_ctb_keys(ctx, f->root, ct_parcours_keys, NULL, "un parcours");
	if (orga_ctb_string(ctx, f->root, "id", 2, CT_PARCOURS_ID_MAX, 0,
	        &p->id) &&
	    orga_ctb_id(ctx, "id", p->id, 2, CT_PARCOURS_ID_MAX, true) &&
	    (strncmp(p->id, base, strlen(base) - 5) != 0 ||
	        strlen(p->id) != strlen(base) - 5))
		orga_ctb_error(ctx, "id",
		    "« %s » ne correspond pas au nom du fichier (attendu : "
		    "parcours/%s.json)", p->id, p->id);
	orga_ctb_string(ctx, f->root, "name", 1, CT_PARCOURS_NAME_MAX, 0,
	    &p->name);
	orga_ctb_string(ctx, f->root, "description", 1, CT_DESCRIPTION_MAX,
	    CTB_LINES, &p->description);
	tubes = orga_ctb_array(ctx, f->root, "tubes", 1, SIZE_MAX);
	if (tubes == NULL)
		return;
	n = json_array_size(tubes);
	tv = orga_ctb_alloc(ctx, n * sizeof(*tv));
	if (tv == NULL)
		return;
	p->tubes = tv;
	orga_ctb_push_key(ctx, "tubes");
	for (size_t i = 0; i < n; i++) {
		orga_ctb_push_index(ctx, i);
		ct_tube(ctx, json_array_get(tubes, i), p, tv);
		orga_ctb_pop(ctx);
	}
	orga_ctb_pop(ctx);
	ct_targets(ctx, p);
	if (p->nskills == 0 && p->ntubes == n)
		orga_ctb_error(ctx, "tubes", "le parcours ne vise aucun acquis");
	if (p->id != NULL && strcmp(p->id, CT_ALL_TOPICS) == 0)
		ct_all_topics(ctx, p);
}

static void
ct_parcours(ctb_ctx *ctx)
{
	orga_content_parcours *pv;
	size_t n = 0;

	for (size_t i = 0; i < ctx->nfiles; i++)
		n += ct_under(ctx->files[i].name, "parcours");
	pv = orga_ctb_alloc(ctx, (n + 1) * sizeof(*pv));
	if (pv == NULL)
		return;
	ctx->c->parcours = pv;
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const ctb_file *f = &ctx->files[i];

		if (!ct_under(f->name, "parcours") || f->root == NULL)
			continue;
		ct_parcours_one(ctx, f, &pv[ctx->c->nparcours++]);
	}
	for (size_t r = 0; r < sizeof(ct_required) / sizeof(*ct_required);
	     r++) {
		char name[64];
		const ctb_file *f;
		const char *got;

		snprintf(name, sizeof(name), "parcours/%s.json",
		    ct_required[r].code);
		f = orga_ctb_file_find(ctx, name);
		if (f == NULL) {
			orga_ctb_error_at(ctx, name, 0,
			    "parcours obligatoire absent (« %s »)",
			    ct_required[r].name);
			continue;
		}
		got = json_string_value(json_object_get(f->root, "name"));
		ctx->file = f;
		if (got != NULL && strcmp(got, ct_required[r].name) != 0)
			orga_ctb_error(ctx, "name",
			    "« %s » : ce parcours s'appelle « %s »", got,
			    ct_required[r].name);
	}
}

/* Copies a growing array into the arena (the model is immutable). */
static void *
ct_freeze(ctb_ctx *ctx, const void *v, size_t n, size_t size)
{
	void *p = orga_ctb_alloc(ctx, n * size + 1);

	if (p != NULL && n > 0)
		memcpy(p, v, n * size);
	return p;
}

static void
ct_hash(const ctb_ctx *ctx, char out[ORGA_CONTENT_HASH_SIZE])
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < ctx->nfiles; i++) {
		const ctb_file *f = &ctx->files[i];
		unsigned char len[8];

		for (int b = 0; b < 8; b++)
			len[b] = (unsigned char)((uint64_t)f->len >>
			    (56 - 8 * b));
		crypto_hash_sha256_update(&st, (const unsigned char *)f->name,
		    strlen(f->name) + 1);
		crypto_hash_sha256_update(&st, len, sizeof(len));
		crypto_hash_sha256_update(&st, f->data, f->len);
	}
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, ORGA_CONTENT_HASH_SIZE, digest, sizeof(digest));
}

/* Moves the documents and arrays into the model. */
static void
ct_finish(ctb_ctx *ctx)
{
	orga_content *c = ctx->c;
	struct orga_content_store *st = c->store;

	st->docs = calloc(ctx->nfiles + 1, sizeof(*st->docs));
	if (st->docs == NULL) {
		ctx->fatal = COM_ENOMEM;
		return;
	}
	for (size_t i = 0; i < ctx->nfiles; i++) {
		if (ctx->files[i].root == NULL)
			continue;
		st->docs[st->ndocs++] = ctx->files[i].root;
		ctx->files[i].root = NULL;
	}
	c->areas = ct_freeze(ctx, ctx->areas, ORGA_CONTENT_AREAS,
	    sizeof(*ctx->areas));
	c->nareas = ORGA_CONTENT_AREAS;
	c->competences = ct_freeze(ctx, ctx->competences,
	    ORGA_CONTENT_COMPETENCES, sizeof(*ctx->competences));
	c->ncompetences = ORGA_CONTENT_COMPETENCES;
	c->topics = ct_freeze(ctx, ctx->topics, ctx->ntopics,
	    sizeof(*ctx->topics));
	c->ntopics = ctx->ntopics;
	c->skills = ct_freeze(ctx, ctx->skills, ctx->nskills,
	    sizeof(*ctx->skills));
	c->nskills = ctx->nskills;
	c->questions = ct_freeze(ctx, ctx->questions, ctx->nquestions,
	    sizeof(*ctx->questions));
	c->nquestions = ctx->nquestions;
	ct_hash(ctx, c->hash);
}

static com_err
ct_ctx_init(ctb_ctx *ctx, orga_content_report *report)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->report = report;
	com_buf_init(&ctx->path, CT_PATH_MAX);
	ctx->c = calloc(1, sizeof(*ctx->c));
	if (ctx->c == NULL)
		return COM_ENOMEM;
	ctx->c->store = calloc(1, sizeof(*ctx->c->store));
	if (ctx->c->store == NULL)
		return COM_ENOMEM;
	for (size_t a = 0, k = 0; a < ORGA_CONTENT_AREAS; a++) {
		ctx->areas[a].code = ct_areas[a].code;
		ctx->areas[a].name = ct_areas[a].name;
		ctx->areas[a].competence = k;
		for (; k < ORGA_CONTENT_COMPETENCES &&
		     ct_competences[k].code[0] == ct_areas[a].code[0];
		     k++) {
			ctx->competences[k].code = ct_competences[k].code;
			ctx->competences[k].name = ct_competences[k].name;
			ctx->competences[k].area = a;
			ctx->areas[a].ncompetences++;
		}
	}
	return COM_OK;
}

static void
ct_ctx_fini(ctb_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nfiles; i++) {
		json_decref(ctx->files[i].root);
		orga_jsonline_free(ctx->files[i].lines);
	}
	free(ctx->files);
	free(ctx->topics);
	free(ctx->topic_where);
	free(ctx->skills);
	free(ctx->questions);
	free(ctx->question_where);
	com_buf_fini(&ctx->path);
	orga_content_free(ctx->c);
}

com_err
orga_content_load(const orga_content_file *files, size_t n,
    orga_content **out, orga_content_report *report)
{
	ctb_ctx ctx;
	com_err rv;

	rv = ct_ctx_init(&ctx, report);
	if (rv != COM_OK)
		goto out;
	if (n > ORGA_CONTENT_FILES_MAX) {
		orga_ctb_error_at(&ctx, ".", 0,
		    "trop de fichiers (%zu, %u au plus)", n,
		    ORGA_CONTENT_FILES_MAX);
		rv = COM_ETOOLARGE;
		goto out;
	}
	if (ct_files(&ctx, files, n)) {
		ct_parse(&ctx);
		if (ctx.fatal == COM_OK)
			ct_competence_files(&ctx);
		if (ctx.fatal == COM_OK)
			ct_parcours(&ctx);
	}
	if (ctx.fatal == COM_OK && ctx.nerrors == 0)
		ct_finish(&ctx);
	rv = ctx.fatal != COM_OK ? ctx.fatal :
	    ctx.nerrors > 0 ? COM_EINVAL : COM_OK;
	if (rv == COM_OK) {
		*out = ctx.c;
		ctx.c = NULL;
	}
out:
	ct_ctx_fini(&ctx);
	return rv;
}

/* The id of entry i of one of the model's arrays. */
typedef const char *(*ct_id_fn)(const orga_content *c, size_t i);

static const char *
ct_topic_id(const orga_content *c, size_t i)
{
	return c->topics[i].id;
}

static const char *
ct_skill_id(const orga_content *c, size_t i)
{
	return c->skills[i].id;
}

static const char *
ct_question_id(const orga_content *c, size_t i)
{
	return c->questions[i].id;
}

static const char *
ct_parcours_id(const orga_content *c, size_t i)
{
	return c->parcours[i].id;
}

static const char *
ct_competence_code(const orga_content *c, size_t i)
{
	return c->competences[i].code;
}

static com_err
ct_find(const orga_content *c, size_t n, ct_id_fn id_of, const char *id,
    size_t *index)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(id_of(c, i), id) == 0) {
			*index = i;
			return COM_OK;
		}
	return COM_ENOTFOUND;
}

com_err
orga_content_topic_find(const orga_content *c, const char *id,
    size_t *index)
{
	return ct_find(c, c->ntopics, ct_topic_id, id, index);
}

com_err
orga_content_skill_find(const orga_content *c, const char *id,
    size_t *index)
{
	return ct_find(c, c->nskills, ct_skill_id, id, index);
}

com_err
orga_content_question_find(const orga_content *c, const char *id,
    size_t *index)
{
	return ct_find(c, c->nquestions, ct_question_id, id, index);
}

com_err
orga_content_parcours_find(const orga_content *c, const char *id,
    size_t *index)
{
	return ct_find(c, c->nparcours, ct_parcours_id, id, index);
}

com_err
orga_content_competence_find(const orga_content *c, const char *code,
    size_t *index)
{
	return ct_find(c, c->ncompetences, ct_competence_code, code, index);
}
