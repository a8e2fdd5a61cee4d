/*
 * siecle.h - streaming parser of the SIECLE "Élèves sans adresse" export
 * (BEE_ELEVES). Fed in chunks of any size; memory stays flat whatever the
 * file size. It checks the school, validates each ELEVE, and hands each
 * student and each student's class to the consumer, who joins them by
 * ELEVE_ID (STRUCTURES usually follows ELEVES) and looks for duplicate
 * INEs, both of which need the whole file: in SQL for the real import, in
 * memory for tests (collect.h).
 */
#ifndef IMP_SIECLE_H
#define IMP_SIECLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "siecle/report.h"
#include "siecle/segment.h"
#include "validate.h"

/* Limits; the defaults sit far above any real school's file. */
typedef struct imp_limits {
	uint64_t max_file_bytes;   /* XML bytes (inflated from a zip) */
	uint64_t max_students;     /* ELEVE elements */
	size_t max_field_bytes;    /* one element's text or attribute */
	size_t max_messages;       /* sentences kept in the report */
	uint64_t max_zip_entries;  /* entries listed in a zip */
	size_t max_parser_bytes;   /* memory expat may hold (one token) */
} imp_limits;

/* imp_limits_default: 4 GiB, 5 M students, 1 KiB, 1000, 64, 32 MiB. */
void imp_limits_default(imp_limits *lim);

/*
 * One ELEVE as the file gives it, trimmed. A field is NULL when its
 * element is absent and "" when present but empty. Every pointer is valid
 * only during the callback. on_student gets every student that is not
 * skipped and has a non-empty INE. Unless refused, it passed every rule:
 * last_name, first_name and birth_iso are non-empty. A refused student
 * (its errors are in the report) is handed over only so that the consumer
 * can name it in a duplicate INE: the file will be refused anyway.
 */
typedef struct imp_student {
	const char *eleve_id;      /* @ELEVE_ID, the join key (a string) */
	const char *elenoet;       /* @ELENOET */
	const char *ine;           /* ID_NATIONAL, upper-cased */
	const char *last_name;     /* NOM_DE_FAMILLE (NOM in old exports) */
	const char *usage_name;    /* NOM_USAGE */
	const char *first_name;    /* PRENOM */
	const char *first_name2;   /* PRENOM2 */
	const char *first_name3;   /* PRENOM3 */
	const char *birth_date;    /* DATE_NAISS, JJ/MM/AAAA */
	char birth_iso[11];        /* AAAA-MM-JJ once valid, else "" */
	char sex;                  /* 'M' (1), 'F' (2), 0 if CODE_SEXE absent */
	const char *sex_code;      /* CODE_SEXE */
	const char *country_code;  /* CODE_PAYS (100 = France) */
	const char *dept_code;     /* CODE_DEPARTEMENT_NAISS */
	const char *commune_code;  /* CODE_COMMUNE_INSEE_NAISS */
	const char *birth_town;    /* VILLE_NAISS */
	const char *mef_code;      /* CODE_MEF, the direct child only */
	const char *status_code;   /* CODE_STATUT */
	const char *entry_date;    /* DATE_ENTREE */
	const char *exit_date;     /* DATE_SORTIE */
	uint64_t seq;              /* rank of the ELEVE in the file (1-based;
	                            * in a part, seq_base + rank in it) */
	bool refused;              /* broke a rule (see above) */
} imp_student;

/*
 * Consumer callbacks, called from inside imp_siecle_feed/finish. Anything
 * but COM_OK stops the parse and is returned by feed/finish.
 * on_class gets the class (last TYPE_STRUCTURE D not "Inactifs") of each
 * STRUCTURES_ELEVE that has one; students without are never named there.
 */
typedef com_err (*imp_student_fn)(void *arg, const imp_student *s);
typedef com_err (*imp_class_fn)(void *arg, const char *eleve_id,
    const char *class_code);

typedef struct imp_options {
	char uai[COM_UAI_SIZE];    /* the school's UAI (normalised again) */
	int today;                 /* the import day, AAAAMMJJ */
	imp_limits limits;
	imp_report *report;        /* borrowed; filled by the parser */
	imp_student_fn on_student; /* may be NULL */
	imp_class_fn on_class;     /* may be NULL */
	void *arg;
	uint64_t seq_base;         /* added to imp_student.seq (a part) */
} imp_options;

typedef struct imp_siecle imp_siecle;

/*
 * imp_siecle_new prepares a parser; it copies o (the report stays the
 * caller's and must outlive the parser). Free with imp_siecle_free.
 * COM_EINVAL when o->uai is not a UAI or o->report is NULL.
 */
com_err imp_siecle_new(const imp_options *o, imp_siecle **out)
    COM_MUSTCHECK;

/* imp_siecle_free releases p; NULL is a no-op. */
void imp_siecle_free(imp_siecle *p);

/*
 * imp_siecle_feed parses len more bytes. Returns COM_OK while the file is
 * still acceptable as a whole (student errors are collected in the report
 * and parsing goes on, to list them all), COM_EINVAL once the file was
 * refused (wrong school, malformed, limits: the report says why; later
 * feeds do nothing), COM_ENOMEM, or a callback's error.
 */
com_err imp_siecle_feed(imp_siecle *p, const void *buf, size_t len)
    COM_MUSTCHECK;

/*
 * imp_siecle_buffer lends room for up to len (at most INT_MAX / 2) bytes
 * of input inside the parser itself, so that they are not copied again;
 * fill *out, then hand the bytes over with imp_siecle_feed_buffer before
 * any other call. Returns as imp_siecle_feed: COM_EINVAL once refused,
 * among others when the unparsed token plus len would pass
 * max_parser_bytes (the report says so), COM_ENOMEM.
 */
com_err imp_siecle_buffer(imp_siecle *p, size_t len, void **out)
    COM_MUSTCHECK;

/* imp_siecle_feed_buffer parses the first len bytes written into the
 * room imp_siecle_buffer lent; returns as imp_siecle_feed. */
com_err imp_siecle_feed_buffer(imp_siecle *p, size_t len) COM_MUSTCHECK;

/*
 * imp_siecle_finish ends the document. Returns COM_OK when the report
 * holds no error at all, COM_EINVAL when it does (file or student), or
 * COM_ENOMEM / a callback's error. The "no importable student" check needs
 * the classes joined: the consumer does it (imp_report_no_learner).
 */
com_err imp_siecle_finish(imp_siecle *p) COM_MUSTCHECK;

/*
 * imp_siecle_refuse records a file error found outside the XML (zip) and
 * stops the parser: later feeds return COM_EINVAL. Returns COM_EINVAL, or
 * COM_ENOMEM when the sentence could not be stored.
 */
com_err imp_siecle_refuse(imp_siecle *p, const char *fmt, ...)
    COM_MUSTCHECK __attribute__((format(printf, 2, 3)));

/*
 * imp_siecle_parse_fd reads a bare XML file from fd to its end through
 * the parser, then finishes. Returns as imp_siecle_finish, or COM_EIO.
 */
com_err imp_siecle_parse_fd(imp_siecle *p, int fd) COM_MUSTCHECK;

/*
 * A file may be parsed in parts at once (segment.h): the part from the
 * start, told where the next begins, and parts resumed at a cut.
 *
 * imp_siecle_resume, before any feed, makes p the parser of a part that
 * starts at a cut inside parent: it parses prologue (the file's own XML
 * declaration, see imp_cut_prologue) and the elements the cut is in. The
 * school was checked by the first part. Returns as imp_siecle_feed.
 */
com_err imp_siecle_resume(imp_siecle *p, const char *prologue, size_t len,
    imp_cut_parent parent) COM_MUSTCHECK;
/*
 * imp_siecle_cut_at: the next part starts offset bytes into what p is fed
 * (the bytes of imp_siecle_resume not counted). The parse stops there
 * (imp_siecle_cut_reached), before that part's first element; later feeds
 * do nothing. A feed returns COM_ECONFLICT when the parse went past the
 * offset without meeting that element there: the cut was wrong, parse the
 * file again in one piece.
 */
void imp_siecle_cut_at(imp_siecle *p, uint64_t offset);
bool imp_siecle_cut_reached(const imp_siecle *p);
/* imp_siecle_limits returns the limits p was created with. */
const imp_limits *imp_siecle_limits(const imp_siecle *p);

/* imp_today returns the local date as AAAAMMJJ. */
int imp_today(void);

#endif
