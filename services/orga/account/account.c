/*
 * account.c - the users table: sign-up, login with throttling, and the
 * schools a user belongs to.
 */
#include "account/account.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "secret.h"
#include "str.h"

/* An argon2id hash of a random password, made once: unknown e-mails are
 * verified against it so that they take as long as known ones. */
static char account_dummy_hash[COM_PASSWORD_HASH_SIZE];
static bool account_dummy_ok;
static pthread_once_t account_dummy_once = PTHREAD_ONCE_INIT;

static void
account_dummy_make(void)
{
	char pw[33];

	if (com_token_new(COM_TOKEN_ALPHABET_URLSAFE, 32, pw, sizeof(pw)) !=
	    COM_OK)
		return;
	account_dummy_ok =
	    com_password_hash(pw, account_dummy_hash) == COM_OK;
}

static void
account_spend_verify_time(const char *password)
{
	orga_account_init();
	if (account_dummy_ok)
		(void)com_password_verify(account_dummy_hash, password);
}

void
orga_account_init(void)
{
	pthread_once(&account_dummy_once, account_dummy_make);
}

int
orga_account_block_minutes(int failures)
{
	if (failures >= 50)
		return -1;
	if (failures < 10 || failures % 10 != 0)
		return 0;
	return 1 << (failures / 10); /* 10 -> 2, 20 -> 4, 30 -> 8, 40 -> 16 */
}

bool
orga_account_name_ok(const char *name)
{
	size_t chars = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if ((*p & 0xC0) != 0x80)
			chars++;
	}
	return chars >= 1 && chars <= ORGA_PERSON_NAME_CHARS;
}

/* What account_row reads, in its order. */
#define ACCOUNT_COLUMNS                                                    \
	"id, first_name, last_name, email, login, must_change_password"

/*
 * Writes the key a login is looked up by: the normalised e-mail when it
 * holds "@" (*by_email), else the identifier trimmed and lower-cased.
 * COM_EINVAL when it is neither.
 */
static com_err
account_login_key(const char *login, char *out, size_t size, bool *by_email)
{
	size_t start, end, n;

	if (strchr(login, '@') != NULL) {
		*by_email = true;
		return com_email_normalize(login, out, size);
	}
	*by_email = false;
	start = strspn(login, " \t");
	end = strlen(login);
	while (end > start && (login[end - 1] == ' ' || login[end - 1] == '\t'))
		end--;
	n = end - start;
	if (n + 1 > size)
		return COM_EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = login[start + i];

		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	return orga_identifier_ok(out) ? COM_OK : COM_EINVAL;
}

/* Reads (id, first_name, last_name, email, login, must_change_password)
 * at row into *out. */
static com_err
account_row(const PGresult *res, int row, orga_user *out)
{
	orga_user u;
	char *end;
	com_err rv;

	memset(&u, 0, sizeof(u));
	u.id = strtoll(com_db_value(res, row, 0), &end, 10);
	if (*end != '\0' || u.id <= 0)
		return COM_EPROTO;
	rv = com_str_copy(u.first_name, sizeof(u.first_name),
	    com_db_value(res, row, 1));
	if (rv == COM_OK)
		rv = com_str_copy(u.last_name, sizeof(u.last_name),
		    com_db_value(res, row, 2));
	if (rv == COM_OK)
		rv = com_str_copy(u.email, sizeof(u.email),
		    com_db_value(res, row, 3));
	if (rv == COM_OK)
		rv = com_str_copy(u.login, sizeof(u.login),
		    com_db_value(res, row, 4));
	if (rv != COM_OK)
		return rv;
	u.must_change_password = strcmp(com_db_value(res, row, 5), "t") == 0;
	*out = u;
	return COM_OK;
}

com_err
orga_account_create(PGconn *db, const char *first_name,
    const char *last_name, const char *email, const char *password,
    orga_user *out)
{
	char hash[COM_PASSWORD_HASH_SIZE];
	PGresult *res = NULL;
	com_err rv;

	if (strlen(password) > ORGA_PASSWORD_MAX)
		return COM_EINVAL;
	rv = com_password_hash(password, hash);
	if (rv != COM_OK)
		return rv;

	const char *params[] = {first_name, last_name, email, hash};
	rv = com_db_exec(db,
	    "INSERT INTO users (first_name, last_name, email, password_hash)"
	    " VALUES ($1, $2, $3, $4)"
	    " RETURNING " ACCOUNT_COLUMNS,
	    4, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? account_row(res, 0, out) : COM_EPROTO;
	PQclear(res);
	return rv;
}

/* Counts one failed login of user id and blocks it when it is time. */
static com_err
account_fail(PGconn *db, const char *id)
{
	PGresult *res = NULL;
	char interval[32];
	int failures, minutes;
	char *end;
	com_err rv;

	const char *params[] = {id};
	rv = com_db_exec(db,
	    "UPDATE users SET failed_logins = failed_logins + 1,"
	    " updated_at = now() WHERE id = $1 RETURNING failed_logins",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_OK; /* deleted meanwhile */
	}
	failures = (int)strtol(com_db_value(res, 0, 0), &end, 10);
	PQclear(res);
	minutes = orga_account_block_minutes(failures);
	if (minutes == 0)
		return COM_OK;
	if (minutes < 0) {
		com_log_notice("account: user %s blocked after %d failed "
		    "logins until an operator unblocks it", id, failures);
		return com_db_exec(db,
		    "UPDATE users SET blocked_until = 'infinity' WHERE id = $1",
		    1, params, NULL);
	}
	snprintf(interval, sizeof(interval), "%d", minutes);
	com_log_notice("account: user %s blocked for %d min after %d failed "
	    "logins", id, minutes, failures);
	const char *bparams[] = {id, interval};
	return com_db_exec(db,
	    "UPDATE users SET blocked_until ="
	    " now() + make_interval(mins => $2::int) WHERE id = $1",
	    2, bparams, NULL);
}

com_err
orga_account_login(PGconn *db, const char *login, const char *password,
    orga_user *out)
{
	char norm[COM_EMAIL_MAX + 1];
	PGresult *res = NULL;
	bool by_email;
	orga_user u;
	com_err rv;

	if (strlen(password) > ORGA_PASSWORD_MAX ||
	    account_login_key(login, norm, sizeof(norm), &by_email) !=
	        COM_OK) {
		account_spend_verify_time(password);
		return COM_EAUTH;
	}

	const char *params[] = {norm};
	rv = com_db_exec(db, by_email
	    ? "SELECT " ACCOUNT_COLUMNS ", password_hash,"
	      " coalesce(blocked_until > now(), false)"
	      " FROM users WHERE email = $1"
	    : "SELECT " ACCOUNT_COLUMNS ", password_hash,"
	      " coalesce(blocked_until > now(), false)"
	      " FROM users WHERE login = $1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 6)) {
		account_spend_verify_time(password);
		rv = COM_EAUTH;
		goto out;
	}
	rv = account_row(res, 0, &u);
	if (rv != COM_OK)
		goto out;
	if (strcmp(com_db_value(res, 0, 7), "t") == 0) {
		rv = COM_EBUSY;
		goto out;
	}
	if (!com_password_verify(com_db_value(res, 0, 6), password)) {
		rv = account_fail(db, com_db_value(res, 0, 0));
		if (rv == COM_OK)
			rv = COM_EAUTH;
		goto out;
	}

	const char *ok[] = {com_db_value(res, 0, 0)};
	rv = com_db_exec(db,
	    "UPDATE users SET failed_logins = 0, blocked_until = NULL,"
	    " last_login_at = now() WHERE id = $1",
	    1, ok, NULL);
	if (rv != COM_OK)
		goto out;
	*out = u;
out:
	PQclear(res);
	return rv;
}

com_err
orga_account_get(PGconn *db, int64_t id, orga_user *out)
{
	PGresult *res = NULL;
	char sid[24];
	com_err rv;

	snprintf(sid, sizeof(sid), "%" PRId64, id);
	const char *params[] = {sid};
	rv = com_db_exec(db,
	    "SELECT " ACCOUNT_COLUMNS " FROM users WHERE id = $1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? account_row(res, 0, out) : COM_ENOTFOUND;
	PQclear(res);
	return rv;
}

com_err
orga_account_memberships(PGconn *db, int64_t user_id,
    orga_user_membership **out, int *count)
{
	orga_user_membership *list = NULL;
	PGresult *res = NULL;
	char sid[24];
	char *end;
	int n;
	com_err rv;

	snprintf(sid, sizeof(sid), "%" PRId64, user_id);
	const char *params[] = {sid};
	rv = com_db_exec(db,
	    "SELECT o.id, o.name, o.uai, m.role FROM memberships m"
	    " JOIN organizations o ON o.id = m.organization_id"
	    " WHERE m.user_id = $1 ORDER BY o.name, o.id",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	if (n > 0) {
		list = calloc((size_t)n, sizeof(*list));
		if (list == NULL) {
			rv = COM_ENOMEM;
			goto out;
		}
	}
	for (int i = 0; i < n && rv == COM_OK; i++) {
		list[i].organization_id =
		    strtoll(com_db_value(res, i, 0), &end, 10);
		if (*end != '\0')
			rv = COM_EPROTO;
		if (rv == COM_OK)
			rv = com_str_copy(list[i].name, sizeof(list[i].name),
			    com_db_value(res, i, 1));
		if (rv == COM_OK)
			rv = com_str_copy(list[i].uai, sizeof(list[i].uai),
			    com_db_value(res, i, 2));
		if (rv == COM_OK)
			rv = orga_role_parse(com_db_value(res, i, 3),
			    &list[i].role);
	}
	if (rv != COM_OK)
		goto out;
	*out = list;
	*count = n;
	list = NULL;
out:
	free(list);
	PQclear(res);
	return rv;
}
