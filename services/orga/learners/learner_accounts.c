/*
 * learner_accounts.c - accounts with an identifier and a one-time
 * password for a selection of a school's learners, in one transaction.
 */
#include "learners/learner_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "secret.h"
#include "str.h"

/* Rounds of drawing 4 digits for identifiers that are taken. */
#define LA_DRAW_ROUNDS 20

/* A selected learner as read under its lock. */
typedef struct la_row {
	int64_t learner_id;
	int64_t user_id;            /* 0: no account */
	bool active;
	bool gar, email, identifier;
	char base[ORGA_IDENTIFIER_SIZE];
	const char *first_name, *last_name, *class_code, *birth_date;
	const char *login;          /* the account's identifier, or "" */
} la_row;

/* Appends value to a PostgreSQL array literal, quoted (" and \ escaped). */
static com_err
la_array_add(com_buf *arr, const char *value)
{
	com_err rv;

	rv = com_buf_append_str(arr, arr->len > 1 ? ",\"" : "\"");
	for (const char *p = value; rv == COM_OK && *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			rv = com_buf_append(arr, "\\", 1);
		if (rv == COM_OK)
			rv = com_buf_append(arr, p, 1);
	}
	if (rv == COM_OK)
		rv = com_buf_append(arr, "\"", 1);
	return rv;
}

static com_err
la_array_id(com_buf *arr, int64_t id)
{
	return com_buf_printf(arr, "%s%lld", arr->len > 1 ? "," : "",
	    (long long)id);
}

/* Reads the selection under lock (FOR UPDATE of the learners), sorted
 * by class then name; *res owns the strings the rows point into. */
static com_err
la_select(PGconn *db, int64_t org_id, const orga_learner_selection *sel,
    PGresult **res, la_row **rows, int *count)
{
	com_db_id org = com_db_id_of(org_id);
	com_buf ids;
	const char *params[3];
	la_row *list = NULL;
	int n, distinct = 0;
	com_err rv = COM_OK;

	com_buf_init(&ids, 64 * 1024);
	rv = com_buf_append(&ids, "{", 1);
	for (int i = 0; rv == COM_OK && sel->ids != NULL && i < sel->nids; i++)
		rv = la_array_id(&ids, sel->ids[i]);
	if (rv == COM_OK)
		rv = com_buf_append(&ids, "}", 1);
	if (rv != COM_OK)
		goto out;
	params[0] = org.s;
	params[1] = sel->ids != NULL ? com_buf_str(&ids) : NULL;
	params[2] = sel->ids == NULL && sel->class_code != NULL &&
	        sel->class_code[0] != '\0' ? sel->class_code : NULL;
	rv = com_db_exec(db,
	    "SELECT l.id, coalesce(l.user_id, 0), l.active, l.first_name, "
	    "  l.last_name, l.class_code, l.birth_date::text, "
	    "  EXISTS (SELECT 1 FROM authentication_methods a "
	    "    WHERE a.user_id = l.user_id AND a.kind = 'GAR'), "
	    "  u.email IS NOT NULL, coalesce(u.login, ''), "
	    "  (SELECT count(DISTINCT x) FROM unnest($2::bigint[]) x) "
	    "FROM learners l LEFT JOIN users u ON u.id = l.user_id "
	    "WHERE l.organization_id = $1 AND CASE "
	    "  WHEN $2::bigint[] IS NOT NULL THEN l.id = ANY ($2::bigint[]) "
	    "  WHEN $3::text IS NOT NULL THEN l.active AND l.class_code = $3 "
	    "  ELSE l.active END "
	    "ORDER BY l.class_code, lower(unaccent(l.last_name)), "
	    "  lower(unaccent(l.first_name)), l.id "
	    "FOR UPDATE OF l",
	    3, params, res);
	if (rv != COM_OK)
		goto out;
	n = PQntuples(*res);
	if (n > 0)
		distinct = (int)strtol(com_db_value(*res, 0, 10), NULL, 10);
	if (sel->ids != NULL && n != distinct) {
		rv = n == 0 && sel->nids == 0 ? COM_EINVAL : COM_ENOTFOUND;
		goto out;
	}
	if (n <= 0) {
		rv = sel->ids != NULL && sel->nids > 0 ? COM_ENOTFOUND : COM_EINVAL;
		goto out;
	}
	if (n > ORGA_LEARNER_ACCOUNTS_MAX) {
		rv = COM_ETOOLARGE;
		goto out;
	}
	list = calloc((size_t)n, sizeof(*list));
	if (list == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		la_row *r = &list[i];

		r->learner_id = strtoll(com_db_value(*res, i, 0), NULL, 10);
		r->user_id = strtoll(com_db_value(*res, i, 1), NULL, 10);
		r->active = com_db_value(*res, i, 2)[0] == 't';
		r->first_name = com_db_value(*res, i, 3);
		r->last_name = com_db_value(*res, i, 4);
		r->class_code = com_db_value(*res, i, 5);
		r->birth_date = com_db_value(*res, i, 6);
		r->gar = com_db_value(*res, i, 7)[0] == 't';
		r->email = com_db_value(*res, i, 8)[0] == 't';
		r->login = com_db_value(*res, i, 9);
		r->identifier = r->login[0] != '\0';
	}
	*rows = list;
	*count = n;
	list = NULL;
out:
	free(list);
	com_buf_fini(&ids);
	return rv;
}

/*
 * Gives every credential of out->list that makes a new account an
 * identifier no account holds nor another of the list: its base, else
 * the base and 4 random digits, checked again until free.
 */
static com_err
la_identifiers(PGconn *db, orga_learner_accounts *out, const la_row *rows)
{
	int *slot = NULL;   /* candidate k is out->list[slot[k]] */
	int n = 0, bad;
	com_buf arr;
	PGresult *res = NULL;
	char digits[5];
	com_err rv = COM_OK;

	com_buf_init(&arr, 1024 * 1024);
	slot = calloc((size_t)out->count + 1, sizeof(*slot));
	if (slot == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < out->count; i++)
		if (out->list[i].created)
			slot[n++] = i;
	for (int round = 0; rv == COM_OK && n > 0; round++) {
		if (round == LA_DRAW_ROUNDS) {
			rv = COM_EBUSY;
			break;
		}
		com_buf_reset(&arr);
		rv = com_buf_append(&arr, "{", 1);
		for (int k = 0; rv == COM_OK && k < n; k++)
			rv = la_array_add(&arr, out->list[slot[k]].login);
		if (rv == COM_OK)
			rv = com_buf_append(&arr, "}", 1);
		if (rv != COM_OK)
			break;
		/* The ordinals (1-based) of candidates taken, by an account
		 * or by an earlier candidate of the list. */
		const char *params[] = {com_buf_str(&arr)};
		PQclear(res);
		res = NULL;
		rv = com_db_exec(db,
		    "SELECT i FROM (SELECT c.login, c.i, row_number() OVER "
		    "  (PARTITION BY c.login ORDER BY c.i) AS r "
		    "  FROM unnest($1::text[]) WITH ORDINALITY AS c(login, i)) c "
		    "WHERE c.r > 1 OR EXISTS (SELECT 1 FROM users u "
		    "  WHERE u.login = c.login) ORDER BY i",
		    1, params, &res);
		if (rv != COM_OK)
			break;
		bad = PQntuples(res);
		for (int j = 0; rv == COM_OK && j < bad; j++) {
			long k = strtol(com_db_value(res, j, 0), NULL, 10) - 1;
			orga_learner_credential *c;

			if (k < 0 || k >= n) {
				rv = COM_EPROTO;
				break;
			}
			c = &out->list[slot[k]];
			rv = orga_identifier_digits_new(digits);
			if (rv == COM_OK)
				rv = orga_identifier_suffixed(rows[slot[k]].base,
				    digits, c->login, sizeof(c->login));
			slot[j] = slot[k]; /* k >= j: kept in order */
		}
		n = bad;
	}
out:
	PQclear(res);
	free(slot);
	com_buf_fini(&arr);
	return rv;
}

/* Writes the accounts, the resets, the links and the audit rows. */
static com_err
la_write(PGconn *db, int64_t org_id, int64_t actor,
    orga_learner_accounts *out)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id by = com_db_id_of(actor);
	char hash[COM_PASSWORD_HASH_SIZE];
	com_buf nl, nlogin, nhash, rid, rhash;
	PGresult *res = NULL;
	int created = 0;
	com_err rv = COM_OK;

	com_buf_init(&nl, 256 * 1024);
	com_buf_init(&nlogin, 1024 * 1024);
	com_buf_init(&nhash, 1024 * 1024);
	com_buf_init(&rid, 256 * 1024);
	com_buf_init(&rhash, 1024 * 1024);
	rv = com_buf_append(&nl, "{", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&nlogin, "{", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&nhash, "{", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&rid, "{", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&rhash, "{", 1);
	for (int i = 0; rv == COM_OK && i < out->count; i++) {
		orga_learner_credential *c = &out->list[i];

		rv = orga_onetime_password_new(c->password,
		    sizeof(c->password));
		if (rv == COM_OK)
			rv = com_password_hash_onetime(c->password, hash);
		if (rv != COM_OK)
			break;
		if (c->created) {
			created++;
			rv = la_array_id(&nl, c->learner_id);
			if (rv == COM_OK)
				rv = la_array_add(&nlogin, c->login);
			if (rv == COM_OK)
				rv = la_array_add(&nhash, hash);
		} else {
			rv = la_array_id(&rid, c->user_id);
			if (rv == COM_OK)
				rv = la_array_add(&rhash, hash);
		}
	}
	sodium_memzero(hash, sizeof(hash));
	if (rv == COM_OK)
		rv = com_buf_append(&nl, "}", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&nlogin, "}", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&nhash, "}", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&rid, "}", 1);
	if (rv == COM_OK)
		rv = com_buf_append(&rhash, "}", 1);
	if (rv != COM_OK)
		goto out;

	if (created > 0) {
		const char *p[] = {org.s, actor > 0 ? by.s : NULL,
		    com_buf_str(&nl), com_buf_str(&nlogin), com_buf_str(&nhash)};

		/* Names from the learner, cut to what an account holds. */
		rv = com_db_exec(db,
		    "WITH t AS (SELECT * FROM unnest($3::bigint[], $4::text[], "
		    "  $5::text[]) AS t(lid, login, hash)), "
		    "ins AS (INSERT INTO users (first_name, last_name, login, "
		    "  password_hash, must_change_password) "
		    "  SELECT left(l.first_name, 255), left(l.last_name, 255), "
		    "    t.login, t.hash, true "
		    "  FROM t JOIN learners l ON l.id = t.lid "
		    "  RETURNING id, login), "
		    "lnk AS (UPDATE learners l SET user_id = ins.id, "
		    "  updated_at = now() FROM ins JOIN t ON t.login = ins.login "
		    "  WHERE l.id = t.lid AND l.organization_id = $1 "
		    "  RETURNING l.id AS lid, ins.id AS uid) "
		    "INSERT INTO audit_log (organization_id, actor_user_id, "
		    "  action, target_user_id, learner_id) "
		    "SELECT $1, $2, 'learner_account_created', uid, lid FROM lnk "
		    "RETURNING learner_id, target_user_id",
		    5, p, &res);
		if (rv != COM_OK)
			goto out;
		if (PQntuples(res) != created) {
			rv = COM_EPROTO;
			goto out;
		}
		for (int j = 0; j < created; j++) {
			int64_t lid = strtoll(com_db_value(res, j, 0), NULL, 10);
			int64_t uid = strtoll(com_db_value(res, j, 1), NULL, 10);

			for (int i = 0; i < out->count; i++)
				if (out->list[i].created &&
				    out->list[i].learner_id == lid)
					out->list[i].user_id = uid;
		}
	}
	if (created < out->count) {
		const char *p[] = {org.s, actor > 0 ? by.s : NULL,
		    com_buf_str(&rid), com_buf_str(&rhash)};

		rv = com_db_exec(db,
		    "WITH t AS (SELECT * FROM unnest($3::bigint[], $4::text[]) "
		    "  AS t(uid, hash)), "
		    "upd AS (UPDATE users u SET password_hash = t.hash, "
		    "  must_change_password = true, failed_logins = 0, "
		    "  blocked_until = NULL, updated_at = now() "
		    "  FROM t WHERE u.id = t.uid RETURNING u.id), "
		    "ended AS (DELETE FROM sessions s USING t "
		    "  WHERE s.user_id = t.uid) "
		    "INSERT INTO audit_log (organization_id, actor_user_id, "
		    "  action, target_user_id, learner_id) "
		    "SELECT $1, $2, 'learner_password_reset', upd.id, l.id "
		    "FROM upd JOIN learners l ON l.user_id = upd.id "
		    "  AND l.organization_id = $1",
		    4, p, NULL);
	}
out:
	PQclear(res);
	com_buf_fini(&rhash);
	com_buf_fini(&rid);
	com_buf_fini(&nhash);
	com_buf_fini(&nlogin);
	com_buf_fini(&nl);
	return rv;
}

/* Sorts the selection into credentials to make and learners skipped. */
static com_err
la_plan(la_row *rows, int n, bool reset_only, orga_learner_accounts *out)
{
	com_err rv = COM_OK;

	if (n <= 0 || n > ORGA_LEARNER_ACCOUNTS_MAX)
		return COM_EINVAL;
	out->list = calloc((size_t)n, sizeof(*out->list));
	out->skips = calloc((size_t)n, sizeof(*out->skips));
	if (out->list == NULL || out->skips == NULL)
		return COM_ENOMEM;
	for (int i = 0; rv == COM_OK && i < n; i++) {
		la_row *r = &rows[i];
		bool make = r->active && r->user_id == 0 && !reset_only;
		bool reset = r->active && r->user_id != 0 && r->identifier &&
		    !r->gar && !r->email;

		if (make || reset) {
			orga_learner_credential *c = &out->list[out->count++];

			c->learner_id = r->learner_id;
			c->user_id = r->user_id;
			c->created = make;
			rv = com_str_copy(c->class_code, sizeof(c->class_code),
			    r->class_code);
			if (rv == COM_OK)
				rv = com_str_copy(c->last_name, sizeof(c->last_name),
				    r->last_name);
			if (rv == COM_OK)
				rv = com_str_copy(c->first_name,
				    sizeof(c->first_name), r->first_name);
			if (rv == COM_OK && make) {
				rv = orga_identifier_base(r->first_name,
				    r->last_name, r->birth_date, r->base,
				    sizeof(r->base));
				if (rv == COM_OK)
					rv = com_str_copy(c->login, sizeof(c->login),
					    r->base);
			} else if (rv == COM_OK) {
				rv = com_str_copy(c->login, sizeof(c->login),
				    r->login);
			}
			/* la_identifiers finds the base of slot i in rows[i]. */
			if (rv == COM_OK && i != out->count - 1)
				rows[out->count - 1] = *r;
			continue;
		}
		orga_learner_skip *s = &out->skips[out->nskips++];

		s->learner_id = r->learner_id;
		s->reason = !r->active ? ORGA_LEARNER_SKIP_GONE
		    : r->gar           ? ORGA_LEARNER_SKIP_GAR
		    : r->email         ? ORGA_LEARNER_SKIP_EMAIL
		                       : ORGA_LEARNER_SKIP_NO_ACCOUNT;
		rv = com_str_copy(s->last_name, sizeof(s->last_name), r->last_name);
		if (rv == COM_OK)
			rv = com_str_copy(s->first_name, sizeof(s->first_name),
			    r->first_name);
	}
	return rv;
}

/* One attempt, in its own transaction. */
static com_err
la_once(PGconn *db, int64_t org_id, int64_t actor,
    const orga_learner_selection *sel, bool reset_only,
    orga_learner_accounts *out)
{
	PGresult *res = NULL;
	la_row *rows = NULL;
	int n = 0;
	com_err rv;

	memset(out, 0, sizeof(*out));
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = la_select(db, org_id, sel, &res, &rows, &n);
	if (rv == COM_OK)
		rv = la_plan(rows, n, reset_only, out);
	if (rv == COM_OK)
		rv = la_identifiers(db, out, rows);
	if (rv == COM_OK && out->count > 0)
		rv = la_write(db, org_id, actor, out);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK) {
		com_db_rollback(db);
		orga_learner_accounts_fini(out);
	}
	free(rows);
	PQclear(res);
	return rv;
}

com_err
orga_learner_accounts_generate(PGconn *db, int64_t org_id, int64_t actor,
    const orga_learner_selection *sel, bool reset_only,
    orga_learner_accounts *out)
{
	com_err rv;

	rv = la_once(db, org_id, actor, sel, reset_only, out);
	/* An identifier taken meanwhile by another school's request, or a
	 * deadlock with one: the whole request once more. */
	if (rv == COM_EEXIST || rv == COM_EBUSY)
		rv = la_once(db, org_id, actor, sel, reset_only, out);
	if (rv == COM_EEXIST)
		rv = COM_EBUSY;
	if (rv == COM_OK)
		com_log_info("learners: school %lld, %d accounts or passwords "
		    "made by user %lld, %d skipped", (long long)org_id,
		    out->count, (long long)actor, out->nskips);
	return rv;
}

void
orga_learner_accounts_fini(orga_learner_accounts *a)
{
	if (a->list != NULL)
		sodium_memzero(a->list, (size_t)a->count * sizeof(*a->list));
	free(a->list);
	free(a->skips);
	memset(a, 0, sizeof(*a));
}
