/*
 * account_status.h - what an operator or a school's ADMIN sees of an
 * account's login state, and lifting the block of too many failed logins
 * (rules.md: 50 failures block until someone allowed unblocks it): an
 * operator for any account (orgactl user unblock), an ADMIN for the
 * accounts of the school's own learners ("Débloquer le compte").
 */
#ifndef ORGA_ACCOUNT_STATUS_H
#define ORGA_ACCOUNT_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "account/identifier.h"
#include "err.h"
#include "school/organization.h"
#include "validate.h"

/* An account as an operator sees it: never a hash. */
typedef struct orga_account_status {
	int64_t id;
	char first_name[ORGA_NAME_MAX];
	char last_name[ORGA_NAME_MAX];
	char email[COM_EMAIL_MAX + 1];
	char login[ORGA_IDENTIFIER_SIZE];  /* "" when none */
	bool password, gar;                /* ways to log in */
	bool must_change_password;
	int failed_logins;
	bool blocked;                      /* now */
	bool blocked_forever;              /* until someone unblocks it */
	char blocked_until[40];            /* ISO 8601 UTC, "" when not */
	char last_login_at[40];            /* "" when never */
	char created_at[40];
} orga_account_status;

/*
 * orga_account_status_by_email loads the account of email (normalised).
 * COM_ENOTFOUND when none; COM_EDB.
 */
com_err orga_account_status_by_email(PGconn *db, const char *email,
    orga_account_status *out) COM_MUSTCHECK;

/*
 * orga_account_unblock_email clears the failed logins and the block of
 * the account of email (normalised), for an operator; *status is the
 * account afterwards. COM_ENOTFOUND when none; COM_EDB.
 */
com_err orga_account_unblock_email(PGconn *db, const char *email,
    orga_account_status *status) COM_MUSTCHECK;

/*
 * orga_account_unblock_learner does the same for the account linked to
 * learner_id of org_id, for actor (an ADMIN of org_id: the caller
 * checked), audited as learner_unblocked, in one transaction.
 * COM_ENOTFOUND when the school has no such learner, COM_ECONFLICT when
 * no account is linked to it; COM_EDB.
 */
com_err orga_account_unblock_learner(PGconn *db, int64_t org_id,
    int64_t actor, int64_t learner_id) COM_MUSTCHECK;

#endif
