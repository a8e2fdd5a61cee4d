/*
 * learner_accounts.h - a school's ADMIN makes accounts for its students
 * without e-mail nor GAR (issue 13): for each selected learner without an
 * account, an account with an identifier and a one-time password, linked
 * to the learner at once; for a learner whose account logs in by
 * identifier, a new one-time password. One transaction per call; only
 * the hashes are stored, the passwords are returned this once.
 * The identifier's rule is account/identifier.h's; choosing learners,
 * their school's audit log and the all-or-none rule are this module's.
 */
#ifndef ORGA_LEARNER_ACCOUNTS_H
#define ORGA_LEARNER_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "account/identifier.h"
#include "err.h"
#include "school/organization.h"

/* Most learners one request may give accounts to (a large school). */
#define ORGA_LEARNER_ACCOUNTS_MAX 5000

/* Which learners: ids (one, a page), every active one of a class, or
 * every active one of the school. */
typedef struct orga_learner_selection {
	const int64_t *ids;         /* nids ids, or NULL */
	int nids;
	const char *class_code;     /* when ids is NULL: NULL or "" = all */
} orga_learner_selection;

/* One learner's identifier and one-time password, shown once. */
typedef struct orga_learner_credential {
	int64_t learner_id;
	int64_t user_id;
	bool created;               /* a new account; false: a new password */
	char class_code[ORGA_NAME_MAX];
	char last_name[ORGA_NAME_MAX];
	char first_name[ORGA_NAME_MAX];
	char login[ORGA_IDENTIFIER_SIZE];
	char password[ORGA_ONETIME_LEN + 1];
} orga_learner_credential;

/* Why a selected learner got nothing. */
typedef enum orga_learner_skip_reason {
	ORGA_LEARNER_SKIP_GAR = 0,  /* the account logs in through the GAR */
	ORGA_LEARNER_SKIP_EMAIL,    /* by e-mail: the student recovers it */
	ORGA_LEARNER_SKIP_GONE,     /* no longer in the school */
	ORGA_LEARNER_SKIP_NO_ACCOUNT, /* reset_only, and no account yet */
} orga_learner_skip_reason;

typedef struct orga_learner_skip {
	int64_t learner_id;
	orga_learner_skip_reason reason;
	char last_name[ORGA_NAME_MAX];
	char first_name[ORGA_NAME_MAX];
} orga_learner_skip;

/* What one call did; arrays sorted by class, then name. */
typedef struct orga_learner_accounts {
	orga_learner_credential *list;   /* count, malloc'd */
	int count;
	orga_learner_skip *skips;        /* nskips, malloc'd */
	int nskips;
} orga_learner_accounts;

/*
 * orga_learner_accounts_generate gives the learners of org_id that sel
 * names an account or a new password (see above), for actor (an ADMIN of
 * org_id: the caller checked), audited per learner
 * (learner_account_created, learner_password_reset; never a password).
 * A reset also clears the account's failed logins and ends its sessions.
 * reset_only: a learner without an account is skipped instead (the
 * "Réinitialiser le mot de passe" of one row). All or none, in one
 * transaction; the same request again makes no second account.
 * COM_ENOTFOUND when an id is not a learner of org_id, COM_EINVAL for an
 * empty selection (no id, or a class with no active learner),
 * COM_ETOOLARGE over ORGA_LEARNER_ACCOUNTS_MAX, COM_EBUSY on a
 * serialisation failure (retry), COM_EDB. Free *out with
 * orga_learner_accounts_fini.
 */
com_err orga_learner_accounts_generate(PGconn *db, int64_t org_id,
    int64_t actor, const orga_learner_selection *sel, bool reset_only,
    orga_learner_accounts *out) COM_MUSTCHECK;

/* orga_learner_accounts_fini frees the arrays (wiped first: they hold
 * passwords) and zeroes *a. */
void orga_learner_accounts_fini(orga_learner_accounts *a);

#endif
