/*
 * campaign.h - a school's campaigns (staff side): the 9-character code,
 * the checks of the form fields, creating, listing with participant
 * counts, reading, editing, archiving, and the participants of one
 * campaign. Only members of the school may reach these: callers check
 * the membership first (outsiders get 404); editing and archiving check
 * the owner / ADMIN rule here, under a row lock.
 */
#ifndef ORGA_CAMPAIGN_H
#define ORGA_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "err.h"

/* 6 letters from ORGA_CAMPAIGN_LETTERS, then 3 digits. */
#define ORGA_CAMPAIGN_CODE_LEN 9
#define ORGA_CAMPAIGN_CODE_SIZE (ORGA_CAMPAIGN_CODE_LEN + 1)
/* Upper-case letters without look-alikes (no I, L, O: 1, 0). */
#define ORGA_CAMPAIGN_LETTERS "ABCDEFGHJKMNPQRSTUVWXYZ"
#define ORGA_CAMPAIGN_DIGITS "0123456789"

#define ORGA_CAMPAIGN_NAME_MAX 255      /* characters */
#define ORGA_CAMPAIGN_LABEL_MAX 255     /* characters */
#define ORGA_CAMPAIGN_LANDING_MAX 5000  /* characters */
#define ORGA_CAMPAIGN_CODE_TRIES 20     /* codes drawn before giving up */

/*
 * orga_campaign_code_new draws a code into out from libsodium's random
 * source (com_token_new). The caller retries on a unique violation.
 */
com_err orga_campaign_code_new(char out[ORGA_CAMPAIGN_CODE_SIZE])
    COM_MUSTCHECK;

/* orga_campaign_code_ok: code has the shape and alphabet above. Pure. */
bool orga_campaign_code_ok(const char *code);

/* orga_campaign_type_ok: "PROFILES_COLLECTION" or "ASSESSMENT". Pure. */
bool orga_campaign_type_ok(const char *type);

/*
 * The fields of the create and edit forms. A NULL member is absent (edit:
 * unchanged; create: the default). For the label and the landing text,
 * set_* true with a NULL or "" value clears them. owner_id 0: absent.
 * Strings are borrowed.
 */
typedef struct orga_campaign_fields {
	const char *name;
	const char *type;
	bool set_label;
	const char *external_id_label;
	bool set_landing;
	const char *landing_text;
	int64_t owner_id;
	/* Creation of an ASSESSMENT: the parcours chosen and the content
	 * version it was resolved in (NULL / 0: none). */
	const char *parcours_id;
	int64_t content_version_id;
} orga_campaign_fields;

/* One fault of a form: a field name, a machine code, a French message. */
typedef struct orga_campaign_problem {
	const char *field;        /* static */
	const char *code;         /* static */
	char message[200];
} orga_campaign_problem;

#define ORGA_CAMPAIGN_PROBLEMS_MAX 4

/*
 * orga_campaign_check checks f for a creation (creating: the name is
 * required) or an edit (a name, when given, must not be empty): name 1 to
 * ORGA_CAMPAIGN_NAME_MAX characters without control characters, type
 * known, label at most ORGA_CAMPAIGN_LABEL_MAX characters without
 * control characters, landing text at most ORGA_CAMPAIGN_LANDING_MAX
 * characters; all valid UTF-8. Writes up to ORGA_CAMPAIGN_PROBLEMS_MAX
 * problems into out and returns how many (0: fine). Pure.
 */
int orga_campaign_check(const orga_campaign_fields *f, bool creating,
    orga_campaign_problem out[ORGA_CAMPAIGN_PROBLEMS_MAX]);

/*
 * One campaign as listed or read; the strings live as long as the rows
 * they come from. external_id_label, landing_text and archived_at are ""
 * when empty.
 */
typedef struct orga_campaign {
	int64_t id;
	const char *code;
	const char *name;
	const char *type;
	const char *external_id_label;
	const char *landing_text;
	int64_t owner_id;
	const char *owner_first_name;
	const char *owner_last_name;
	int64_t creator_id;
	const char *created_at;   /* ISO 8601 UTC */
	const char *archived_at;  /* ISO 8601 UTC, or "" when active */
	int64_t participants;     /* every participation */
	int64_t shared;           /* participations with status SHARED */
	const char *parcours_id;  /* "" when none */
	int64_t content_version_id; /* 0 when none */
} orga_campaign;

typedef struct orga_campaign_rows {
	PGresult *res;            /* owned */
	int count;
} orga_campaign_rows;

/* orga_campaign_row reads row i (0 <= i < count). */
void orga_campaign_row(const orga_campaign_rows *rows, int i,
    orga_campaign *out);

/* orga_campaign_rows_fini frees the rows; safe on zeroed rows. */
void orga_campaign_rows_fini(orga_campaign_rows *rows);

/*
 * orga_campaign_create inserts a campaign of org_id created by creator,
 * owned by f->owner_id (0: the creator), of type f->type (NULL:
 * PROFILES_COLLECTION), with a fresh code (redrawn on a unique violation,
 * up to ORGA_CAMPAIGN_CODE_TRIES times). f must have passed
 * orga_campaign_check. Writes the new id into *id. COM_EINVAL when the
 * owner is not a member of the school; COM_EEXIST when no free code was
 * found.
 */
com_err orga_campaign_create(PGconn *db, int64_t org_id, int64_t creator,
    const orga_campaign_fields *f, int64_t *id) COM_MUSTCHECK;

/*
 * orga_campaign_list loads org_id's campaigns, newest first: only those
 * owned by user_id when mine, the archived ones when archived (else the
 * active ones). Free with orga_campaign_rows_fini.
 */
com_err orga_campaign_list(PGconn *db, int64_t org_id, int64_t user_id,
    bool mine, bool archived, orga_campaign_rows *out) COM_MUSTCHECK;

/*
 * orga_campaign_get loads campaign id of org_id (one row).
 * COM_ENOTFOUND when the school has no such campaign.
 */
com_err orga_campaign_get(PGconn *db, int64_t org_id, int64_t id,
    orga_campaign_rows *out) COM_MUSTCHECK;

/*
 * orga_campaign_edit changes the fields of f that are present (type is
 * ignored: it never changes) of campaign id of org_id, on behalf of
 * actor, in one transaction with the campaign locked. f must have passed
 * orga_campaign_check. COM_ENOTFOUND (no such campaign), COM_EPERM
 * (actor is neither its owner nor an ADMIN of the school), COM_EINVAL
 * (the new owner is not a member of the school), COM_EBUSY (retry).
 */
com_err orga_campaign_edit(PGconn *db, int64_t org_id, int64_t id,
    int64_t actor, const orga_campaign_fields *f) COM_MUSTCHECK;

/*
 * orga_campaign_set_archived archives (archived true) or restores
 * campaign id of org_id on behalf of actor; archiving an archived
 * campaign keeps its date. Errors as orga_campaign_edit (no COM_EINVAL).
 */
com_err orga_campaign_set_archived(PGconn *db, int64_t org_id, int64_t id,
    int64_t actor, bool archived) COM_MUSTCHECK;

/*
 * The participation states as stored in participations.status, and the
 * French label the school sees for each.
 */
#define ORGA_PARTICIPATION_STARTED "STARTED"    /* En cours */
#define ORGA_PARTICIPATION_TO_SHARE "TO_SHARE"  /* En attente d'envoi */
#define ORGA_PARTICIPATION_SHARED "SHARED"      /* Profil reçu */

/* One participant; the strings live as long as their rows. */
typedef struct orga_participant {
	int64_t id;               /* the participation */
	int64_t learner_id;       /* 0: no learner linked */
	const char *last_name;    /* the learner's, else the account's */
	const char *first_name;
	const char *class_code;   /* "" without a learner */
	const char *status;       /* STARTED, TO_SHARE or SHARED */
	const char *created_at;   /* ISO 8601 UTC */
	const char *shared_at;    /* ISO 8601 UTC, or "" */
	const char *external_id;  /* what the campaign's label asked, or "" */
} orga_participant;

/*
 * orga_campaign_participants loads the participants of campaign id of
 * org_id (the caller checked it exists), sorted by last then first name,
 * only those of class_code when it is neither NULL nor "". Read rows with
 * orga_participant_row; free with orga_campaign_rows_fini.
 */
com_err orga_campaign_participants(PGconn *db, int64_t org_id, int64_t id,
    const char *class_code, orga_campaign_rows *out) COM_MUSTCHECK;

/* orga_participant_row reads row i of orga_campaign_participants. */
void orga_participant_row(const orga_campaign_rows *rows, int i,
    orga_participant *out);

/*
 * orga_campaign_classes returns the distinct classes of the campaign's
 * participants' learners, sorted: one text column; the caller PQclears.
 */
com_err orga_campaign_classes(PGconn *db, int64_t org_id, int64_t id,
    PGresult **out) COM_MUSTCHECK;

/*
 * orga_participants_csv appends the participants rows (from
 * orga_campaign_participants) of campaign c to out as the school's
 * export: a header line, then one line per participant (Nom, Prénom,
 * Classe, then the campaign's participant identifier under its label when
 * it asks one, État, Commencée le, Envoyée le as JJ/MM/AAAA), through
 * com_csv_field, CRLF line ends, after a UTF-8 byte order mark so that
 * spreadsheets read the accents. COM_ETOOLARGE past out's maximum. Pure.
 */
com_err orga_participants_csv(const orga_campaign *c,
    const orga_campaign_rows *rows, com_buf *out) COM_MUSTCHECK;

#endif
