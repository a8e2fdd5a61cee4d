/*
 * account.h - user accounts: sign-up with an argon2id password, login
 * with throttling (10 failures block 2, 4, 8, 16 min; 50 block until an
 * operator unblocks), and what GET /api/me shows.
 */
#ifndef ORGA_ACCOUNT_H
#define ORGA_ACCOUNT_H

#include <stdint.h>

#include <libpq-fe.h>

#include "account/identifier.h"
#include "err.h"
#include "school/organization.h"
#include "validate.h"

/* Longest accepted password, in bytes (argon2 cost is per byte). */
#define ORGA_PASSWORD_MAX 256
/* Longest first or last name, in characters. */
#define ORGA_PERSON_NAME_CHARS 255

typedef struct orga_user {
	int64_t id;
	char first_name[ORGA_NAME_MAX];
	char last_name[ORGA_NAME_MAX];
	char email[COM_EMAIL_MAX + 1];   /* "" when none */
	char login[ORGA_IDENTIFIER_SIZE]; /* identifier, "" when none */
	bool must_change_password;       /* a one-time password was used */
} orga_user;

typedef struct orga_user_membership {
	int64_t organization_id;
	char name[ORGA_NAME_MAX];
	char uai[COM_UAI_SIZE];
	orga_role role;
} orga_user_membership;

/*
 * orga_account_init prepares the dummy hash unknown e-mails are verified
 * against (about 0.1 s), so that the first such login is not slower.
 * Optional (done on first use otherwise); thread-safe.
 */
void orga_account_init(void);

/*
 * orga_account_create stores a new user. email must be normalised and the
 * password strong (the caller checked both to report every field). Hashes
 * the password (about 0.1 s). COM_EEXIST when the e-mail is taken.
 */
com_err orga_account_create(PGconn *db, const char *first_name,
    const char *last_name, const char *email, const char *password,
    orga_user *out) COM_MUSTCHECK;

/*
 * orga_account_login checks login and password: login is an e-mail (raw,
 * normalised here) when it holds "@", else an identifier (trimmed and
 * lower-cased here; see identifier.h). Sets last_login_at on success.
 * COM_EAUTH for an unknown login, an account without password, or a wrong
 * password - in about the same time (an unknown e-mail is verified against
 * a dummy hash); a wrong password counts a failure and may block the
 * account. COM_EBUSY when the account is blocked (nothing verified).
 * A success clears the failures.
 */
com_err orga_account_login(PGconn *db, const char *login,
    const char *password, orga_user *out) COM_MUSTCHECK;

/* orga_account_get loads user id; COM_ENOTFOUND when none. */
com_err orga_account_get(PGconn *db, int64_t id, orga_user *out)
    COM_MUSTCHECK;

/*
 * orga_account_memberships returns the user's schools by name in a
 * malloc'd array (*out, free() it; NULL when *count is 0).
 */
com_err orga_account_memberships(PGconn *db, int64_t user_id,
    orga_user_membership **out, int *count) COM_MUSTCHECK;

/*
 * orga_account_block_minutes: how long an account is blocked after its
 * failures-th failed login: 0 (not blocked), 2, 4, 8, 16 at each tenth
 * failure, -1 (until an operator unblocks) from 50 on. Pure.
 */
int orga_account_block_minutes(int failures);

/*
 * orga_account_name_ok: a trimmed first or last name of 1 to
 * ORGA_PERSON_NAME_CHARS characters without control characters. Pure.
 */
bool orga_account_name_ok(const char *name);

#endif
