/*
 * campaign_results.h - what the school reads of a campaign's
 * participations: activity (counts per state, started and shared per
 * day), the results shared (mastery and competences, read from
 * participation_results), one participant's results, and the CSV export
 * streamed from a cursor. Callers check that the caller is a member of
 * the school and the campaign is the school's; every statement is keyed
 * by organization_id, so nothing of another school is read.
 */
#ifndef ORGA_CAMPAIGN_RESULTS_H
#define ORGA_CAMPAIGN_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "err.h"

/* Rows fetched at once by the export. */
#define ORGA_RESULTS_EXPORT_BATCH 500

/* The columns of orga_results_list, in order. */
enum {
	ORGA_RESULTS_COL_ID = 0,     /* participation */
	ORGA_RESULTS_COL_LAST,
	ORGA_RESULTS_COL_FIRST,
	ORGA_RESULTS_COL_CLASS,      /* "" without a learner */
	ORGA_RESULTS_COL_STATUS,
	ORGA_RESULTS_COL_CREATED,    /* ISO 8601 */
	ORGA_RESULTS_COL_SHARED,     /* ISO 8601, "" */
	ORGA_RESULTS_COL_MASTERY,    /* "" until shared */
	ORGA_RESULTS_COL_COMPETENCES, /* JSON text, "" until shared */
	ORGA_RESULTS_COL_TOPICS,     /* JSON text, "" until shared */
};

/*
 * orga_results_list loads the participants of campaign of org (sorted by
 * name), only those of class_code and status when not NULL or "", with
 * their shared results. The caller PQclears *out.
 */
com_err orga_results_list(PGconn *db, int64_t org, int64_t campaign,
    const char *class_code, const char *status, PGresult **out)
    COM_MUSTCHECK;

/* orga_results_one: one participation of the campaign, same columns.
 * COM_ENOTFOUND when the campaign has no such participation. */
com_err orga_results_one(PGconn *db, int64_t org, int64_t campaign,
    int64_t participation, PGresult **out) COM_MUSTCHECK;

/*
 * orga_results_activity: *counts, one row (started, to_share, shared),
 * and *days, rows (day YYYY-MM-DD in Paris time, started, shared) of
 * every day something happened, oldest first. The caller PQclears both.
 */
com_err orga_results_activity(PGconn *db, int64_t org, int64_t campaign,
    PGresult **counts, PGresult **days) COM_MUSTCHECK;

typedef struct orga_results_export orga_results_export;

/* What heads every row of the export, and the competences' columns. */
typedef struct orga_results_export_head {
	const char *school, *campaign, *code;
	const char *const *codes;     /* competence codes, in column order */
	const char *const *titles;    /* their column titles */
	size_t ncodes;
	bool mastery;                 /* an assessment: a mastery column */
} orga_results_export_head;

/*
 * orga_results_export_open starts the export of campaign of org on db
 * (a connection the caller holds for the whole export: a read-only
 * transaction with a cursor stays open on it until _close). head and
 * its strings are borrowed until _close. Writes the iterator into *out.
 */
com_err orga_results_export_open(PGconn *db, int64_t org, int64_t campaign,
    const orga_results_export_head *head, orga_results_export **out)
    COM_MUSTCHECK;

/*
 * orga_results_export_next appends the next part of the file to out (the
 * BOM and header first, then up to ORGA_RESULTS_EXPORT_BATCH rows) and
 * sets *done once everything is written. out's maximum must allow one
 * batch of rows (a few hundred KiB).
 */
com_err orga_results_export_next(orga_results_export *x, com_buf *out,
    bool *done) COM_MUSTCHECK;

/* orga_results_export_close ends the transaction and frees x; NULL is a
 * no-op. */
void orga_results_export_close(orga_results_export *x);

/* orga_results_status_words: "En cours", "En attente d'envoi", and
 * "Résultats reçus" (assessment) or "Profil reçu". Static. */
const char *orga_results_status_words(const char *status, bool assessment);

#endif
