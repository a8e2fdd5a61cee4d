/*
 * content.h - the assessment content bundle (notes: content-format.md):
 * areas, competences, topics, skills, questions and parcours, loaded and
 * checked from in-memory files (or a directory, content_dir.c) into one
 * immutable model. Pure: no database, no network.
 */
#ifndef ORGA_CONTENT_H
#define ORGA_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ORGA_CONTENT_AREAS 5
#define ORGA_CONTENT_COMPETENCES 16
#define ORGA_CONTENT_DIFFICULTY_MAX 8
/* The most errors one load reports (the rest are only counted). */
#define ORGA_CONTENT_ERRORS_MAX 200
/* The largest file of a bundle, and the most files. */
#define ORGA_CONTENT_FILE_MAX (8u * 1024u * 1024u)
#define ORGA_CONTENT_FILES_MAX 4096
/* The most accepted answers of a dependent QROCM, and fields of a QROCM. */
#define ORGA_CONTENT_GROUPS_MAX 50
#define ORGA_CONTENT_FIELDS_MAX 6
/* A SHA-256 in lower-case hex, with its NUL. */
#define ORGA_CONTENT_HASH_SIZE 65

/* Tolerances of free answers (a bit set of them). */
#define ORGA_TOL_T1 0x1u   /* lower case, no accents, no white space */
#define ORGA_TOL_T2 0x2u   /* no punctuation */
#define ORGA_TOL_T3 0x4u   /* edit distance <= 25 % */

/* What is known of one skill for one student. */
typedef enum orga_outcome {
	ORGA_OUTCOME_UNKNOWN = 0,
	ORGA_OUTCOME_VALIDATED,
	ORGA_OUTCOME_INVALIDATED,
} orga_outcome;

typedef enum orga_question_kind {
	ORGA_QUESTION_QCU,
	ORGA_QUESTION_QCM,
	ORGA_QUESTION_QROC,
	ORGA_QUESTION_QROCM,
} orga_question_kind;

/* One file of a bundle: its path relative to the bundle ("competences/
 * 1.1.json") and its bytes; borrowed from the caller. */
typedef struct orga_content_file {
	const char *name;
	const void *data;
	size_t len;
} orga_content_file;

/* A list of strings (accepted spellings, choices). */
typedef struct orga_content_strings {
	const char *const *v;
	size_t n;
} orga_content_strings;

/* A field of a QROCM; answers is empty when the question is dependent. */
typedef struct orga_content_field {
	const char *label;
	orga_content_strings answers;
} orga_content_field;

typedef struct orga_content_question {
	const char *id;
	orga_question_kind kind;
	const char *text;
	const char *explanation;
	const char *image_file;           /* NULL when none */
	const char *image_alt;
	size_t skill;                     /* index into skills */
	/* QCU, QCM: the choices, and bit i - 1 set when choice i is right. */
	orga_content_strings choices;
	uint8_t solution;
	/* QROC: the accepted spellings, the field's label and placeholder
	 * (label "Votre réponse" and placeholder NULL by default). */
	orga_content_strings answers;
	const char *label;
	const char *placeholder;
	/* QROCM: the fields; when dependent, groups are the accepted answers
	 * (each the spellings of one), each field matching a distinct one. */
	const orga_content_field *fields;
	size_t nfields;
	bool dependent;
	const orga_content_strings *groups;
	size_t ngroups;
	unsigned tolerances;              /* ORGA_TOL_* */
} orga_content_question;

typedef struct orga_content_skill {
	char id[40];                      /* "@motdepasse3" */
	const char *name;
	unsigned difficulty;              /* 1..8 */
	size_t topic;
	size_t question, nquestions;      /* a range of questions */
} orga_content_skill;

/* A topic's skills are a range of skills, by increasing difficulty. */
typedef struct orga_content_topic {
	const char *id;
	const char *name;
	size_t competence;
	size_t skill, nskills;
} orga_content_topic;

typedef struct orga_content_competence {
	const char *code;                 /* "4.1" */
	const char *name;
	size_t area;
	size_t topic, ntopics;            /* a range of topics */
} orga_content_competence;

typedef struct orga_content_area {
	const char *code;
	const char *name;
	size_t competence, ncompetences;
} orga_content_area;

typedef struct orga_content_tube {
	size_t topic;
	unsigned max_difficulty;
} orga_content_tube;

/* A parcours (target profile); skills are its target skills, sorted. */
typedef struct orga_content_parcours {
	const char *id;
	const char *name;
	const char *description;
	const orga_content_tube *tubes;
	size_t ntubes;
	const size_t *skills;
	size_t nskills;
} orga_content_parcours;

struct orga_content_store;

/*
 * A loaded bundle. Every field is read-only; strings and arrays live
 * until orga_content_free. Competences and areas are in the referentiel's
 * order, topics in competence then file order, parcours by id.
 */
typedef struct orga_content {
	const orga_content_area *areas;
	size_t nareas;
	const orga_content_competence *competences;
	size_t ncompetences;
	const orga_content_topic *topics;
	size_t ntopics;
	const orga_content_skill *skills;
	size_t nskills;
	const orga_content_question *questions;
	size_t nquestions;
	const orga_content_parcours *parcours;
	size_t nparcours;
	/* SHA-256 of the bundle's files (see orga_content_load). */
	char hash[ORGA_CONTENT_HASH_SIZE];
	struct orga_content_store *store;  /* private */
} orga_content;

/* What a refused load says: up to ORGA_CONTENT_ERRORS_MAX lines
 * "FILE:LINE: PATH : message" (French), and how many were left out. */
typedef struct orga_content_report {
	char **lines;
	size_t n;
	size_t dropped;
} orga_content_report;

/* orga_content_report_init / _fini: an empty report; _fini frees it. */
void orga_content_report_init(orga_content_report *r);
void orga_content_report_fini(orga_content_report *r);

/*
 * orga_content_load checks the bundle made of files (n entries, borrowed;
 * only referentiel.json, competences/, parcours/ and images/ count, the
 * rest, such as README.md and schema/, is ignored) against every rule of
 * the format and, when all hold, writes a new model into *out (free it
 * with orga_content_free). The hash is the SHA-256 of the counted files
 * sorted by name, each as its name, a NUL, its length (8 bytes, big
 * endian) and its bytes: equal hashes, equal bundles.
 * Returns COM_EINVAL when a rule fails (report says which; nothing is
 * loaded), COM_ETOOLARGE past ORGA_CONTENT_FILES_MAX files or
 * ORGA_CONTENT_FILE_MAX bytes in a file (also reported), COM_ENOMEM.
 * report may be NULL; it is filled on COM_EINVAL and COM_ETOOLARGE.
 */
com_err orga_content_load(const orga_content_file *files, size_t n,
    orga_content **out, orga_content_report *report) COM_MUSTCHECK;

/*
 * orga_content_load_dir reads the bundle in directory dir (regular files
 * of referentiel.json, competences/, parcours/ and images/, below
 * ORGA_CONTENT_FILE_MAX each) and loads it as orga_content_load does.
 * COM_EIO when a file cannot be read (reported), else as above.
 */
com_err orga_content_load_dir(const char *dir, orga_content **out,
    orga_content_report *report) COM_MUSTCHECK;

/* orga_content_free frees a model; NULL is a no-op. */
void orga_content_free(orga_content *c);

/*
 * Look-ups by id ("motdepasse", "@motdepasse3", "motdepasse3-a",
 * "parcours-3e", "4.1"): write the index into *index. COM_ENOTFOUND when
 * there is none. Linear; fine for the sizes of a bundle.
 */
com_err orga_content_topic_find(const orga_content *c, const char *id,
    size_t *index) COM_MUSTCHECK;
com_err orga_content_skill_find(const orga_content *c, const char *id,
    size_t *index) COM_MUSTCHECK;
com_err orga_content_question_find(const orga_content *c, const char *id,
    size_t *index) COM_MUSTCHECK;
com_err orga_content_parcours_find(const orga_content *c, const char *id,
    size_t *index) COM_MUSTCHECK;
com_err orga_content_competence_find(const orga_content *c,
    const char *code, size_t *index) COM_MUSTCHECK;

#endif
