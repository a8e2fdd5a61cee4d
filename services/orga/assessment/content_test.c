/*
 * content_test.c - loading the test bundle (testdata/bundle, written by
 * testdata/make-bundle.py) from its directory and from memory, and each
 * rule of the format refused with its file, line and path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "assessment/content.h"

#define TEST_BUNDLE "services/orga/assessment/testdata/bundle"

static const char *const test_names[] = {
	"README.md", "referentiel.json", "images/cle.png",
	"competences/1.1.json", "competences/1.2.json", "competences/1.3.json",
	"competences/2.1.json", "competences/2.2.json", "competences/2.3.json",
	"competences/2.4.json", "competences/3.1.json", "competences/3.2.json",
	"competences/3.3.json", "competences/3.4.json", "competences/4.1.json",
	"competences/4.2.json", "competences/4.3.json", "competences/5.1.json",
	"competences/5.2.json", "parcours/decouverte-6e.json",
	"parcours/parcours-2nde.json", "parcours/parcours-3e.json",
	"parcours/test-moteur.json", "parcours/tous-les-domaines.json",
};
#define TEST_NFILES (sizeof(test_names) / sizeof(test_names[0]))

/* The bundle in memory: files[i].data is owned (malloc). */
typedef struct test_bundle {
	orga_content_file files[TEST_NFILES + 1];
	size_t n;
} test_bundle;

static void
bundle_read(test_bundle *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < TEST_NFILES; i++) {
		char path[512];
		FILE *f;
		char *data;
		long len;

		snprintf(path, sizeof(path), "%s/%s", TEST_BUNDLE,
		    test_names[i]);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		rewind(f);
		data = malloc((size_t)len + 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		b->files[b->n].name = test_names[i];
		b->files[b->n].data = data;
		b->files[b->n].len = (size_t)len;
		b->n++;
	}
}

static void
bundle_free(test_bundle *b)
{
	for (size_t i = 0; i < b->n; i++)
		free((void *)b->files[i].data);
	b->n = 0;
}

static orga_content_file *
bundle_file(test_bundle *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->files[i].name, name) == 0)
			return &b->files[i];
	fail_msg("no file %s", name);
	return NULL;
}

/* Replaces the one occurrence of from by to in file name. */
static void
bundle_edit(test_bundle *b, const char *name, const char *from,
    const char *to)
{
	orga_content_file *f = bundle_file(b, name);
	const char *data = f->data, *at;
	size_t fl = strlen(from), tl = strlen(to);
	char *out;

	at = memmem(data, f->len, from, fl);
	if (at == NULL)
		fail_msg("%s: no \"%s\"", name, from);
	if (memmem(at + 1, f->len - (size_t)(at + 1 - data), from, fl) != NULL)
		fail_msg("%s: \"%s\" occurs twice", name, from);
	out = malloc(f->len - fl + tl + 1);
	assert_non_null(out);
	memcpy(out, data, (size_t)(at - data));
	memcpy(out + (at - data), to, tl);
	memcpy(out + (at - data) + tl, at + fl,
	    f->len - (size_t)(at - data) - fl);
	free((void *)f->data);
	f->data = out;
	f->len = f->len - fl + tl;
}

static void
bundle_drop(test_bundle *b, const char *name)
{
	orga_content_file *f = bundle_file(b, name);

	free((void *)f->data);
	*f = b->files[--b->n];
}

static void
the_test_bundle_loads_with_every_part_in_order(void **state)
{
	orga_content *c = NULL;
	orga_content_report r;
	size_t i;

	(void)state;
	orga_content_report_init(&r);
	assert_int_equal(orga_content_load_dir(TEST_BUNDLE, &c, &r), COM_OK);
	assert_int_equal(r.n, 0);
	assert_int_equal(c->nareas, 5);
	assert_int_equal(c->ncompetences, 16);
	assert_string_equal(c->competences[11].code, "4.1");
	assert_string_equal(c->competences[11].name,
	    "Sécuriser l'environnement numérique");
	assert_int_equal(c->competences[11].area, 3);
	assert_int_equal(c->ntopics, 20);
	assert_int_equal(c->nskills, 32);
	assert_int_equal(c->nquestions, 34);
	assert_int_equal(c->nparcours, 5);
	assert_string_equal(c->parcours[0].id, "decouverte-6e");
	assert_int_equal(c->parcours[0].nskills, 3);
	assert_int_equal(strlen(c->hash), 64);
	/* gamma is written 5, 1, 2: its skills come sorted, questions too. */
	assert_int_equal(orga_content_topic_find(c, "gamma", &i), COM_OK);
	assert_int_equal(c->topics[i].nskills, 3);
	assert_string_equal(c->skills[c->topics[i].skill].id, "@gamma1");
	assert_string_equal(c->skills[c->topics[i].skill + 2].id, "@gamma5");
	assert_int_equal(orga_content_question_find(c, "gamma5-a", &i),
	    COM_OK);
	assert_string_equal(c->skills[c->questions[i].skill].id, "@gamma5");
	assert_int_equal(orga_content_skill_find(c, "@alpha2", &i), COM_OK);
	assert_int_equal(c->skills[i].nquestions, 3);
	assert_int_equal(orga_content_skill_find(c, "@alpha7", &i),
	    COM_ENOTFOUND);
	orga_content_free(c);
	orga_content_report_fini(&r);
}

static void
each_kind_of_question_is_read(void **state)
{
	orga_content *c = NULL;
	const orga_content_question *q;
	size_t i;

	(void)state;
	assert_int_equal(orga_content_load_dir(TEST_BUNDLE, &c, NULL), COM_OK);
	assert_int_equal(orga_content_question_find(c, "motdepasse1-a", &i),
	    COM_OK);
	q = &c->questions[i];
	assert_int_equal(q->kind, ORGA_QUESTION_QCM);
	assert_int_equal(q->choices.n, 4);
	assert_string_equal(q->choices.v[3], "Vélo-Lune-42");
	assert_int_equal(q->solution, 0x2 | 0x8);
	assert_string_equal(q->image_file, "images/cle.png");
	assert_string_equal(q->image_alt, "Une clé");
	q = &c->questions[i + 1];
	assert_int_equal(q->kind, ORGA_QUESTION_QROC);
	assert_int_equal(q->tolerances, ORGA_TOL_T1 | ORGA_TOL_T2 |
	    ORGA_TOL_T3);
	assert_string_equal(q->label, "Votre réponse");
	assert_string_equal(q->placeholder, "Une région");
	assert_null(q->image_file);
	q = &c->questions[i + 2];
	assert_int_equal(q->kind, ORGA_QUESTION_QROCM);
	assert_false(q->dependent);
	assert_int_equal(q->nfields, 2);
	assert_string_equal(q->fields[1].answers.v[1], "www.exemple.fr");
	q = &c->questions[i + 3];
	assert_true(q->dependent);
	assert_int_equal(q->ngroups, 4);
	assert_int_equal(q->groups[1].n, 2);
	assert_string_equal(q->groups[1].v[1], "Google Chrome");
	assert_int_equal(q->tolerances, ORGA_TOL_T1 | ORGA_TOL_T3);
	orga_content_free(c);
}

static void
memory_and_directory_give_one_hash_that_follows_the_content(void **state)
{
	orga_content *a = NULL, *b = NULL, *d = NULL;
	test_bundle tb;

	(void)state;
	bundle_read(&tb);
	assert_int_equal(orga_content_load_dir(TEST_BUNDLE, &a, NULL), COM_OK);
	assert_int_equal(orga_content_load(tb.files, tb.n, &b, NULL), COM_OK);
	assert_string_equal(a->hash, b->hash);
	/* README.md is not content; an explanation is. */
	bundle_edit(&tb, "README.md", "not content", "pas du contenu");
	orga_content_free(b);
	assert_int_equal(orga_content_load(tb.files, tb.n, &b, NULL), COM_OK);
	assert_string_equal(a->hash, b->hash);
	bundle_edit(&tb, "competences/5.2.json", "Parce que.", "Parce que !");
	assert_int_equal(orga_content_load(tb.files, tb.n, &d, NULL), COM_OK);
	assert_string_not_equal(a->hash, d->hash);
	orga_content_free(a);
	orga_content_free(b);
	orga_content_free(d);
	bundle_free(&tb);
}

/* One broken rule: the edit, and a line the report must hold (a final
 * '*' matches any end). */
typedef struct test_case {
	const char *file, *from, *to;
	const char *want;
} test_case;

static const test_case test_cases[] = {
	{"competences/4.1.json", "4\n              ]", "5\n              ]",
	    "competences/4.1.json:22: topics[0].skills[0].questions[0]"
	    ".solution : l'indice 5 ne désigne aucun choix (4 choix)"},
	{"competences/4.1.json", "2,\n                4\n",
	    "4,\n                2\n",
	    "competences/4.1.json:22: topics[0].skills[0].questions[0]"
	    ".solution : les indices doivent être distincts et croissants"},
	{"competences/5.2.json", "                1\n              ]",
	    "                1,\n                2\n              ]",
	    "competences/5.2.json:21: topics[0].skills[0].questions[0]"
	    ".solution : 2 éléments, il en faut de 1 à 1"},
	{"competences/5.2.json", "\"Non\",", "\"Oui\",",
	    "competences/5.2.json:18: topics[0].skills[0].questions[0]"
	    ".choices[1] : en double (même texte que l'élément 0)"},
	{"competences/4.1.json", "\"QCM\"", "\"QCX\"",
	    "competences/4.1.json:14: topics[0].skills[0].questions[0].kind "
	    ": « QCX » : QCU, QCM, QROC ou QROCM attendu"},
	{"competences/4.1.json", "\"explanation\": \"Longs",
	    "\"explication\": \"Longs",
	    "competences/4.1.json:26: topics[0].skills[0].questions[0]"
	    ".explication : clé inconnue (une question QCM)"},
	{"competences/4.1.json", "\"explanation\": \"Longs",
	    "\"explication\": \"Longs",
	    "competences/4.1.json:12: topics[0].skills[0].questions[0]"
	    ".explanation : champ obligatoire absent"},
	{"competences/4.1.json", "\"placeholder\"", "\"fields\"",
	    "competences/4.1.json:50: topics[0].skills[1].questions[0].fields "
	    ": clé sans objet pour une question QROC"},
	{"competences/4.1.json", "\"difficulty\": 2,", "\"difficulty\": 1,",
	    "competences/4.1.json:35: topics[0].skills[1].difficulty : la "
	    "difficulté 1 est déjà celle de skills[0]"},
	{"competences/4.1.json", "\"difficulty\": 3,", "\"difficulty\": 9,",
	    "competences/4.1.json:56: topics[0].skills[2].difficulty : 9 hors "
	    "des bornes (1 à 8)"},
	{"competences/4.1.json", "\"difficulty\": 3,", "\"difficulty\": 3.0,",
	    "competences/4.1.json:56: topics[0].skills[2].difficulty : doit "
	    "être un nombre entier"},
	{"competences/4.1.json", "\"id\": \"t41\"", "\"id\": \"alpha\"",
	    "competences/4.1.json:130: topics[1].id : l'identifiant « alpha » "
	    "est déjà celui d'un sujet (competences/1.1.json:4)"},
	{"competences/4.1.json", "\"id\": \"t41\"", "\"id\": \"T-41\"",
	    "competences/4.1.json:130: topics[1].id : « T-41 » : seuls a-z et "
	    "0-9 sont permis"},
	{"competences/4.1.json", "\"id\": \"t41\"", "\"id\": \"t\"",
	    "competences/4.1.json:130: topics[1].id : 1 caractères, il en "
	    "faut de 2 à 30"},
	{"competences/4.1.json", "\"name\": \"Sujet 4.1\"", "\"name\": \"\"",
	    "competences/4.1.json:131: topics[1].name : 0 caractères, il en "
	    "faut de 1 à 200"},
	{"competences/4.1.json", "\"id\": \"t411-a\"",
	    "\"id\": \"motdepasse1-a\"",
	    "competences/4.1.json:138: topics[1].skills[0].questions[0].id : "
	    "l'identifiant « motdepasse1-a » est déjà celui d'une question "
	    "(competences/4.1.json:12)"},
	{"competences/4.1.json", "\"id\": \"t411-a\"", "\"id\": \"t411_a\"",
	    "competences/4.1.json:138: topics[1].skills[0].questions[0].id : "
	    "« t411_a » : seuls a-z, 0-9 et « - » sont permis"},
	{"competences/4.1.json", "\"t1\",\n                \"t2\",",
	    "\"t2\",\n                \"t1\",",
	    "competences/4.1.json:47: topics[0].skills[1].questions[0]"
	    ".tolerances[1] : « t1 » : les tolérances vont sans doublon, dans "
	    "l'ordre t1, t2, t3"},
	{"competences/4.1.json", "\"t3\"\n              ],\n              "
	    "\"placeholder\"", "\"t4\"\n              ],\n              "
	    "\"placeholder\"",
	    "competences/4.1.json:48: topics[0].skills[1].questions[0]"
	    ".tolerances[2] : doit être « t1 », « t2 » ou « t3 »"},
	{"competences/4.1.json", "\"text\": \"Complétez.\"",
	    "\"text\": \"<b>Complétez.</b>\"",
	    "competences/4.1.json:62: topics[0].skills[2].questions[0].text : "
	    "le texte ne doit pas contenir de HTML (« <b> »)"},
	{"competences/4.1.json", "\"text\": \"Complétez.\"",
	    "\"text\": \"Compl\\tétez.\"",
	    "competences/4.1.json:62: topics[0].skills[2].questions[0].text : "
	    "caractère de contrôle interdit (U+0009)"},
	{"competences/4.1.json", "\"dependent\": true,",
	    "\"dependent\": false,",
	    "competences/4.1.json:95: topics[0].skills[3].questions[0]"
	    ".fields[0].answers : champ obligatoire absent"},
	{"competences/4.1.json", "\"dependent\": true,",
	    "\"dependent\": false,",
	    "competences/4.1.json:103: topics[0].skills[3].questions[0]"
	    ".answers : clé sans objet pour une question QROCM indépendante"},
	{"competences/4.1.json", "\"dependent\": false,",
	    "\"dependent\": \"non\",",
	    "competences/4.1.json:78: topics[0].skills[2].questions[0]"
	    ".dependent : doit être true ou false"},
	{"competences/4.1.json", "\"label\": \"Premier\"",
	    "\"label\": \"Premier\", \"answers\": [\"x\"]",
	    "competences/4.1.json:96: topics[0].skills[3].questions[0]"
	    ".fields[0].answers : clé sans objet pour un champ de question "
	    "dépendante (ses réponses sont celles de la question)"},
	{"competences/4.1.json", "\"Safari\"\n", "\n",
	    "competences/4.1.json:112: topics[0].skills[3].questions[0]"
	    ".answers[2] : 0 graphies, il en faut de 1 à 20"},
	{"competences/4.1.json", "\"images/cle.png\"",
	    "\"images/absente.png\"",
	    "competences/4.1.json:28: topics[0].skills[0].questions[0].image"
	    ".file : « images/absente.png » : fichier absent du lot (les "
	    "images vont dans images/)"},
	{"competences/4.1.json", "\"images/cle.png\"", "\"../cle.png\"",
	    "competences/4.1.json:28: topics[0].skills[0].questions[0].image"
	    ".file : « ../cle.png » : chemin relatif au lot attendu"},
	{"competences/4.1.json", "\"competence\": \"4.1\"",
	    "\"competence\": \"4.2\"",
	    "competences/4.1.json:2: competence : « 4.2 » ne correspond pas au "
	    "nom du fichier (attendu : competences/4.2.json)"},
	{"competences/4.1.json", "\"competence\": \"4.1\"",
	    "\"competence\": \"6.1\"",
	    "competences/4.1.json:2: competence : « 6.1 » n'est pas une "
	    "compétence du référentiel"},
	{"competences/4.1.json", "\"competence\": \"4.1\",",
	    "\"competence\": \"4.1\"",
	    "competences/4.1.json:3: JSON invalide*"},
	{"competences/4.1.json", "\"kind\": \"QCM\",",
	    "\"kind\": \"QCM\", \"kind\": \"QCU\",",
	    "competences/4.1.json:14: JSON invalide*"},
	{"parcours/parcours-3e.json", "\"topic\": \"beta\"",
	    "\"topic\": \"zeta\"",
	    "parcours/parcours-3e.json:11: tubes[1].topic : le sujet « zeta » "
	    "n'existe pas"},
	{"parcours/parcours-3e.json", "\"topic\": \"beta\"",
	    "\"topic\": \"alpha\"",
	    "parcours/parcours-3e.json:11: tubes[1].topic : le sujet « alpha » "
	    "est déjà dans tubes[0]"},
	{"parcours/parcours-3e.json", "\"id\": \"parcours-3e\"",
	    "\"id\": \"parcours-4e\"",
	    "parcours/parcours-3e.json:2: id : « parcours-4e » ne correspond "
	    "pas au nom du fichier (attendu : parcours/parcours-4e.json)"},
	{"parcours/parcours-3e.json", "\"name\": \"Parcours 3e\"",
	    "\"name\": \"Parcours troisième\"",
	    "parcours/parcours-3e.json:3: name : « Parcours troisième » : ce "
	    "parcours s'appelle « Parcours 3e »"},
	{"parcours/parcours-3e.json", "\"max_difficulty\": 5",
	    "\"max_difficulty\": 0",
	    "parcours/parcours-3e.json:8: tubes[0].max_difficulty : 0 hors des "
	    "bornes (1 à 8)"},
	{"parcours/parcours-3e.json", "\"tubes\"", "\"sujets\"",
	    "parcours/parcours-3e.json:5: sujets : clé inconnue (un parcours)"},
	{"parcours/tous-les-domaines.json", "\"max_difficulty\": 6",
	    "\"max_difficulty\": 5",
	    "parcours/tous-les-domaines.json:8: tubes[0].max_difficulty : 5 : "
	    "il faut 6, la difficulté la plus haute du sujet « alpha »"},
	{"parcours/tous-les-domaines.json", "\"topic\": \"alpha\"",
	    "\"topic\": \"beta\"",
	    "parcours/tous-les-domaines.json:5: tubes : le sujet « alpha » "
	    "manque (ce parcours couvre tous les sujets)"},
	{"referentiel.json", "\"Gérer des données\"", "\"Gérer les données\"",
	    "referentiel.json:13: areas[0].competences[1].name : « Gérer les "
	    "données » : le nom officiel est « Gérer des données »"},
	{"referentiel.json", "\"code\": \"3\"", "\"code\": \"3bis\"",
	    "referentiel.json:44: areas[2].code : « 3bis » : attendu « 3 » (le "
	    "CRCN, dans l'ordre)"},
};

static bool
report_has(const orga_content_report *r, const char *want)
{
	size_t n = strlen(want);
	bool prefix = n > 0 && want[n - 1] == '*';

	for (size_t i = 0; i < r->n; i++)
		if (prefix ? strncmp(r->lines[i], want, n - 1) == 0 :
		             strcmp(r->lines[i], want) == 0)
			return true;
	return false;
}

static void
print_report(const orga_content_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		print_message("  got: %s\n", r->lines[i]);
}

static void
each_rule_is_refused_with_its_file_line_and_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(test_cases) / sizeof(*test_cases); i++) {
		const test_case *t = &test_cases[i];
		orga_content *c = NULL;
		orga_content_report r;
		test_bundle b;
		com_err rv;

		bundle_read(&b);
		bundle_edit(&b, t->file, t->from, t->to);
		orga_content_report_init(&r);
		rv = orga_content_load(b.files, b.n, &c, &r);
		if (rv != COM_EINVAL || !report_has(&r, t->want)) {
			print_report(&r);
			fail_msg("case %zu: want %s", i, t->want);
		}
		assert_null(c);
		orga_content_report_fini(&r);
		bundle_free(&b);
	}
}

static void
missing_and_unexpected_files_are_named(void **state)
{
	orga_content *c = NULL;
	orga_content_report r;
	test_bundle b;
	orga_content_file *extra;

	(void)state;
	bundle_read(&b);
	bundle_drop(&b, "competences/3.4.json");
	bundle_drop(&b, "parcours/decouverte-6e.json");
	extra = &b.files[b.n++];
	extra->name = "competences/notes.txt";
	extra->data = strdup("notes");
	extra->len = 5;
	orga_content_report_init(&r);
	assert_int_equal(orga_content_load(b.files, b.n, &c, &r), COM_EINVAL);
	assert_true(report_has(&r, "referentiel.json:59: "
	    "areas[2].competences[3] : aucun fichier competences/3.4.json"));
	assert_true(report_has(&r, "parcours/decouverte-6e.json: parcours "
	    "obligatoire absent (« Découverte (6e) »)"));
	assert_true(report_has(&r, "competences/notes.txt: fichier inattendu "
	    "(seuls des fichiers .json vont ici)"));
	/* The parcours covering every topic still names 3.4's. */
	assert_true(report_has(&r, "parcours/tous-les-domaines.json:59: "
	    "tubes[13].topic : le sujet « t34 » n'existe pas"));
	assert_int_equal(r.n, 4);
	assert_null(c);
	orga_content_report_fini(&r);
	bundle_free(&b);
}

static void
errors_past_the_cap_are_only_counted(void **state)
{
	orga_content *c = NULL;
	orga_content_report r;
	test_bundle b;
	char *big;
	size_t len = 0, cap = 300 * 200;

	(void)state;
	/* 300 topics with an unknown key each: 300 errors. */
	big = malloc(cap);
	assert_non_null(big);
	len += (size_t)snprintf(big, cap,
	    "{\"competence\": \"5.2\", \"topics\": [");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(big + len, cap - len,
		    "%s{\"id\": \"x%d\", \"name\": \"X\", \"oops\": 1, "
		    "\"skills\": [{\"difficulty\": 1, \"name\": \"S\", "
		    "\"questions\": []}]}", i ? "," : "", i);
	len += (size_t)snprintf(big + len, cap - len, "]}");
	bundle_read(&b);
	free((void *)bundle_file(&b, "competences/5.2.json")->data);
	bundle_file(&b, "competences/5.2.json")->data = big;
	bundle_file(&b, "competences/5.2.json")->len = len;
	orga_content_report_init(&r);
	assert_int_equal(orga_content_load(b.files, b.n, &c, &r), COM_EINVAL);
	assert_int_equal(r.n, ORGA_CONTENT_ERRORS_MAX);
	assert_true(r.dropped > 0);
	assert_true(r.n + r.dropped >= 600);
	orga_content_report_fini(&r);
	bundle_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_test_bundle_loads_with_every_part_in_order),
		cmocka_unit_test(each_kind_of_question_is_read),
		cmocka_unit_test(
		    memory_and_directory_give_one_hash_that_follows_the_content),
		cmocka_unit_test(
		    each_rule_is_refused_with_its_file_line_and_path),
		cmocka_unit_test(missing_and_unexpected_files_are_named),
		cmocka_unit_test(errors_past_the_cap_are_only_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
