/*
 * engine_bench.c - `make bench-engine`: the time of one step of the
 * assessment engine (next question + answer recorded) over a generated
 * bundle of 16 competences x 4 topics x 5 skills (384 questions), and of
 * a step as the server does it (engine rebuilt from the stored answers,
 * then next). Prints median and p99 in microseconds.
 *
 *   engine_bench [ASSESSMENTS]   (default 2000)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "assessment/content.h"
#include "assessment/engine.h"

#define BENCH_TOPICS 4
#define BENCH_SKILLS 5
#define BENCH_STEPS_MAX 64

static const char *const bench_codes[ORGA_CONTENT_COMPETENCES] = {
	"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3",
	"3.4", "4.1", "4.2", "4.3", "5.1", "5.2"};
static const char *const bench_areas[ORGA_CONTENT_AREAS] = {
	"Information et données", "Communication et collaboration",
	"Création de contenu", "Protection et sécurité",
	"Environnement numérique"};
static const char *const bench_names[ORGA_CONTENT_COMPETENCES] = {
	"Mener une recherche et une veille d'information",
	"Gérer des données", "Traiter des données", "Interagir",
	"Partager et publier", "Collaborer",
	"S'insérer dans le monde numérique",
	"Développer des documents textuels",
	"Développer des documents multimédia",
	"Adapter les documents à leur finalité", "Programmer",
	"Sécuriser l'environnement numérique",
	"Protéger les données personnelles et la vie privée",
	"Protéger la santé, le bien-être et l'environnement",
	"Résoudre des problèmes techniques",
	"Construire un environnement numérique"};
static const char *const bench_parcours[][2] = {
	{"decouverte-6e", "Découverte (6e)"}, {"parcours-3e", "Parcours 3e"},
	{"parcours-2nde", "Parcours 2nde"},
	{"tous-les-domaines", "Tous les domaines"}};

typedef struct bench_files {
	orga_content_file v[ORGA_CONTENT_COMPETENCES + 8];
	char names[ORGA_CONTENT_COMPETENCES + 8][64];
	size_t n;
} bench_files;

static void
bench_add(bench_files *f, const char *name, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text == NULL) {
		fprintf(stderr, "engine_bench: out of memory\n");
		exit(1);
	}
	snprintf(f->names[f->n], sizeof(f->names[f->n]), "%s", name);
	f->v[f->n].name = f->names[f->n];
	f->v[f->n].data = text;
	f->v[f->n].len = strlen(text);
	f->n++;
	json_decref(doc);
}

static json_t *
bench_question(const char *id)
{
	return json_pack("{s:s, s:s, s:s, s:[s,s,s], s:[i], s:s}", "id", id,
	    "kind", "QCU", "text", "Une question ?", "choices", "Oui", "Non",
	    "Peut-être", "solution", 1, "explanation", "Parce que.");
}

static void
bench_competence(bench_files *f, size_t k, json_t *all_tubes)
{
	json_t *topics = json_array();
	char name[64];

	for (int t = 0; t < BENCH_TOPICS; t++) {
		json_t *skills = json_array();
		char tid[32];

		snprintf(tid, sizeof(tid), "c%zut%d", k, t);
		for (int d = 1; d <= BENCH_SKILLS; d++) {
			json_t *qs = json_array();
			char qid[48];

			/* The first skill of each topic has two questions. */
			for (int q = 0; q < (d == 1 ? 2 : 1); q++) {
				snprintf(qid, sizeof(qid), "%s%d-%c", tid, d,
				    'a' + q);
				json_array_append_new(qs, bench_question(qid));
			}
			json_array_append_new(skills, json_pack(
			    "{s:i, s:s, s:o}", "difficulty", d, "name",
			    "Un acquis", "questions", qs));
		}
		json_array_append_new(topics, json_pack("{s:s, s:s, s:o}",
		    "id", tid, "name", "Un sujet", "skills", skills));
		json_array_append_new(all_tubes, json_pack("{s:s, s:i}",
		    "topic", tid, "max_difficulty", BENCH_SKILLS));
	}
	snprintf(name, sizeof(name), "competences/%s.json", bench_codes[k]);
	bench_add(f, name, json_pack("{s:s, s:o}", "competence",
	    bench_codes[k], "topics", topics));
}

static void
bench_bundle(bench_files *f)
{
	json_t *areas = json_array(), *tubes = json_array();

	memset(f, 0, sizeof(*f));
	for (size_t a = 0, k = 0; a < ORGA_CONTENT_AREAS; a++) {
		json_t *comps = json_array();
		char code[4];

		snprintf(code, sizeof(code), "%zu", a + 1);
		for (; k < ORGA_CONTENT_COMPETENCES &&
		     bench_codes[k][0] == code[0]; k++)
			json_array_append_new(comps, json_pack("{s:s, s:s}",
			    "code", bench_codes[k], "name", bench_names[k]));
		json_array_append_new(areas, json_pack("{s:s, s:s, s:o}",
		    "code", code, "name", bench_areas[a], "competences",
		    comps));
	}
	bench_add(f, "referentiel.json", json_pack("{s:o}", "areas", areas));
	for (size_t k = 0; k < ORGA_CONTENT_COMPETENCES; k++)
		bench_competence(f, k, tubes);
	for (size_t p = 0; p < 4; p++) {
		char name[64];

		snprintf(name, sizeof(name), "parcours/%s.json",
		    bench_parcours[p][0]);
		bench_add(f, name, json_pack("{s:s, s:s, s:s, s:O}", "id",
		    bench_parcours[p][0], "name", bench_parcours[p][1],
		    "description", "Un parcours généré.", "tubes", tubes));
	}
	json_decref(tubes);
}

static double
bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench_print(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp);
	printf("%s: steps=%zu median_us=%.2f p99_us=%.2f max_us=%.2f\n", what,
	    n, v[n / 2], v[n * 99 / 100], v[n - 1]);
}

int
main(int argc, char **argv)
{
	bench_files f;
	orga_content *c = NULL;
	orga_content_report r;
	const orga_content_parcours *p;
	size_t runs = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	size_t n = 0, nr = 0, cap = runs * BENCH_STEPS_MAX, pi;
	double *steps = malloc(cap * sizeof(*steps));
	double *rebuilds = malloc(cap * sizeof(*rebuilds));
	double t0;
	uint64_t seed = 42;

	if (steps == NULL || rebuilds == NULL || runs == 0)
		return 1;
	bench_bundle(&f);
	orga_content_report_init(&r);
	t0 = bench_now_us();
	if (orga_content_load(f.v, f.n, &c, &r) != COM_OK) {
		for (size_t i = 0; i < r.n; i++)
			fprintf(stderr, "%s\n", r.lines[i]);
		return 1;
	}
	printf("bundle: questions=%zu skills=%zu load_ms=%.1f\n",
	    c->nquestions, c->nskills, (bench_now_us() - t0) / 1e3);
	if (orga_content_parcours_find(c, "tous-les-domaines", &pi) != COM_OK)
		return 1;
	p = &c->parcours[pi];
	for (size_t run = 0; run < runs; run++) {
		orga_engine *e = NULL;
		size_t asked[BENCH_STEPS_MAX], k = 0, q;
		bool rights[BENCH_STEPS_MAX];
		unsigned level = 1 + (unsigned)(run % 6);

		if (orga_engine_new(c, p->skills, p->nskills, &e) != COM_OK)
			return 1;
		for (;;) {
			double s = bench_now_us();
			bool right;

			if (orga_engine_next(e, orga_engine_rng_next, &seed,
			        &q) != COM_OK)
				break;
			right = c->skills[c->questions[q].skill].difficulty <=
			    level || (orga_engine_rng_next(&seed) & 7) == 0;
			if (orga_engine_record(e, q, right) != COM_OK)
				return 1;
			steps[n++] = bench_now_us() - s;
			rights[k] = right;
			asked[k++] = q;
		}
		orga_engine_free(e);
		/* The server's step: rebuilt from the answers, then next. */
		for (size_t upto = 0; upto < k && nr < cap; upto += 7) {
			double s = bench_now_us();
			uint64_t rs = run;

			if (orga_engine_new(c, p->skills, p->nskills, &e) !=
			    COM_OK)
				return 1;
			for (size_t i = 0; i < upto; i++)
				if (orga_engine_record(e, asked[i], rights[i]) !=
				    COM_OK)
					return 1;
			if (orga_engine_next(e, orga_engine_rng_next, &rs,
			        &q) != COM_OK)
				return 1;
			orga_engine_free(e);
			rebuilds[nr++] = bench_now_us() - s;
		}
	}
	bench_print("engine step (next + record)", steps, n);
	bench_print("server step (rebuild from answers + next)", rebuilds, nr);
	orga_content_free(c);
	orga_content_report_fini(&r);
	for (size_t i = 0; i < f.n; i++)
		free((void *)f.v[i].data);
	free(steps);
	free(rebuilds);
	return 0;
}
