/*
 * siecle_test.c - the SIECLE parser against every shared sample (what
 * ../shared/siecle-samples/README.md promises), encodings, field order,
 * dates, double UTF-8, zips, hostile XML, limits and allocation failures.
 * Samples are read from $SIECLE_SAMPLES_DIR (default
 * ../shared/siecle-samples, relative to the repository root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "siecle/collect.h"
#include "log.h"
#include "siecle/rules.h"
#include "siecle/siecle.h"
#include "siecle/xmlmem.h"
#include "siecle/zip.h"

#define UAI "0123456A"
#define TODAY 20240901

/* One parse of a document into a collect and a report. */
typedef struct run {
	imp_collect c;
	imp_report r;
	com_err rv;
} run;

static void
run_fini(run *t)
{
	imp_collect_fini(&t->c);
	imp_report_fini(&t->r);
}

static void
run_lim(run *t, const void *data, size_t len, size_t chunk,
    const imp_limits *lim)
{
	imp_collect_init(&t->c);
	imp_report_init(&t->r, lim->max_messages);
	t->rv = imp_collect_run(&t->c, &t->r, UAI, TODAY, lim, data, len,
	    chunk);
}

/*
 * run_buffered is run_lim reading into the parser's own buffer
 * (imp_siecle_buffer, as the importer reads an upload), chunk bytes at a
 * time.
 */
/* run_parser: a parser for UAI on TODAY into t's collect and report. */
static imp_siecle *
run_parser(run *t, const imp_limits *lim)
{
	imp_options o;
	imp_siecle *p;

	memset(&o, 0, sizeof(o));
	imp_collect_init(&t->c);
	imp_report_init(&t->r, lim->max_messages);
	memcpy(o.uai, UAI, sizeof(o.uai));
	o.today = TODAY;
	o.limits = *lim;
	o.report = &t->r;
	o.on_student = imp_collect_student;
	o.on_class = imp_collect_class;
	o.arg = &t->c;
	assert_int_equal(imp_siecle_new(&o, &p), COM_OK);
	return p;
}

static void
run_buffered(run *t, const char *data, size_t len, size_t chunk,
    const imp_limits *lim)
{
	imp_siecle *p = run_parser(t, lim);

	t->rv = COM_OK;
	for (size_t off = 0; off < len && t->rv == COM_OK; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		void *room;

		t->rv = imp_siecle_buffer(p, chunk, &room);
		if (t->rv == COM_OK) {
			memcpy(room, data + off, n);
			t->rv = imp_siecle_feed_buffer(p, n);
		}
	}
	if (t->rv == COM_OK)
		t->rv = imp_siecle_finish(p);
	imp_siecle_free(p);
	if (t->rv == COM_OK || t->rv == COM_EINVAL)
		t->rv = imp_collect_finish(&t->c, &t->r);
}

static void
run_doc(run *t, const char *doc)
{
	imp_limits lim;

	imp_limits_default(&lim);
	run_lim(t, doc, strlen(doc), 5, &lim);
}

static char *
read_sample(const char *name, size_t *len)
{
	const char *dir = getenv("SIECLE_SAMPLES_DIR");
	char path[1024];
	char *buf;
	FILE *f;
	long n;

	if (dir == NULL || dir[0] == '\0')
		dir = "../shared/siecle-samples";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open sample %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
assert_same_report(const imp_report *a, const imp_report *b)
{
	assert_int_equal(a->nerrors, b->nerrors);
	assert_int_equal(a->nskips, b->nskips);
	for (size_t i = 0; i < a->nerrors; i++)
		assert_string_equal(a->errors[i], b->errors[i]);
	for (size_t i = 0; i < a->nskips; i++)
		assert_string_equal(a->skips[i], b->skips[i]);
}

/* The learners of two runs are the same, in the same order. */
static void
assert_same_learners(const imp_collect *a, const imp_collect *b)
{
	assert_int_equal(a->nlearners, b->nlearners);
	for (size_t i = 0; i < a->nlearners; i++) {
		const imp_learner *x = &a->learners[i], *y = &b->learners[i];

		assert_string_equal(x->ine, y->ine);
		assert_string_equal(x->eleve_id, y->eleve_id);
		assert_string_equal(x->last_name, y->last_name);
		assert_string_equal(x->first_name, y->first_name);
		assert_string_equal(x->birth_date, y->birth_date);
		assert_string_equal(x->class_code, y->class_code);
	}
}

/*
 * assert_parts_agree parses doc in parts as the importer cuts an upload
 * (collect.h), for several chunk and part sizes: whenever the parts can
 * decide (not COM_ECONFLICT), everything must be as in t, the parse in
 * one piece. Returns how many of those parses used more than one part.
 */
static int
assert_parts_agree(const run *t, const char *doc, size_t len,
    const imp_limits *lim)
{
	static const size_t ways[][3] = {
		/* chunk bytes, chunks per part, bytes per feed */
		{64, 1, 64}, {256, 1, 7}, {1024, 2, 4096}, {4096, 3, 100},
		{65536, 1, 65536},
	};
	int split = 0;

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		size_t parts;
		run u;

		imp_collect_init(&u.c);
		imp_report_init(&u.r, lim->max_messages);
		u.rv = imp_collect_run_parts(&u.c, &u.r, UAI, TODAY, lim, doc,
		    len, ways[i][0], ways[i][1], ways[i][2], &parts);
		if (u.rv != COM_ECONFLICT) {
			assert_int_equal(u.rv, t->rv);
			assert_same_report(&u.r, &t->r);
			assert_int_equal(u.r.errors_total, t->r.errors_total);
			assert_int_equal(u.r.students, t->r.students);
			assert_int_equal(u.r.accepted, t->r.accepted);
			assert_int_equal(u.r.classes, t->r.classes);
			assert_memory_equal(u.r.skipped, t->r.skipped,
			    sizeof(u.r.skipped));
			assert_same_learners(&u.c, &t->c);
			split += parts > 1;
		}
		run_fini(&u);
	}
	return split;
}

/*
 * Parses sample name fed byte by byte, 7 bytes, 4 KiB and whole, then
 * read into the parser's buffer 7 bytes and 4 KiB at a time: every way
 * must give the same report. t gets the whole-buffer run.
 */
static void
run_sample(run *t, const char *name)
{
	static const size_t chunks[] = {1, 7, 4096};
	imp_limits lim;
	size_t len;
	char *doc = read_sample(name, &len);

	imp_limits_default(&lim);
	run_lim(t, doc, len, 0, &lim);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		run u;

		run_lim(&u, doc, len, chunks[i], &lim);
		assert_int_equal(u.rv, t->rv);
		assert_int_equal(u.c.nlearners, t->c.nlearners);
		assert_same_report(&u.r, &t->r);
		run_fini(&u);
		if (chunks[i] == 1)
			continue;
		run_buffered(&u, doc, len, chunks[i], &lim);
		assert_int_equal(u.rv, t->rv);
		assert_int_equal(u.c.nlearners, t->c.nlearners);
		assert_same_report(&u.r, &t->r);
		run_fini(&u);
	}
	(void)assert_parts_agree(t, doc, len, &lim);
	free(doc);
}

static void
assert_errors(const imp_report *r, size_t n, ...)
{
	va_list ap;

	if (r->nerrors != n)
		for (size_t i = 0; i < r->nerrors; i++)
			print_message("error: %s\n", r->errors[i]);
	assert_int_equal(r->nerrors, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->errors[i], va_arg(ap, const char *));
	va_end(ap);
}

static const imp_learner *
learner(const run *t, const char *ine)
{
	const imp_learner *l = imp_collect_find(&t->c, ine);

	if (l == NULL)
		fail_msg("no learner with INE %s", ine);
	return l;
}

/* The two students every valid sample holds. */
static void
assert_two_valid(const run *t)
{
	const imp_learner *l;

	assert_int_equal(t->rv, COM_OK);
	assert_int_equal(t->c.nlearners, 2);
	assert_int_equal(t->r.nerrors, 0);
	assert_int_equal(t->r.nskips, 0);
	l = learner(t, "00000000123");
	assert_string_equal(l->last_name, "HANDMADE");
	assert_string_equal(l->usage_name, "");
	assert_string_equal(l->first_name, "Luciole");
	assert_string_equal(l->first_name2, "Léa");
	assert_string_equal(l->first_name3, "Lucy");
	assert_int_equal(l->sex, 'F');
	assert_string_equal(l->birth_date, "1994-12-31");
	assert_string_equal(l->class_code, "4A");
	assert_string_equal(l->country_code, "100");
	assert_string_equal(l->dept_code, "033");
	assert_string_equal(l->commune_code, "33318");
	assert_null(l->birth_town);
	assert_string_equal(l->mef_code, "123456789");
	assert_string_equal(l->status_code, "AP");
	assert_string_equal(l->eleve_id, "0001");
	l = learner(t, "00000000124");
	assert_string_equal(l->last_name, "COVERT");
	assert_string_equal(l->usage_name, "COJAUNE");
	assert_string_equal(l->first_name, "Harry");
	assert_string_equal(l->first_name2, "Coc\xC5\x93"); /* Cocœ */
	assert_string_equal(l->first_name3, "");
	assert_int_equal(l->sex, 'M');
	assert_string_equal(l->birth_date, "1994-07-01");
	assert_string_equal(l->class_code, "4A"); /* group 42 ignored */
	assert_string_equal(l->country_code, "132");
	assert_string_equal(l->birth_town, "LONDRES");
	assert_string_equal(l->mef_code, "12341234");
}

static void
sample_two_valid_students_are_imported(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-two-valid-students.xml");
	assert_two_valid(&t);
	run_fini(&t);
}

static void
sample_with_school_year_gives_the_same_result(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-two-valid-students-and-school-year.xml");
	assert_two_valid(&t);
	run_fini(&t);
}

static void
sample_with_only_ignored_students_is_refused_as_empty(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-only-ignored-student.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_int_equal(t.c.nlearners, 0);
	assert_errors(&t.r, 1, "Aucun élève ne peut être importé : les 5 "
	    "élèves du fichier sont tous ignorés (voir le détail).");
	assert_int_equal(t.r.skipped[IMP_SKIP_LEFT], 1);
	assert_int_equal(t.r.skipped[IMP_SKIP_NOT_ARRIVED], 1);
	assert_int_equal(t.r.skipped[IMP_SKIP_NO_CLASS], 3);
	assert_int_equal(t.r.nskips, 5);
	assert_string_equal(t.r.skips[0], "Élève FRANCIS--FROUFROU Grégory "
	    "(sans INE, ELEVE_ID 0003) : ignoré, pas encore arrivé (pas "
	    "d'INE dans le fichier).");
	assert_string_equal(t.r.skips[1], "Élève GRADE François (INE "
	    "00000000126, ELEVE_ID 0005) : ignoré, a quitté l'établissement "
	    "le 01/09/2019.");
	assert_string_equal(t.r.skips[2], "Élève HANDMADE Luciole (INE "
	    "00000000123, ELEVE_ID 0001) : ignoré, sans classe.");
	assert_string_equal(t.r.skips[3], "Élève COVERT Harry (INE "
	    "00000000124, ELEVE_ID 0002) : ignoré, sans classe.");
	assert_string_equal(t.r.skips[4], "Élève FRANGE COLIN (INE "
	    "00000000125, ELEVE_ID 0004) : ignoré, sans classe.");
	run_fini(&t);
}

static void
sample_with_wrong_uai_names_both_schools(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-wrong-uai.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_true(t.r.file_error);
	assert_errors(&t.r, 1, "Ce fichier est celui de l'établissement "
	    "WRONGUAI, pas de 0123456A.");
	assert_int_equal(t.r.students, 0);
	run_fini(&t);
}

static void
sample_without_uai_is_refused_as_another_school(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-no-uai.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Ce fichier n'indique pas son établissement "
	    "(PARAMETRES/UAJ absent) : il doit être celui de 0123456A.");
	assert_int_equal(t.r.students, 0);
	run_fini(&t);
}

#define DUP_MSG \
	"Élève COVERT Harry (INE 00000000123, ELEVE_ID 0002) : INE " \
	"00000000123 en double, déjà attribué à l'élève HANDMADE Luciole " \
	"(ELEVE_ID 0001)."

static void
sample_with_duplicate_ine_names_both_students(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-duplicate-national-student-id.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, DUP_MSG);
	run_fini(&t);
}

static void
sample_with_duplicate_and_bad_tag_reports_both(void **state)
{
	run t;

	(void)state;
	run_sample(&t,
	    "siecle-with-duplicate-national-student-id-and-unclosed-tag.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	/* Duplicates are looked for once the parse ended. */
	assert_errors(&t.r, 2, "Le fichier XML est mal formé, ligne 39, "
	    "colonne 14 : caractère ou balise invalide.", DUP_MSG);
	run_fini(&t);
}

static void
sample_with_empty_ine_names_the_student(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-no-national-student-id.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Élève COVERT Harry (INE vide, ELEVE_ID 0002) "
	    ": INE (ID_NATIONAL) vide.");
	run_fini(&t);
}

static void
sample_with_unknown_encoding_names_it(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-with-unknown-encoding.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "L'encodage x-macthai n'est pas pris en charge "
	    ": le fichier doit être en ISO-8859-15 (celui des exports "
	    "SIECLE), ISO-8859-1, windows-1252 ou UTF-8.");
	run_fini(&t);
}

static void
sample_in_utf8_with_bom_is_imported(void **state)
{
	const imp_learner *l;
	run t;

	(void)state;
	run_sample(&t, "siecle-with-bom.xml");
	assert_int_equal(t.rv, COM_OK);
	assert_int_equal(t.c.nlearners, 1);
	l = learner(&t, "00000000123");
	assert_string_equal(l->last_name, "COVERT");
	assert_string_equal(l->first_name, "Harry");
	assert_string_equal(l->birth_date, "1994-12-31");
	assert_string_equal(l->class_code, "4A");
	assert_int_equal(l->sex, 0); /* no CODE_SEXE element */
	run_fini(&t);
}

static void
sample_cut_inside_a_student_is_malformed(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-broken-after-uai.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_int_equal(t.c.nlearners, 0);
	assert_errors(&t.r, 1, "Le fichier XML est mal formé, ligne 13, "
	    "colonne 1 : le fichier se termine avant la fin du document "
	    "(fichier vide ou tronqué ?).");
	run_fini(&t);
}

static void
sample_with_iso_birth_date_is_refused(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-student-with-invalid-birthdate-format.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Élève COVERT Harry (INE 12345, ELEVE_ID 0002) "
	    ": date de naissance invalide « 1922-07-07 » (attendu "
	    "JJ/MM/AAAA).");
	run_fini(&t);
}

static void
sample_born_in_france_without_commune_is_refused(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-french-student-with-no-birth-city-code.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Élève COVERT Harry (INE 1234, ELEVE_ID 0002) "
	    ": code de la commune de naissance (CODE_COMMUNE_INSEE_NAISS) "
	    "manquant pour un élève né en France.");
	run_fini(&t);
}

static void
sample_with_several_errors_lists_them_all(void **state)
{
	run t;

	(void)state;
	run_sample(&t, "siecle-student-with-no-sex-no-birthdate.xml");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 3,
	    "Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : date de "
	    "naissance (DATE_NAISS) manquante.",
	    "Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : code sexe "
	    "(CODE_SEXE) manquant.",
	    "Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : code de la "
	    "commune de naissance (CODE_COMMUNE_INSEE_NAISS) manquant pour "
	    "un élève né en France.");
	run_fini(&t);
}

/* Synthetic documents. */

#define HEAD(enc) \
	"<?xml version=\"1.0\" encoding=\"" enc "\"?>\n" \
	"<BEE_ELEVES VERSION=\"3.0\"><PARAMETRES><UAJ>0123456A</UAJ>" \
	"</PARAMETRES><DONNEES>"
#define TAIL "</DONNEES></BEE_ELEVES>\n"
#define CLASS(id, code) \
	"<STRUCTURES_ELEVE ELEVE_ID=\"" id "\"><STRUCTURE><CODE_STRUCTURE>" \
	code "</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE>" \
	"</STRUCTURE></STRUCTURES_ELEVE>"
/* A valid student with some fields given by the caller. */
#define ELEVE(id, ine, names, extra) \
	"<ELEVE ELEVE_ID=\"" id "\"><ID_NATIONAL>" ine "</ID_NATIONAL>" \
	names "<DATE_NAISS>01/02/2010</DATE_NAISS><CODE_SEXE>1</CODE_SEXE>" \
	"<CODE_PAYS>100</CODE_PAYS><CODE_COMMUNE_INSEE_NAISS>33318" \
	"</CODE_COMMUNE_INSEE_NAISS>" extra "</ELEVE>"
#define NAMES(last, first) \
	"<NOM_DE_FAMILLE>" last "</NOM_DE_FAMILLE><PRENOM>" first "</PRENOM>"

static void
latin9_letters_are_decoded(void **state)
{
	/* Š 0xA6, ž 0xB8, Œ 0xBC, Ÿ 0xBE, € 0xA4, œ 0xBD, š 0xA8, Ž 0xB4 */
	const char *doc = HEAD("ISO-8859-15") "<ELEVES>"
	    ELEVE("1", "123456789AB", NAMES("\xA6\xB4\xBC\xBE", "\xB8\xBD\xA8"),
	        "<PRENOM2>\xA4</PRENOM2>") "</ELEVES><STRUCTURES>"
	    CLASS("1", "3e") "</STRUCTURES>" TAIL;
	const imp_learner *l;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_OK);
	l = learner(&t, "123456789AB");
	assert_string_equal(l->last_name, "ŠŽŒŸ");
	assert_string_equal(l->first_name, "žœš");
	assert_string_equal(l->first_name2, "€");
	run_fini(&t);
}

static void
windows1252_and_latin1_are_decoded(void **state)
{
	const char *cp = HEAD("windows-1252") "<ELEVES>"
	    ELEVE("1", "123456789AB", NAMES("D\x92" "ARC", "\x8A\x9C\xE9"), "")
	    "</ELEVES><STRUCTURES>" CLASS("1", "3e") "</STRUCTURES>" TAIL;
	const char *l1 = HEAD("ISO-8859-1") "<ELEVES>"
	    ELEVE("1", "123456789AB", NAMES("A\xBD", "\xE9"), "")
	    "</ELEVES><STRUCTURES>" CLASS("1", "3e") "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	run_doc(&t, cp);
	assert_int_equal(t.rv, COM_OK);
	assert_string_equal(learner(&t, "123456789AB")->last_name, "D’ARC");
	assert_string_equal(learner(&t, "123456789AB")->first_name, "Šœé");
	run_fini(&t);
	run_doc(&t, l1);
	assert_int_equal(t.rv, COM_OK);
	/* Latin-1 as declared: 0xBD is ½ there. */
	assert_string_equal(learner(&t, "123456789AB")->last_name, "A½");
	run_fini(&t);
}

static void
fields_in_any_order_and_classes_first_give_the_same_result(void **state)
{
	const char *doc = HEAD("UTF-8") "<STRUCTURES>" CLASS("7", "5B")
	    "</STRUCTURES><ELEVES><ELEVE ELENOET=\"99\" ELEVE_ID=\"7\">"
	    "<CODE_MEF>111</CODE_MEF><CODE_COMMUNE_INSEE_NAISS>75056"
	    "</CODE_COMMUNE_INSEE_NAISS><CODE_PAYS>100</CODE_PAYS>"
	    "<PRENOM3>C</PRENOM3><CODE_SEXE>2</CODE_SEXE><PRENOM>Anna"
	    "</PRENOM><DATE_NAISS> 29/02/2008 </DATE_NAISS><BOURSE/>"
	    "<NOM_DE_FAMILLE>  DUPONT </NOM_DE_FAMILLE><ID_NATIONAL>"
	    "123456789ab</ID_NATIONAL></ELEVE></ELEVES>" TAIL;
	const imp_learner *l;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_OK);
	l = learner(&t, "123456789AB"); /* upper-cased */
	assert_string_equal(l->last_name, "DUPONT");
	assert_string_equal(l->first_name, "Anna");
	assert_null(l->first_name2);
	assert_string_equal(l->first_name3, "C");
	assert_string_equal(l->birth_date, "2008-02-29");
	assert_int_equal(l->sex, 'F');
	assert_string_equal(l->class_code, "5B");
	assert_string_equal(l->mef_code, "111");
	assert_null(l->usage_name); /* absent, not empty */
	run_fini(&t);
}

static void
only_the_direct_code_mef_counts(void **state)
{
	const char *doc = HEAD("UTF-8") "<ELEVES>"
	    ELEVE("1", "00000000001", NAMES("A", "B"),
	        "<SCOLARITE_AN_DERNIER><CODE_MEF>OLD</CODE_MEF>"
	        "</SCOLARITE_AN_DERNIER>")
	    ELEVE("2", "00000000002", NAMES("C", "D"),
	        "<CODE_MEF>NEW</CODE_MEF><SCOLARITE_AN_DERNIER><CODE_MEF>OLD"
	        "</CODE_MEF><CODE_STRUCTURE>X</CODE_STRUCTURE>"
	        "</SCOLARITE_AN_DERNIER>")
	    "</ELEVES><STRUCTURES>" CLASS("1", "3A") CLASS("2", "3A")
	    "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_OK);
	assert_null(learner(&t, "00000000001")->mef_code);
	assert_string_equal(learner(&t, "00000000002")->mef_code, "NEW");
	run_fini(&t);
}

static void
the_class_is_the_last_division_not_inactifs(void **state)
{
	const char *doc = HEAD("UTF-8") "<ELEVES>"
	    ELEVE("1", "00000000001", NAMES("A", "B"), "")
	    ELEVE("01", "00000000002", NAMES("C", "D"), "")
	    "</ELEVES><STRUCTURES>"
	    "<STRUCTURES_ELEVE ELEVE_ID=\"1\"><STRUCTURE><CODE_STRUCTURE>3A"
	    "</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
	    "<STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE><CODE_STRUCTURE>4B"
	    "</CODE_STRUCTURE></STRUCTURE><STRUCTURE><CODE_STRUCTURE>Inactifs"
	    "</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
	    "<STRUCTURE><CODE_STRUCTURE>G1</CODE_STRUCTURE><TYPE_STRUCTURE>G"
	    "</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>"
	    "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_OK);
	assert_string_equal(learner(&t, "00000000001")->class_code, "4B");
	/* ELEVE_ID "01" is not "1": compared as strings. */
	assert_int_equal(t.c.nlearners, 1);
	assert_int_equal(t.r.skipped[IMP_SKIP_NO_CLASS], 1);
	run_fini(&t);
}

static void
dates_must_be_real_and_strict(void **state)
{
	int d = 0;

	(void)state;
	assert_true(imp_date_parse("29/02/2008", &d));
	assert_int_equal(d, 20080229);
	assert_true(imp_date_parse("29/02/2000", &d));
	assert_true(imp_date_parse("31/12/1999", &d));
	assert_false(imp_date_parse("29/02/2009", &d));
	assert_false(imp_date_parse("29/02/1900", &d));
	assert_false(imp_date_parse("31/02/2009", &d));
	assert_false(imp_date_parse("31/04/2010", &d));
	assert_false(imp_date_parse("00/01/2010", &d));
	assert_false(imp_date_parse("01/13/2010", &d));
	assert_false(imp_date_parse("01/00/2010", &d));
	assert_false(imp_date_parse("1/02/2010", &d));
	assert_false(imp_date_parse("01-02-2010", &d));
	assert_false(imp_date_parse("2010-02-01", &d));
	assert_false(imp_date_parse("01/02/2010 ", &d));
	assert_false(imp_date_parse("01/02/201a", &d));
	assert_false(imp_date_parse("", &d));
	assert_false(imp_date_parse(NULL, &d));
}

static void
student_dates_get_precise_messages(void **state)
{
	const char *doc = HEAD("UTF-8") "<ELEVES>"
	    "<ELEVE ELEVE_ID=\"1\"><ID_NATIONAL>00000000001</ID_NATIONAL>"
	    NAMES("A", "B") "<DATE_NAISS>31/02/2009</DATE_NAISS></ELEVE>"
	    "<ELEVE ELEVE_ID=\"2\"><ID_NATIONAL>00000000002</ID_NATIONAL>"
	    NAMES("C", "D") "<DATE_NAISS>01/01/2030</DATE_NAISS></ELEVE>"
	    "<ELEVE ELEVE_ID=\"3\"><ID_NATIONAL>00000000003</ID_NATIONAL>"
	    NAMES("E", "F") "</ELEVE>"
	    ELEVE("4", "00000000004", NAMES("G", "H"),
	        "<DATE_SORTIE>01/09/2024</DATE_SORTIE>")
	    ELEVE("5", "00000000005", NAMES("I", "J"),
	        "<DATE_SORTIE>02/09/2024</DATE_SORTIE>")
	    ELEVE("6", "00000000006", NAMES("K", "L"),
	        "<DATE_SORTIE>2024-09-02</DATE_SORTIE>")
	    ELEVE("7", "00000000007", NAMES("M", "N"),
	        "<DATE_SORTIE></DATE_SORTIE>")
	    "<ELEVE ELEVE_ID=\"8\"><ID_NATIONAL>00000000008</ID_NATIONAL>"
	    NAMES("O", "P") "<DATE_NAISS>01/01/2010</DATE_NAISS>"
	    "<CODE_SEXE>3</CODE_SEXE></ELEVE>"
	    "</ELEVES><STRUCTURES>" CLASS("5", "3A") CLASS("7", "3A")
	    "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 5,
	    "Élève A B (INE 00000000001, ELEVE_ID 1) : date de naissance "
	    "invalide « 31/02/2009 » (cette date n'existe pas).",
	    "Élève C D (INE 00000000002, ELEVE_ID 2) : date de naissance "
	    "invalide « 01/01/2030 » (date future).",
	    "Élève E F (INE 00000000003, ELEVE_ID 3) : date de naissance "
	    "(DATE_NAISS) manquante.",
	    "Élève K L (INE 00000000006, ELEVE_ID 6) : date de sortie "
	    "invalide « 2024-09-02 » (attendu JJ/MM/AAAA).",
	    "Élève O P (INE 00000000008, ELEVE_ID 8) : code sexe invalide "
	    "« 3 » (attendu 1 ou 2).");
	/* Left on the import day: skipped; leaving tomorrow: still here. */
	assert_int_equal(t.r.skipped[IMP_SKIP_LEFT], 1);
	assert_non_null(learner(&t, "00000000005"));
	assert_non_null(learner(&t, "00000000007"));
	run_fini(&t);
}

static void
utf8_read_twice_is_refused_with_the_student(void **state)
{
	const char *doc = HEAD("UTF-8") "<ELEVES>"
	    ELEVE("1", "00000000001", NAMES("MARTIN", "C\xC3\x83\xC2\xA9"
	        "cile"), "<NOM_USAGE>L\xC3\x83\xC2\xA0</NOM_USAGE>")
	    ELEVE("2", "00000000002", NAMES("\xC3\x82GE", "\xC3\x87" "a"), "")
	    "</ELEVES><STRUCTURES>" CLASS("1", "3A") CLASS("2", "3A")
	    "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	assert_true(imp_text_double_utf8("CÃ©cile"));
	assert_true(imp_text_double_utf8("HÃ´tel"));
	assert_false(imp_text_double_utf8("Cécile"));
	assert_false(imp_text_double_utf8("Ça Âge Ã"));
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 2,
	    "Élève MARTIN CÃ©cile (INE 00000000001, ELEVE_ID 1) : le nom "
	    "d'usage « LÃ\xC2\xA0 » est mal encodé (texte UTF-8 lu deux fois) : "
	    "refaites l'export depuis SIECLE sans rouvrir le fichier.",
	    "Élève MARTIN CÃ©cile (INE 00000000001, ELEVE_ID 1) : le prénom "
	    "« CÃ©cile » est mal encodé (texte UTF-8 lu deux fois) : "
	    "refaites l'export depuis SIECLE sans rouvrir le fichier.");
	run_fini(&t);
}

static void
uaj_is_trimmed_and_old_nom_is_read(void **state)
{
	const char *doc = "<?xml version=\"1.0\"?><BEE_ELEVES><PARAMETRES>"
	    "<UAJ>  0123456a\n</UAJ></PARAMETRES><DONNEES><ELEVES>"
	    "<ELEVE ELEVE_ID=\"1\"><ID_NATIONAL>00000000001</ID_NATIONAL>"
	    "<NOM>ANCIEN</NOM><PRENOM>X</PRENOM><DATE_NAISS>01/02/2010"
	    "</DATE_NAISS><CODE_PAYS>132</CODE_PAYS></ELEVE></ELEVES>"
	    "<STRUCTURES>" CLASS("1", "6A") "</STRUCTURES>" TAIL;
	run t;

	(void)state;
	run_doc(&t, doc);
	assert_int_equal(t.rv, COM_OK);
	assert_string_equal(learner(&t, "00000000001")->last_name, "ANCIEN");
	run_fini(&t);
}

static void
other_documents_are_not_siecle_exports(void **state)
{
	run t;

	(void)state;
	run_doc(&t, "<?xml version=\"1.0\"?><html><body/></html>");
	assert_errors(&t.r, 1, "Ce fichier n'est pas un export SIECLE des "
	    "élèves : il commence par « html » au lieu de BEE_ELEVES.");
	run_fini(&t);
	run_doc(&t, "");
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Le fichier XML est mal formé, ligne 1, "
	    "colonne 1 : le fichier se termine avant la fin du document "
	    "(fichier vide ou tronqué ?).");
	run_fini(&t);
	run_doc(&t, "<BEE_ELEVES><PARAMETRES><UAJ>0123456A</UAJ></PARAMETRES>"
	    "</BEE_ELEVES>");
	assert_errors(&t.r, 1, "Aucun élève ne peut être importé : le "
	    "fichier ne contient aucun élève.");
	run_fini(&t);
}

static void
the_school_uai_is_checked_and_normalised(void **state)
{
	imp_report r;
	imp_options o;
	imp_siecle *p = NULL;
	run t;

	(void)state;
	memset(&o, 0, sizeof(o));
	imp_report_init(&r, 10);
	imp_limits_default(&o.limits);
	o.report = &r;
	memcpy(o.uai, "WRONG", 6);
	assert_int_equal(imp_siecle_new(&o, &p), COM_EINVAL);
	assert_null(p);
	imp_report_fini(&r);
	/* A lower-case letter in the school's UAI matches the file's. */
	imp_collect_init(&t.c);
	imp_report_init(&t.r, 10);
	{
		size_t len;
		char *doc = read_sample("siecle-with-bom.xml", &len);
		imp_limits lim;

		imp_limits_default(&lim);
		t.rv = imp_collect_run(&t.c, &t.r, " 0123456a", TODAY, &lim,
		    doc, len, 0);
		free(doc);
	}
	assert_int_equal(t.rv, COM_OK);
	run_fini(&t);
}

static void
doctype_and_entities_are_refused(void **state)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"]><BEE_ELEVES>&lol3;</BEE_ELEVES>",
		"<?xml version=\"1.0\"?><!DOCTYPE BEE_ELEVES [<!ENTITY xxe "
		"SYSTEM \"file:///etc/passwd\">]><BEE_ELEVES><PARAMETRES><UAJ>"
		"&xxe;</UAJ></PARAMETRES></BEE_ELEVES>",
		"<?xml version=\"1.0\"?><!DOCTYPE BEE_ELEVES SYSTEM "
		"\"http://example.invalid/x.dtd\"><BEE_ELEVES/>",
	};
	run t;

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		run_doc(&t, docs[i]);
		assert_int_equal(t.rv, COM_EINVAL);
		assert_errors(&t.r, 1, "Ce fichier contient une déclaration "
		    "DOCTYPE, refusée par sécurité : un export SIECLE n'en a "
		    "pas.");
		assert_int_equal(t.r.students, 0);
		run_fini(&t);
	}
	/* An entity with no DTD at all is merely undefined. */
	run_doc(&t, "<BEE_ELEVES><PARAMETRES><UAJ>&xxe;</UAJ></PARAMETRES>"
	    "</BEE_ELEVES>");
	assert_errors(&t.r, 1, "Le fichier XML est mal formé, ligne 1, "
	    "colonne 30 : entité non définie.");
	run_fini(&t);
}

static void
limits_stop_the_file_with_a_message(void **state)
{
	const char *doc = HEAD("UTF-8") "<ELEVES>"
	    ELEVE("1", "00000000001", NAMES("A", "B"), "")
	    ELEVE("2", "00000000002", NAMES("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "B"),
	        "") "</ELEVES>" TAIL;
	imp_limits lim;
	run t;

	(void)state;
	imp_limits_default(&lim);
	lim.max_students = 1;
	run_lim(&t, doc, strlen(doc), 64, &lim);
	assert_errors(&t.r, 1, "Le fichier contient plus de 1 élèves, la "
	    "limite de cet import.");
	run_fini(&t);
	imp_limits_default(&lim);
	lim.max_field_bytes = 20;
	run_lim(&t, doc, strlen(doc), 64, &lim);
	assert_errors(&t.r, 1, "L'élément NOM_DE_FAMILLE (ligne 2) dépasse 20 "
	    "octets : ce n'est pas un export SIECLE valide.");
	run_fini(&t);
	imp_limits_default(&lim);
	lim.max_file_bytes = 100;
	run_lim(&t, doc, strlen(doc), 64, &lim);
	assert_errors(&t.r, 1, "Le fichier dépasse la taille maximale de 100 "
	    "octets.");
	run_fini(&t);
	/* One giant token is capped by expat's memory budget. */
	{
		size_t n = 3u << 20;
		char *big = malloc(n + 64);

		assert_non_null(big);
		memcpy(big, "<BEE_ELEVES a=\"", 15);
		memset(big + 15, 'x', n);
		memcpy(big + 15 + n, "\"/>", 4);
		imp_limits_default(&lim);
		lim.max_parser_bytes = 1u << 20;
		run_lim(&t, big, strlen(big), 65536, &lim);
		assert_errors(&t.r, 1, "Le fichier contient un élément de plus "
		    "de 1 Mo (ligne 1) : ce n'est pas un export SIECLE "
		    "valide.");
		run_fini(&t);
		/* Read into the parser's buffer, as the importer reads an
		 * upload: the same refusal, not a failure to allocate. */
		run_buffered(&t, big, strlen(big), 65536, &lim);
		assert_int_equal(t.rv, COM_EINVAL);
		assert_errors(&t.r, 1, "Le fichier contient un élément de plus "
		    "de 1 Mo (ligne 1) : ce n'est pas un export SIECLE "
		    "valide.");
		run_fini(&t);
		free(big);
	}
}

static void
many_students_stream_with_duplicates_found(void **state)
{
	enum { N = 20000 };
	com_buf b;
	imp_limits lim;
	run t;

	(void)state;
	com_buf_init(&b, 64u << 20);
	assert_int_equal(com_buf_append_str(&b, HEAD("UTF-8") "<ELEVES>"),
	    COM_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(com_buf_printf(&b, "<ELEVE ELEVE_ID=\"%d\">"
		    "<ID_NATIONAL>%011d</ID_NATIONAL><NOM_DE_FAMILLE>N%d"
		    "</NOM_DE_FAMILLE><PRENOM>P</PRENOM><DATE_NAISS>01/02/2010"
		    "</DATE_NAISS><CODE_PAYS>132</CODE_PAYS></ELEVE>", i,
		    i == N - 1 ? 5 : i, i), COM_OK);
	assert_int_equal(com_buf_append_str(&b, "</ELEVES><STRUCTURES>"),
	    COM_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(com_buf_printf(&b, "<STRUCTURES_ELEVE "
		    "ELEVE_ID=\"%d\"><STRUCTURE><CODE_STRUCTURE>C%d"
		    "</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE>"
		    "</STRUCTURE></STRUCTURES_ELEVE>", i, i % 30), COM_OK);
	assert_int_equal(com_buf_append_str(&b, "</STRUCTURES>" TAIL),
	    COM_OK);
	imp_limits_default(&lim);
	run_lim(&t, b.data, b.len, 4096, &lim);
	assert_int_equal(t.r.students, N);
	assert_int_equal(t.c.nlearners, N - 1);
	assert_errors(&t.r, 1, "Élève N19999 P (INE 00000000005, ELEVE_ID "
	    "19999) : INE 00000000005 en double, déjà attribué à l'élève N5 P "
	    "(ELEVE_ID 5).");
	assert_string_equal(learner(&t, "00000000029")->class_code, "C29");
	/* Cut into parts, as the importer reads a large upload. */
	assert_int_equal(assert_parts_agree(&t, b.data, b.len, &lim), 5);
	run_fini(&t);
	com_buf_fini(&b);
}

static void
file_cut_in_parts_agrees_with_one_piece(void **state)
{
	static const char *const valid[] = {
		"siecle-with-two-valid-students.xml", "siecle-with-bom.xml",
		"siecle-with-two-valid-students-and-school-year.xml",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		imp_limits lim;
		size_t len;
		char *doc = read_sample(valid[i], &len);
		run t;

		imp_limits_default(&lim);
		run_lim(&t, doc, len, 0, &lim);
		assert_int_equal(t.rv, COM_OK);
		/* Small chunks: cut at most places a part may start. */
		assert_true(assert_parts_agree(&t, doc, len, &lim) >= 1);
		run_fini(&t);
		free(doc);
	}
}

static void
cuts_are_found_before_students_only(void **state)
{
	static const char bom_decl[] = "\xEF\xBB\xBF<?xml version=\"1.0\" "
	    "encoding=\"ISO-8859-15\"?>\n<BEE_ELEVES>";
	imp_cut_parent parent;
	size_t at;

	(void)state;
	assert_false(imp_cut_find("<ELEVES><ELEVES_X>", 18, &at, &parent));
	assert_true(imp_cut_find("x<ELEVES>\n <ELEVE\tA=\"1\">", 25, &at,
	    &parent));
	assert_int_equal(at, 11);
	assert_int_equal(parent, IMP_CUT_ELEVES);
	assert_true(imp_cut_find("</ELEVE><STRUCTURES_ELEVE>", 26, &at,
	    &parent));
	assert_int_equal(at, 8);
	assert_int_equal(parent, IMP_CUT_STRUCTURES);
	/* The byte after the name decides: not there yet, no cut. */
	assert_false(imp_cut_find("<ELEVE", 6, &at, &parent));
	assert_true(imp_cut_prologue(bom_decl, sizeof(bom_decl) - 1, &at));
	assert_int_equal(at, sizeof(bom_decl) - 1 - strlen("\n<BEE_ELEVES>"));
	assert_true(imp_cut_prologue("<BEE_ELEVES>", 12, &at));
	assert_int_equal(at, 0);
	assert_false(imp_cut_prologue("<?xml version=", 14, &at));
}

static void
cut_that_is_not_an_element_is_parsed_again(void **state)
{
	/* "<ELEVE " inside a comment, a CDATA section and an attribute,
	 * each at the start of a 64-byte chunk: the part before never
	 * meets that ELEVE there. */
	static const char *const traps[] = {
		"<!-- <ELEVE ELEVE_ID=\"9\"> -->",
		"<![CDATA[<ELEVE ]]>",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		com_buf b;
		imp_limits lim;
		size_t parts;
		run t, u;

		com_buf_init(&b, 1u << 20);
		assert_int_equal(com_buf_append_str(&b, HEAD("UTF-8")
		    "<ELEVES>"), COM_OK);
		/* Pad so that the trap opens a 64-byte chunk. */
		while (b.len % 64 != 0)
			assert_int_equal(com_buf_append_str(&b, " "), COM_OK);
		assert_int_equal(com_buf_printf(&b, "%s<ELEVE ELEVE_ID=\"1\">"
		    "<ID_NATIONAL>00000000001</ID_NATIONAL><NOM_DE_FAMILLE>N"
		    "</NOM_DE_FAMILLE><PRENOM>P</PRENOM><DATE_NAISS>01/02/2010"
		    "</DATE_NAISS><CODE_PAYS>132</CODE_PAYS></ELEVE></ELEVES>"
		    "<STRUCTURES><STRUCTURES_ELEVE ELEVE_ID=\"1\"><STRUCTURE>"
		    "<CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D"
		    "</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>"
		    "</STRUCTURES>" TAIL, traps[i]), COM_OK);
		imp_limits_default(&lim);
		run_lim(&t, b.data, b.len, 0, &lim);
		assert_int_equal(t.rv, COM_OK);
		assert_int_equal(t.c.nlearners, 1);
		imp_collect_init(&u.c);
		imp_report_init(&u.r, lim.max_messages);
		assert_int_equal(imp_collect_run_parts(&u.c, &u.r, UAI, TODAY,
		    &lim, b.data, b.len, 64, 1, 64, &parts), COM_ECONFLICT);
		run_fini(&u);
		run_fini(&t);
		com_buf_fini(&b);
	}
}

/* Zips built here with libarchive. */

typedef struct zip_entry {
	const char *name;
	const char *data;
	size_t len;
} zip_entry;

static void
make_zip(com_buf *out, const zip_entry *e, size_t n)
{
	struct archive *a = archive_write_new();
	size_t cap = 8u << 20;
	size_t used = 0;
	char *mem = malloc(cap);

	assert_non_null(mem);
	assert_non_null(a);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, mem, cap, &used),
	    ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();

		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_size(ae, (la_int64_t)e[i].len);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, e[i].data, e[i].len),
		    (la_ssize_t)e[i].len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	com_buf_init(out, cap);
	assert_int_equal(com_buf_append(out, mem, used), COM_OK);
	free(mem);
}

typedef struct mem_reader {
	const char *data;
	size_t len;
	size_t off;
} mem_reader;

static com_err
mem_read(void *arg, void *buf, size_t size, size_t *got)
{
	mem_reader *m = arg;
	size_t n = m->len - m->off;

	/* Small, odd chunks exercise libarchive's buffering. */
	if (n > 1000)
		n = 1000;
	if (n > size)
		n = size;
	memcpy(buf, m->data + m->off, n);
	m->off += n;
	*got = n;
	return COM_OK;
}

/* Parses zip through the stream reader (fd = -1) or a temporary file. */
static void
run_zip(run *t, const com_buf *zip, bool use_fd, const imp_limits *lim)
{
	imp_siecle *p = run_parser(t, lim);

	if (use_fd && zip->len < 32768) {
		int fds[2];

		/* A pipe cannot seek: libarchive streams the local headers. */
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], zip->data, zip->len),
		    (ssize_t)zip->len);
		close(fds[1]);
		t->rv = imp_zip_parse_fd(p, fds[0]);
		close(fds[0]);
	} else if (use_fd) {
		FILE *f = tmpfile();

		assert_non_null(f);
		assert_int_equal(fwrite(zip->data, 1, zip->len, f), zip->len);
		assert_int_equal(fflush(f), 0);
		assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
		t->rv = imp_zip_parse_fd(p, fileno(f));
		fclose(f);
	} else {
		mem_reader m = {zip->data, zip->len, 0};

		t->rv = imp_zip_parse_reader(p, mem_read, &m);
	}
	imp_siecle_free(p);
	if (t->rv == COM_OK || t->rv == COM_EINVAL)
		t->rv = imp_collect_finish(&t->c, &t->r);
}

static void
zip_gives_the_same_result_as_the_bare_xml(void **state)
{
	size_t len;
	char *doc = read_sample("siecle-with-two-valid-students.xml", &len);
	zip_entry e[] = {
		{"__MACOSX/._ElevesSansAdresses.xml", "junk", 4},
		{"ElevesSansAdresses.xml", doc, len},
		{"LISEZMOI.txt", "x", 1},
	};
	imp_limits lim;
	com_buf zip;
	run t;

	(void)state;
	imp_limits_default(&lim);
	make_zip(&zip, e, 3);
	assert_true(imp_zip_sniff(zip.data, zip.len));
	assert_false(imp_zip_sniff(doc, len));
	run_zip(&t, &zip, false, &lim);
	assert_two_valid(&t);
	run_fini(&t);
	run_zip(&t, &zip, true, &lim);
	assert_two_valid(&t);
	run_fini(&t);
	com_buf_fini(&zip);
	/* A big entry goes through a seekable temporary file instead. */
	{
		size_t n = 80000;
		char *pad = malloc(len + n);
		zip_entry big[] = {{"ElevesSansAdresses.xml", pad, 0}};

		assert_non_null(pad);
		memcpy(pad, doc, len);
		/* Random-ish comment bytes so deflate keeps the zip large. */
		memcpy(pad + len, "<!--", 4);
		for (size_t i = 0, x = 1; i < n - 7; i++) {
			x = x * 1103515245u + 12345u;
			pad[len + 4 + i] = (char)('a' + (x >> 16) % 26u);
		}
		memcpy(pad + len + n - 3, "-->", 3);
		big[0].len = len + n;
		make_zip(&zip, big, 1);
		assert_true(zip.len >= 32768);
		run_zip(&t, &zip, true, &lim);
		assert_two_valid(&t);
		run_fini(&t);
		com_buf_fini(&zip);
		free(pad);
	}
	free(doc);
}

static void
zip_must_hold_exactly_one_xml(void **state)
{
	zip_entry two[] = {
		{"a.xml", "<BEE_ELEVES/>", 13},
		{"dossier/b.XML", "<x/>", 4},
	};
	zip_entry none[] = {{"a.txt", "x", 1}};
	imp_limits lim;
	com_buf zip;
	run t;

	(void)state;
	imp_limits_default(&lim);
	make_zip(&zip, two, 2);
	for (int fd = 0; fd < 2; fd++) {
		run_zip(&t, &zip, fd == 1, &lim);
		assert_int_equal(t.rv, COM_EINVAL);
		assert_errors(&t.r, 1, "L'archive zip contient plusieurs "
		    "fichiers .xml (« a.xml » et « dossier/b.XML ») : elle doit "
		    "contenir le seul fichier exporté de SIECLE.");
		run_fini(&t);
	}
	com_buf_fini(&zip);
	make_zip(&zip, none, 1);
	run_zip(&t, &zip, false, &lim);
	assert_errors(&t.r, 1, "L'archive zip ne contient aucun fichier .xml "
	    ": envoyez l'export ExportXML_ElevesSansAdresses.zip de SIECLE ou "
	    "le fichier .xml qu'il contient.");
	run_fini(&t);
	com_buf_fini(&zip);
}

static void
zip_limits_and_garbage_are_refused(void **state)
{
	size_t n = 1u << 20;
	char *zeros = calloc(1, n);
	zip_entry bomb[] = {{"ElevesSansAdresses.xml", zeros, n}};
	zip_entry many[] = {{"a", "1", 1}, {"b", "2", 1}, {"c.xml", "3", 1}};
	com_buf garbage;
	imp_limits lim;
	com_buf zip;
	run t;

	(void)state;
	assert_non_null(zeros);
	imp_limits_default(&lim);
	lim.max_file_bytes = 64u << 10;
	make_zip(&zip, bomb, 1);
	assert_true(zip.len < n / 100); /* zeros deflate well */
	for (int fd = 0; fd < 2; fd++) {
		run_zip(&t, &zip, fd == 1, &lim);
		assert_errors(&t.r, 1, "Le fichier .xml du zip dépasse 64 Ko une "
		    "fois décompressé, la limite de cet import.");
		run_fini(&t);
	}
	com_buf_fini(&zip);
	imp_limits_default(&lim);
	lim.max_zip_entries = 2;
	make_zip(&zip, many, 3);
	run_zip(&t, &zip, false, &lim);
	assert_errors(&t.r, 1, "L'archive zip contient plus de 2 fichiers : un "
	    "export SIECLE n'en a qu'un.");
	run_fini(&t);
	com_buf_fini(&zip);
	com_buf_init(&garbage, 100);
	assert_int_equal(com_buf_append_str(&garbage, "PK\3\4 pas un zip"),
	    COM_OK);
	imp_limits_default(&lim);
	run_zip(&t, &garbage, false, &lim);
	assert_int_equal(t.rv, COM_EINVAL);
	assert_errors(&t.r, 1, "Ce fichier n'est pas une archive zip lisible "
	    ": envoyez l'export ExportXML_ElevesSansAdresses.zip tel que "
	    "SIECLE le donne, ou le fichier .xml qu'il contient.");
	run_fini(&t);
	com_buf_fini(&garbage);
	free(zeros);
}

static void
allocation_failures_never_crash_or_leak(void **state)
{
	static const char *const samples[] = {
		"siecle-with-two-valid-students.xml",
		"siecle-with-duplicate-national-student-id-and-unclosed-tag.xml",
		"siecle-with-unknown-encoding.xml",
	};
	imp_limits lim;

	(void)state;
	imp_limits_default(&lim);
	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		size_t len;
		char *doc = read_sample(samples[s], &len);
		long nth;

		for (nth = 1; nth < 10000; nth++) {
			run t;

			imp_xmlmem_fail_after(nth);
			run_lim(&t, doc, len, 13, &lim);
			assert_true(t.rv == COM_OK || t.rv == COM_EINVAL ||
			    t.rv == COM_ENOMEM);
			run_fini(&t);
			if (t.rv != COM_ENOMEM)
				break;
		}
		imp_xmlmem_fail_after(0);
		assert_true(nth > 1 && nth < 10000);
		free(doc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_two_valid_students_are_imported),
		cmocka_unit_test(sample_with_school_year_gives_the_same_result),
		cmocka_unit_test(
		    sample_with_only_ignored_students_is_refused_as_empty),
		cmocka_unit_test(sample_with_wrong_uai_names_both_schools),
		cmocka_unit_test(
		    sample_without_uai_is_refused_as_another_school),
		cmocka_unit_test(sample_with_duplicate_ine_names_both_students),
		cmocka_unit_test(sample_with_duplicate_and_bad_tag_reports_both),
		cmocka_unit_test(sample_with_empty_ine_names_the_student),
		cmocka_unit_test(sample_with_unknown_encoding_names_it),
		cmocka_unit_test(sample_in_utf8_with_bom_is_imported),
		cmocka_unit_test(sample_cut_inside_a_student_is_malformed),
		cmocka_unit_test(sample_with_iso_birth_date_is_refused),
		cmocka_unit_test(
		    sample_born_in_france_without_commune_is_refused),
		cmocka_unit_test(sample_with_several_errors_lists_them_all),
		cmocka_unit_test(latin9_letters_are_decoded),
		cmocka_unit_test(windows1252_and_latin1_are_decoded),
		cmocka_unit_test(
		    fields_in_any_order_and_classes_first_give_the_same_result),
		cmocka_unit_test(only_the_direct_code_mef_counts),
		cmocka_unit_test(the_class_is_the_last_division_not_inactifs),
		cmocka_unit_test(dates_must_be_real_and_strict),
		cmocka_unit_test(student_dates_get_precise_messages),
		cmocka_unit_test(utf8_read_twice_is_refused_with_the_student),
		cmocka_unit_test(uaj_is_trimmed_and_old_nom_is_read),
		cmocka_unit_test(other_documents_are_not_siecle_exports),
		cmocka_unit_test(the_school_uai_is_checked_and_normalised),
		cmocka_unit_test(doctype_and_entities_are_refused),
		cmocka_unit_test(limits_stop_the_file_with_a_message),
		cmocka_unit_test(many_students_stream_with_duplicates_found),
		cmocka_unit_test(cuts_are_found_before_students_only),
		cmocka_unit_test(file_cut_in_parts_agrees_with_one_piece),
		cmocka_unit_test(cut_that_is_not_an_element_is_parsed_again),
		cmocka_unit_test(zip_gives_the_same_result_as_the_bare_xml),
		cmocka_unit_test(zip_must_hold_exactly_one_xml),
		cmocka_unit_test(zip_limits_and_garbage_are_refused),
		cmocka_unit_test(allocation_failures_never_crash_or_leak),
	};

	com_log_set_level(COM_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
