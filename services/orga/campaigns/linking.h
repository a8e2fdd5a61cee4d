/*
 * join.h - what a student does with a campaign code: find the campaign,
 * link their account to their imported learner record in the campaign's
 * school (rattachement: limited attempts, one learner per account and one
 * account per learner in a school), join the campaign and send their
 * profile; and an ADMIN unlinking a learner. Functions take a connection
 * the caller holds, outside any transaction; results are plain structs
 * the caller owns.
 */
#ifndef ORGA_JOIN_H
#define ORGA_JOIN_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "campaigns/campaign.h"
#include "err.h"
#include "school/organization.h"
#include "validate.h"

/* Linking attempts per account and school in one hour (guessed dates). */
#define ORGA_JOIN_ATTEMPTS_MAX 10
#define ORGA_JOIN_LANDING_SIZE (ORGA_CAMPAIGN_LANDING_MAX * 4 + 1)
#define ORGA_JOIN_EXTERNAL_ID_MAX 255   /* characters */

/* A campaign as a student sees it: active (never archived) only. */
typedef struct orga_join_campaign {
	int64_t id;
	int64_t org_id;
	char code[ORGA_CAMPAIGN_CODE_SIZE];
	char type[24];                      /* PROFILES_COLLECTION... */
	char name[ORGA_NAME_MAX];
	char org_name[ORGA_NAME_MAX];
	char external_id_label[ORGA_NAME_MAX]; /* "" when none */
	char landing_text[ORGA_JOIN_LANDING_SIZE]; /* "" when none */
} orga_join_campaign;

/*
 * orga_join_code_normalize trims spaces and upper-cases in into out, and
 * checks it with orga_campaign_code_ok. COM_EINVAL otherwise. Pure.
 */
com_err orga_join_code_normalize(const char *in,
    char out[ORGA_CAMPAIGN_CODE_SIZE]) COM_MUSTCHECK;

/*
 * orga_join_campaign_get loads the campaign of a normalised code.
 * COM_ENOTFOUND when there is none or it is archived.
 */
com_err orga_join_campaign_get(PGconn *db, const char *code,
    orga_join_campaign *out) COM_MUSTCHECK;

/*
 * orga_join_birth_date reads "JJ/MM/AAAA" (one-digit day and month
 * allowed) into ISO "AAAA-MM-JJ" (out, 11 bytes): a real calendar date
 * from 1900 to 2099. COM_EINVAL otherwise. Pure.
 */
com_err orga_join_birth_date(const char *in, char out[11]) COM_MUSTCHECK;

/*
 * orga_join_mask_email writes "j***@e***.fr" for "jean@exemple.fr" into
 * out (size bytes): the first character of each part and the last label
 * of the domain. Pure.
 */
void orga_join_mask_email(const char *email, char *out, size_t size);

/* How an account logs in (for the refusal naming another account). */
typedef struct orga_join_login {
	bool gar;                           /* a GAR identity */
	bool email;                         /* a password login by e-mail */
	bool identifier;                    /* neither: an identifier */
	char masked_email[COM_EMAIL_MAX + 1];
} orga_join_login;

/* The account's learner in a school, if any. */
typedef struct orga_join_learner {
	int64_t id;                         /* 0: the account is not linked */
	bool active;                        /* still in the school */
	char first_name[ORGA_NAME_MAX];
	char last_name[ORGA_NAME_MAX];
} orga_join_learner;

/* orga_join_learner_of loads user_id's learner in org_id (id 0: none). */
com_err orga_join_learner_of(PGconn *db, int64_t org_id, int64_t user_id,
    orga_join_learner *out) COM_MUSTCHECK;

typedef enum orga_join_outcome {
	ORGA_JOIN_LINKED = 0,              /* linked now (or already was) */
	ORGA_JOIN_LEARNER_ALREADY_LINKED,  /* the learner has another account */
	ORGA_JOIN_ACCOUNT_ALREADY_LINKED,  /* this account has another learner */
	ORGA_JOIN_NO_MATCH,                /* nobody, or several, matched */
	ORGA_JOIN_TOO_MANY_ATTEMPTS,
} orga_join_outcome;

typedef struct orga_join_result {
	orga_join_outcome outcome;
	int64_t learner_id;                 /* LINKED */
	orga_join_login other;              /* LEARNER_ALREADY_LINKED */
	int attempts_left;                  /* NO_MATCH, LEARNER_ALREADY_... */
} orga_join_result;

/*
 * orga_join_link tries to link user_id to one active learner of org_id
 * born on birth_date (ISO) whose names match first_name and last_name
 * (orga_match_find), in one transaction. Attempts are serialised per
 * account and school and recorded in link_attempts; from
 * ORGA_JOIN_ATTEMPTS_MAX failures in the last hour the outcome is
 * TOO_MANY_ATTEMPTS without looking. An account already linked in the
 * school gets ACCOUNT_ALREADY_LINKED without an attempt counted (LINKED
 * when the names designate its own learner). The matched learner is
 * locked before it is linked; a race lost on the one-learner-per-account
 * index is ACCOUNT_ALREADY_LINKED. Errors are database errors only.
 */
com_err orga_join_link(PGconn *db, int64_t org_id, int64_t user_id,
    const char *first_name, const char *last_name, const char *birth_date,
    orga_join_result *out) COM_MUSTCHECK;

/* A participation as its student sees it. */
typedef struct orga_join_participation {
	int64_t id;
	char status[12];                    /* STARTED, TO_SHARE, SHARED */
	char created_at[40];                /* ISO 8601 UTC */
	char shared_at[40];                 /* "" until shared */
	char external_id[ORGA_NAME_MAX];    /* "" when none */
} orga_join_participation;

/* orga_join_participation_get: user_id's in campaign_id; COM_ENOTFOUND. */
com_err orga_join_participation_get(PGconn *db, int64_t campaign_id,
    int64_t user_id, orga_join_participation *out) COM_MUSTCHECK;

/*
 * orga_join_participate makes user_id a participant of c, tied to their
 * active learner in c's school; a profile collection waits for sharing
 * at once (TO_SHARE: nothing to play), an assessment starts (STARTED).
 * external_id (NULL or "" for none) is kept when the campaign asks for
 * one. Joining again changes nothing. *created tells whether it is new.
 * COM_EPERM when the account has no active learner in the school.
 */
com_err orga_join_participate(PGconn *db, const orga_join_campaign *c,
    int64_t user_id, const char *external_id, orga_join_participation *out,
    bool *created) COM_MUSTCHECK;

/*
 * orga_join_share sends user_id's profile in campaign_id: TO_SHARE
 * becomes SHARED with shared_at. COM_ENOTFOUND (no participation),
 * COM_ECONFLICT (already SHARED, or still STARTED: out says which).
 */
com_err orga_join_share(PGconn *db, int64_t campaign_id, int64_t user_id,
    orga_join_participation *out) COM_MUSTCHECK;

/*
 * orga_join_unlink removes the account of learner_id of org_id (its
 * participations stay). COM_ENOTFOUND when the school has no such
 * learner; COM_ECONFLICT when no account is linked.
 */
com_err orga_join_unlink(PGconn *db, int64_t org_id, int64_t learner_id)
    COM_MUSTCHECK;

/* The competence framework (CRCN): 16 competences in 5 areas. */
typedef struct orga_competence {
	const char *code;                   /* "1.1" */
	const char *name;
	const char *area;
} orga_competence;

#define ORGA_CRCN_COUNT 16
extern const orga_competence orga_crcn[ORGA_CRCN_COUNT];

#endif
