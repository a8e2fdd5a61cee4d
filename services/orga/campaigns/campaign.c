/*
 * campaign.c - campaigns of a school: codes, form checks, and the SQL of
 * campaigns and of their participants as the school's staff sees them.
 */
#include "campaigns/campaign.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "secret.h"
#include "utf8.h"

#define CAMPAIGN_ISO(col)                                                  \
	"coalesce(to_char(" col " AT TIME ZONE 'UTC', "                    \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

/* The columns orga_campaign_row reads, in order. */
#define CAMPAIGN_SELECT                                                    \
	"SELECT c.id, c.code, c.name, c.type, "                            \
	"  coalesce(c.external_id_label, ''), coalesce(c.landing_text, ''), " \
	"  c.owner_id, u.first_name, u.last_name, c.creator_id, "          \
	"  " CAMPAIGN_ISO("c.created_at") ", "                             \
	"  " CAMPAIGN_ISO("c.archived_at") ", "                            \
	"  (SELECT count(*) FROM participations p "                        \
	"   WHERE p.campaign_id = c.id), "                                 \
	"  (SELECT count(*) FROM participations p "                        \
	"   WHERE p.campaign_id = c.id AND p.status = 'SHARED'), "         \
	"  coalesce(c.parcours_id, ''), coalesce(c.content_version_id, 0) " \
	"FROM campaigns c JOIN users u ON u.id = c.owner_id "

/* --- pure part --------------------------------------------------------- */

com_err
orga_campaign_code_new(char out[ORGA_CAMPAIGN_CODE_SIZE])
{
	char code[ORGA_CAMPAIGN_CODE_SIZE];
	com_err rv;

	rv = com_token_new(ORGA_CAMPAIGN_LETTERS, 6, code, sizeof(code));
	if (rv == COM_OK)
		rv = com_token_new(ORGA_CAMPAIGN_DIGITS, 3, code + 6,
		    sizeof(code) - 6);
	if (rv != COM_OK)
		return rv;
	memcpy(out, code, sizeof(code));
	return COM_OK;
}

bool
orga_campaign_code_ok(const char *code)
{
	if (code == NULL || strlen(code) != ORGA_CAMPAIGN_CODE_LEN)
		return false;
	for (int i = 0; i < 6; i++)
		if (code[i] == '\0' ||
		    strchr(ORGA_CAMPAIGN_LETTERS, code[i]) == NULL)
			return false;
	for (int i = 6; i < ORGA_CAMPAIGN_CODE_LEN; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return true;
}

bool
orga_campaign_type_ok(const char *type)
{
	return type != NULL && (strcmp(type, "PROFILES_COLLECTION") == 0 ||
	                           strcmp(type, "ASSESSMENT") == 0);
}

/* campaign_has_control: a C0 control or DEL, other than those allowed. */
static bool
campaign_has_control(const char *s, const char *allowed)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) && strchr(allowed, *p) == NULL)
			return true;
	return false;
}

static void campaign_problem(orga_campaign_problem *out, int *n,
    const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
campaign_problem(orga_campaign_problem *out, int *n, const char *field,
    const char *code, const char *fmt, ...)
{
	orga_campaign_problem *p;
	va_list ap;

	if (*n >= ORGA_CAMPAIGN_PROBLEMS_MAX)
		return;
	p = &out[(*n)++];
	p->field = field;
	p->code = code;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

/* Counts the characters of s, or returns false when s is not UTF-8. */
static bool
campaign_chars(const char *s, size_t *chars)
{
	size_t len = strlen(s);

	if (!com_utf8_valid(s, len))
		return false;
	*chars = com_utf8_chars(s, len);
	return true;
}

/* campaign_blank: only spaces, tabs or line breaks. */
static bool
campaign_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

int
orga_campaign_check(const orga_campaign_fields *f, bool creating,
    orga_campaign_problem out[ORGA_CAMPAIGN_PROBLEMS_MAX])
{
	size_t chars = 0;
	int n = 0;

	if (f->name == NULL ? creating : campaign_blank(f->name))
		campaign_problem(out, &n, "name", "FIELD_REQUIRED",
		    "Le nom de la campagne est obligatoire.");
	else if (f->name != NULL &&
	    (!campaign_chars(f->name, &chars) ||
	        campaign_has_control(f->name, "")))
		campaign_problem(out, &n, "name", "FIELD_INVALID",
		    "Le nom de la campagne contient des caractères non "
		    "autorisés.");
	else if (f->name != NULL && chars > ORGA_CAMPAIGN_NAME_MAX)
		campaign_problem(out, &n, "name", "FIELD_TOO_LONG",
		    "Le nom de la campagne ne doit pas dépasser %zu "
		    "caractères.", (size_t)ORGA_CAMPAIGN_NAME_MAX);
	if (f->type != NULL && !orga_campaign_type_ok(f->type))
		campaign_problem(out, &n, "type", "FIELD_INVALID",
		    "Choisissez le type de la campagne : « Collecter les "
		    "profils » ou « Évaluer les participants ».");
	if (f->set_label && f->external_id_label != NULL) {
		if (!campaign_chars(f->external_id_label, &chars) ||
		    campaign_has_control(f->external_id_label, ""))
			campaign_problem(out, &n, "externalIdLabel",
			    "FIELD_INVALID", "Le libellé de l'identifiant du "
			    "participant contient des caractères non "
			    "autorisés.");
		else if (chars > ORGA_CAMPAIGN_LABEL_MAX)
			campaign_problem(out, &n, "externalIdLabel",
			    "FIELD_TOO_LONG", "Le libellé de l'identifiant du "
			    "participant ne doit pas dépasser %zu caractères.",
			    (size_t)ORGA_CAMPAIGN_LABEL_MAX);
	}
	if (f->set_landing && f->landing_text != NULL) {
		if (!campaign_chars(f->landing_text, &chars) ||
		    campaign_has_control(f->landing_text, "\t\n\r"))
			campaign_problem(out, &n, "landingText", "FIELD_INVALID",
			    "Le texte de la page d'accueil contient des "
			    "caractères non autorisés.");
		else if (chars > ORGA_CAMPAIGN_LANDING_MAX)
			campaign_problem(out, &n, "landingText",
			    "FIELD_TOO_LONG", "Le texte de la page d'accueil ne "
			    "doit pas dépasser 5000 caractères (il en compte "
			    "%zu).", chars);
	}
	return n;
}

/* --- rows -------------------------------------------------------------- */

static int64_t
campaign_int(const PGresult *res, int row, int col)
{
	return strtoll(com_db_value(res, row, col), NULL, 10);
}

void
orga_campaign_row(const orga_campaign_rows *rows, int i, orga_campaign *out)
{
	const PGresult *res = rows->res;

	out->id = campaign_int(res, i, 0);
	out->code = com_db_value(res, i, 1);
	out->name = com_db_value(res, i, 2);
	out->type = com_db_value(res, i, 3);
	out->external_id_label = com_db_value(res, i, 4);
	out->landing_text = com_db_value(res, i, 5);
	out->owner_id = campaign_int(res, i, 6);
	out->owner_first_name = com_db_value(res, i, 7);
	out->owner_last_name = com_db_value(res, i, 8);
	out->creator_id = campaign_int(res, i, 9);
	out->created_at = com_db_value(res, i, 10);
	out->archived_at = com_db_value(res, i, 11);
	out->participants = campaign_int(res, i, 12);
	out->shared = campaign_int(res, i, 13);
	out->parcours_id = com_db_value(res, i, 14);
	out->content_version_id = campaign_int(res, i, 15);
}

void
orga_campaign_rows_fini(orga_campaign_rows *rows)
{
	PQclear(rows->res);
	rows->res = NULL;
	rows->count = 0;
}

static void
campaign_rows_take(orga_campaign_rows *out, PGresult *res)
{
	out->res = res;
	out->count = PQntuples(res);
}

/* --- SQL --------------------------------------------------------------- */

com_err
orga_campaign_create(PGconn *db, int64_t org_id, int64_t creator,
    const orga_campaign_fields *f, int64_t *id)
{
	char org[24], by[24], owner[24], code[ORGA_CAMPAIGN_CODE_SIZE];
	com_db_id version = com_db_id_of(f->content_version_id);
	const char *label = f->set_label ? f->external_id_label : NULL;
	const char *landing = f->set_landing ? f->landing_text : NULL;
	const char *params[10] = {org, code, f->name,
	    f->type != NULL ? f->type : "PROFILES_COLLECTION",
	    label != NULL && label[0] != '\0' ? label : NULL,
	    landing != NULL && landing[0] != '\0' ? landing : NULL, owner, by,
	    f->parcours_id, f->parcours_id != NULL ? version.s : NULL};
	PGresult *res = NULL;
	com_err rv = COM_EEXIST;

	if (f->name == NULL || creator <= 0)
		return COM_EINVAL;
	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(by, sizeof(by), "%" PRId64, creator);
	snprintf(owner, sizeof(owner), "%" PRId64,
	    f->owner_id > 0 ? f->owner_id : creator);
	/* The owner is checked in the same statement: a member, or nothing
	 * is inserted. A code already taken is drawn again. */
	for (int i = 0; i < ORGA_CAMPAIGN_CODE_TRIES && rv == COM_EEXIST;
	     i++) {
		rv = orga_campaign_code_new(code);
		if (rv != COM_OK)
			return rv;
		rv = com_db_exec(db,
		    "INSERT INTO campaigns (organization_id, code, name, "
		    "  type, external_id_label, landing_text, owner_id, "
		    "  creator_id, parcours_id, content_version_id) "
		    "SELECT $1, $2, btrim($3), $4, nullif(btrim($5), ''), $6, "
		    "  $7, $8, $9, $10 "
		    "WHERE EXISTS (SELECT 1 FROM memberships "
		    "  WHERE organization_id = $1 AND user_id = $7) "
		    "RETURNING id",
		    10, params, &res);
		if (rv == COM_EEXIST)
			com_log_notice("campaign: code already taken, drawing "
			    "another (try %d)", i + 1);
	}
	if (rv != COM_OK) {
		if (rv == COM_EEXIST)
			com_log_err("campaign: no free code after %d tries",
			    ORGA_CAMPAIGN_CODE_TRIES);
		return rv;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_EINVAL;
	}
	*id = campaign_int(res, 0, 0);
	PQclear(res);
	return COM_OK;
}

com_err
orga_campaign_list(PGconn *db, int64_t org_id, int64_t user_id, bool mine,
    bool archived, orga_campaign_rows *out)
{
	char org[24], user[24];
	const char *params[4] = {org, mine ? user : NULL,
	    archived ? "t" : "f"};
	PGresult *res;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(user, sizeof(user), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    CAMPAIGN_SELECT
	    "WHERE c.organization_id = $1 "
	    "AND ($2::bigint IS NULL OR c.owner_id = $2) "
	    "AND (c.archived_at IS NOT NULL) = $3::boolean "
	    "ORDER BY c.created_at DESC, c.id DESC",
	    3, params, &res);
	if (rv != COM_OK)
		return rv;
	campaign_rows_take(out, res);
	return COM_OK;
}

com_err
orga_campaign_get(PGconn *db, int64_t org_id, int64_t id,
    orga_campaign_rows *out)
{
	char org[24], cid[24];
	const char *params[2] = {org, cid};
	PGresult *res;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(cid, sizeof(cid), "%" PRId64, id);
	rv = com_db_exec(db,
	    CAMPAIGN_SELECT "WHERE c.organization_id = $1 AND c.id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	campaign_rows_take(out, res);
	return COM_OK;
}

/*
 * campaign_lock locks campaign id of org_id inside the caller's
 * transaction and checks that actor owns it or is an ADMIN of the school.
 */
static com_err
campaign_lock(PGconn *db, const char *org, const char *cid, int64_t actor)
{
	char who[24];
	const char *params[3] = {org, cid, who};
	PGresult *res;
	com_err rv;
	bool ok;

	snprintf(who, sizeof(who), "%" PRId64, actor);
	rv = com_db_exec(db,
	    "SELECT c.owner_id = $3, coalesce(m.role, '') = 'ADMIN' "
	    "FROM campaigns c LEFT JOIN memberships m "
	    "  ON m.organization_id = c.organization_id AND m.user_id = $3 "
	    "WHERE c.organization_id = $1 AND c.id = $2 FOR UPDATE OF c",
	    3, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	ok = com_db_value(res, 0, 0)[0] == 't' ||
	    com_db_value(res, 0, 1)[0] == 't';
	PQclear(res);
	return ok ? COM_OK : COM_EPERM;
}

/* campaign_member_locked: user is a member of org (the row share-locked,
 * so that they cannot be removed before the commit). */
static com_err
campaign_member_locked(PGconn *db, const char *org, int64_t user)
{
	char uid[24];
	const char *params[2] = {org, uid};
	PGresult *res;
	com_err rv;
	int n;

	snprintf(uid, sizeof(uid), "%" PRId64, user);
	rv = com_db_exec(db,
	    "SELECT 1 FROM memberships WHERE organization_id = $1 "
	    "AND user_id = $2 FOR SHARE",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? COM_OK : COM_EINVAL;
}

com_err
orga_campaign_edit(PGconn *db, int64_t org_id, int64_t id, int64_t actor,
    const orga_campaign_fields *f)
{
	char org[24], cid[24], owner[24];
	const char *params[8] = {org, cid, f->name, f->set_label ? "t" : "f",
	    f->external_id_label, f->set_landing ? "t" : "f", f->landing_text,
	    f->owner_id > 0 ? owner : NULL};
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(cid, sizeof(cid), "%" PRId64, id);
	snprintf(owner, sizeof(owner), "%" PRId64, f->owner_id);
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = campaign_lock(db, org, cid, actor);
	if (rv == COM_OK && f->owner_id > 0)
		rv = campaign_member_locked(db, org, f->owner_id);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "UPDATE campaigns SET "
		    "  name = coalesce(btrim($3), name), "
		    "  external_id_label = CASE WHEN $4::boolean "
		    "  THEN nullif(btrim($5), '') ELSE external_id_label END, "
		    "  landing_text = CASE WHEN $6::boolean "
		    "    THEN nullif($7, '') ELSE landing_text END, "
		    "  owner_id = coalesce($8::bigint, owner_id), "
		    "  updated_at = now() "
		    "WHERE organization_id = $1 AND id = $2",
		    8, params, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}

com_err
orga_campaign_set_archived(PGconn *db, int64_t org_id, int64_t id,
    int64_t actor, bool archived)
{
	char org[24], cid[24];
	const char *params[3] = {org, cid, archived ? "t" : "f"};
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(cid, sizeof(cid), "%" PRId64, id);
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = campaign_lock(db, org, cid, actor);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "UPDATE campaigns SET archived_at = CASE WHEN $3::boolean "
		    "  THEN coalesce(archived_at, now()) END, "
		    "  updated_at = now() "
		    "WHERE organization_id = $1 AND id = $2",
		    3, params, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}

/* --- participants ------------------------------------------------------ */

com_err
orga_campaign_participants(PGconn *db, int64_t org_id, int64_t id,
    const char *class_code, orga_campaign_rows *out)
{
	char org[24], cid[24];
	const char *params[3] = {org, cid,
	    class_code != NULL && class_code[0] != '\0' ? class_code : NULL};
	PGresult *res;
	com_err rv;

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(cid, sizeof(cid), "%" PRId64, id);
	/* The names and class come from the imported learner the student
	 * was linked to; the account's names stand in without one. */
	rv = com_db_exec(db,
	    "SELECT p.id, coalesce(p.learner_id, 0), "
	    "  coalesce(l.last_name, u.last_name), "
	    "  coalesce(l.first_name, u.first_name), "
	    "  coalesce(l.class_code, ''), p.status, "
	    "  " CAMPAIGN_ISO("p.created_at") ", "
	    "  " CAMPAIGN_ISO("p.shared_at") ", coalesce(p.external_id, '') "
	    "FROM participations p JOIN users u ON u.id = p.user_id "
	    "LEFT JOIN learners l ON l.id = p.learner_id "
	    "  AND l.organization_id = p.organization_id "
	    "WHERE p.organization_id = $1 AND p.campaign_id = $2 "
	    "AND ($3::text IS NULL OR l.class_code = $3) "
	    "ORDER BY lower(unaccent(coalesce(l.last_name, u.last_name))), "
	    "  lower(unaccent(coalesce(l.first_name, u.first_name))), p.id",
	    3, params, &res);
	if (rv != COM_OK)
		return rv;
	campaign_rows_take(out, res);
	return COM_OK;
}

void
orga_participant_row(const orga_campaign_rows *rows, int i,
    orga_participant *out)
{
	const PGresult *res = rows->res;

	out->id = campaign_int(res, i, 0);
	out->learner_id = campaign_int(res, i, 1);
	out->last_name = com_db_value(res, i, 2);
	out->first_name = com_db_value(res, i, 3);
	out->class_code = com_db_value(res, i, 4);
	out->status = com_db_value(res, i, 5);
	out->created_at = com_db_value(res, i, 6);
	out->shared_at = com_db_value(res, i, 7);
	out->external_id = com_db_value(res, i, 8);
}

com_err
orga_campaign_classes(PGconn *db, int64_t org_id, int64_t id,
    PGresult **out)
{
	char org[24], cid[24];
	const char *params[2] = {org, cid};

	snprintf(org, sizeof(org), "%" PRId64, org_id);
	snprintf(cid, sizeof(cid), "%" PRId64, id);
	return com_db_exec(db,
	    "SELECT DISTINCT l.class_code FROM participations p "
	    "JOIN learners l ON l.id = p.learner_id "
	    "  AND l.organization_id = p.organization_id "
	    "WHERE p.organization_id = $1 AND p.campaign_id = $2 "
	    "ORDER BY l.class_code",
	    2, params, out);
}
