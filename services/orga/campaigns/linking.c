/*
 * join.c - a student and a campaign: the campaign of a code, linking the
 * account to the imported learner (limited attempts, races guarded by
 * row locks and the one-learner-per-account index), participating,
 * sending the profile, and unlinking.
 */
#include "campaigns/linking.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "campaigns/match.h"

const orga_competence orga_crcn[ORGA_CRCN_COUNT] = {
	{"1.1", "Mener une recherche et une veille d'information",
	    "Information et données"},
	{"1.2", "Gérer des données", "Information et données"},
	{"1.3", "Traiter des données", "Information et données"},
	{"2.1", "Interagir", "Communication et collaboration"},
	{"2.2", "Partager et publier", "Communication et collaboration"},
	{"2.3", "Collaborer", "Communication et collaboration"},
	{"2.4", "S'insérer dans le monde numérique",
	    "Communication et collaboration"},
	{"3.1", "Développer des documents textuels", "Création de contenu"},
	{"3.2", "Développer des documents multimédia", "Création de contenu"},
	{"3.3", "Adapter les documents à leur finalité",
	    "Création de contenu"},
	{"3.4", "Programmer", "Création de contenu"},
	{"4.1", "Sécuriser l'environnement numérique",
	    "Protection et sécurité"},
	{"4.2", "Protéger les données personnelles et la vie privée",
	    "Protection et sécurité"},
	{"4.3", "Protéger la santé, le bien-être et l'environnement",
	    "Protection et sécurité"},
	{"5.1", "Résoudre des problèmes techniques",
	    "Environnement numérique"},
	{"5.2", "Construire un environnement numérique",
	    "Environnement numérique"},
};

static void
join_copy(char *out, size_t size, const char *s)
{
	snprintf(out, size, "%s", s);
}

/* --- pure parts --------------------------------------------------- */

com_err
orga_join_code_normalize(const char *in, char out[ORGA_CAMPAIGN_CODE_SIZE])
{
	char code[ORGA_CAMPAIGN_CODE_SIZE];
	size_t len;

	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len != ORGA_CAMPAIGN_CODE_LEN)
		return COM_EINVAL;
	for (size_t i = 0; i < len; i++)
		code[i] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 32)
		                                       : in[i];
	code[len] = '\0';
	if (!orga_campaign_code_ok(code))
		return COM_EINVAL;
	memcpy(out, code, sizeof(code));
	return COM_OK;
}

/* Reads 1 to max digits at *s into *v, moving *s past them. */
static bool
join_digits(const char **s, size_t min, size_t max, int *v)
{
	size_t n = 0;
	int r = 0;

	while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9') {
		r = r * 10 + ((*s)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*s += n;
	*v = r;
	return true;
}

com_err
orga_join_birth_date(const char *in, char out[11])
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	const char *s = in;
	int d, m, y;
	bool leap;

	if (!join_digits(&s, 1, 2, &d) || *s++ != '/' ||
	    !join_digits(&s, 1, 2, &m) || *s++ != '/' ||
	    !join_digits(&s, 4, 4, &y) || *s != '\0')
		return COM_EINVAL;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 ||
	    d > days[m - 1] || (m == 2 && d == 29 && !leap))
		return COM_EINVAL;
	/* The checks above bound every part: no truncation can occur. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return COM_OK;
}

void
orga_join_mask_email(const char *email, char *out, size_t size)
{
	const char *at = strchr(email, '@');
	const char *dot;

	if (size == 0)
		return;
	if (at == NULL || at == email || at[1] == '\0') {
		snprintf(out, size, "***");
		return;
	}
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1)
		snprintf(out, size, "%c***@%c***", email[0], at[1]);
	else
		snprintf(out, size, "%c***@%c***%s", email[0], at[1], dot);
}

/* --- campaigns -------------------------------------------------------- */

com_err
orga_join_campaign_get(PGconn *db, const char *code, orga_join_campaign *out)
{
	const char *params[1] = {code};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT c.id, c.organization_id, c.code, c.type, c.name, o.name, "
	    "  coalesce(c.external_id_label, ''), coalesce(c.landing_text, '') "
	    "FROM campaigns c JOIN organizations o ON o.id = c.organization_id "
	    "WHERE c.code = $1 AND c.archived_at IS NULL",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	out->id = strtoll(com_db_value(res, 0, 0), NULL, 10);
	out->org_id = strtoll(com_db_value(res, 0, 1), NULL, 10);
	join_copy(out->code, sizeof(out->code), com_db_value(res, 0, 2));
	join_copy(out->type, sizeof(out->type), com_db_value(res, 0, 3));
	join_copy(out->name, sizeof(out->name), com_db_value(res, 0, 4));
	join_copy(out->org_name, sizeof(out->org_name),
	    com_db_value(res, 0, 5));
	join_copy(out->external_id_label, sizeof(out->external_id_label),
	    com_db_value(res, 0, 6));
	join_copy(out->landing_text, sizeof(out->landing_text),
	    com_db_value(res, 0, 7));
	PQclear(res);
	return COM_OK;
}

/* --- linking ------------------------------------------------------ */

com_err
orga_join_learner_of(PGconn *db, int64_t org_id, int64_t user_id,
    orga_join_learner *out)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {org.s, user.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT id, active, first_name, last_name FROM learners "
	    "WHERE organization_id = $1 AND user_id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	memset(out, 0, sizeof(*out));
	if (PQntuples(res) == 1) {
		out->id = strtoll(com_db_value(res, 0, 0), NULL, 10);
		out->active = com_db_value(res, 0, 1)[0] == 't';
		join_copy(out->first_name, sizeof(out->first_name),
		    com_db_value(res, 0, 2));
		join_copy(out->last_name, sizeof(out->last_name),
		    com_db_value(res, 0, 3));
	}
	PQclear(res);
	return COM_OK;
}

/* How user_id logs in. */
static com_err
join_login_of(PGconn *db, int64_t user_id, orga_join_login *out)
{
	com_db_id user = com_db_id_of(user_id);
	const char *params[1] = {user.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT EXISTS (SELECT 1 FROM authentication_methods "
	    "  WHERE user_id = u.id AND kind = 'GAR'), "
	    "  u.email IS NOT NULL AND u.password_hash IS NOT NULL, "
	    "  coalesce(u.email, '') "
	    "FROM users u WHERE u.id = $1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	memset(out, 0, sizeof(*out));
	if (PQntuples(res) == 1) {
		out->gar = com_db_value(res, 0, 0)[0] == 't';
		out->email = com_db_value(res, 0, 1)[0] == 't';
		if (out->email)
			orga_join_mask_email(com_db_value(res, 0, 2),
			    out->masked_email, sizeof(out->masked_email));
	}
	out->identifier = !out->gar && !out->email;
	PQclear(res);
	return COM_OK;
}

/* Failed attempts of user_id in org_id during the last hour. */
static com_err
join_failures(PGconn *db, const char *org, const char *user, int *out)
{
	const char *params[2] = {org, user};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT count(*) FROM link_attempts WHERE organization_id = $1 "
	    "AND user_id = $2 AND NOT succeeded "
	    "AND attempted_at > now() - interval '1 hour'",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	*out = (int)strtol(com_db_value(res, 0, 0), NULL, 10);
	PQclear(res);
	return COM_OK;
}

static com_err
join_attempt_add(PGconn *db, const char *org, const char *user, bool ok)
{
	const char *params[3] = {org, user, ok ? "true" : "false"};

	return com_db_exec(db,
	    "INSERT INTO link_attempts (organization_id, user_id, succeeded) "
	    "VALUES ($1, $2, $3)",
	    3, params, NULL);
}

/*
 * The active learners of the school born on date, as match candidates:
 * *res holds the strings (PQclear it), *out the array (free() it).
 */
static com_err
join_candidates(PGconn *db, const char *org, const char *date,
    PGresult **res_out, orga_match_candidate **out, size_t *n)
{
	const char *params[2] = {org, date};
	orga_match_candidate *c;
	PGresult *res;
	size_t rows;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT id, first_name, first_name2, first_name3, last_name, "
	    "  usage_name FROM learners "
	    "WHERE organization_id = $1 AND active AND birth_date = $2 "
	    "ORDER BY id",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	rows = (size_t)PQntuples(res);
	c = calloc(rows > 0 ? rows : 1, sizeof(*c));
	if (c == NULL) {
		PQclear(res);
		return COM_ENOMEM;
	}
	for (size_t i = 0; i < rows; i++) {
		c[i].id = strtoll(com_db_value(res, (int)i, 0), NULL, 10);
		c[i].first_name = com_db_value(res, (int)i, 1);
		c[i].first_name2 = com_db_value(res, (int)i, 2);
		c[i].first_name3 = com_db_value(res, (int)i, 3);
		c[i].last_name = com_db_value(res, (int)i, 4);
		c[i].usage_name = com_db_value(res, (int)i, 5);
	}
	*res_out = res;
	*out = c;
	*n = rows;
	return COM_OK;
}

/*
 * The one learner matching the typed names among the candidates: *id,
 * or 0 when nobody (or several) matched.
 */
static com_err
join_find(PGconn *db, const char *org, const char *date, const char *first,
    const char *last, int64_t *id)
{
	orga_match_candidate *cands = NULL;
	PGresult *res = NULL;
	size_t n = 0, at;
	com_err rv, found;

	rv = join_candidates(db, org, date, &res, &cands, &n);
	if (rv != COM_OK)
		return rv;
	found = orga_match_find(first, last, cands, n, &at);
	*id = found == COM_OK ? cands[at].id : 0;
	if (found == COM_ECONFLICT)
		com_log_notice("join: school %s: several learners match", org);
	free(cands);
	PQclear(res);
	return COM_OK;
}

/* Locks learner id of org: its account (0: none) and whether active. */
static com_err
join_lock_learner(PGconn *db, const char *org, int64_t id, int64_t *user,
    bool *active)
{
	com_db_id lid = com_db_id_of(id);
	const char *params[2] = {org, lid.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT coalesce(user_id, 0), active FROM learners "
	    "WHERE organization_id = $1 AND id = $2 FOR UPDATE",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	*user = strtoll(com_db_value(res, 0, 0), NULL, 10);
	*active = com_db_value(res, 0, 1)[0] == 't';
	PQclear(res);
	return COM_OK;
}

/* The body of orga_join_link, inside its transaction, into *r. */
static com_err
join_link_tx(PGconn *db, int64_t org_id, const char *org, int64_t user_id,
    const char *first, const char *last, const char *date,
    orga_join_result *r)
{
	com_db_id user = com_db_id_of(user_id);
	com_db_id lid;
	const char *params[3] = {org, lid.s, user.s};
	orga_join_learner mine;
	int64_t id, owner;
	bool active;
	int failures;
	com_err rv;

	/* One attempt at a time per account and school: the count below
	 * cannot be raced past. */
	{
		const char *lock[2] = {org, user.s};

		rv = com_db_exec(db,
		    "SELECT pg_advisory_xact_lock(hashtextextended("
		    "  'link:' || $1 || ':' || $2, 0))",
		    2, lock, NULL);
	}
	if (rv == COM_OK)
		rv = join_failures(db, org, user.s, &failures);
	if (rv != COM_OK)
		return rv;
	r->attempts_left = ORGA_JOIN_ATTEMPTS_MAX - failures;
	if (failures >= ORGA_JOIN_ATTEMPTS_MAX) {
		r->outcome = ORGA_JOIN_TOO_MANY_ATTEMPTS;
		r->attempts_left = 0;
		return COM_OK;
	}
	rv = orga_join_learner_of(db, org_id, user_id, &mine);
	if (rv == COM_OK)
		rv = join_find(db, org, date, first, last, &id);
	if (rv != COM_OK)
		return rv;
	if (mine.id != 0) {
		r->outcome = id == mine.id ? ORGA_JOIN_LINKED
		                           : ORGA_JOIN_ACCOUNT_ALREADY_LINKED;
		r->learner_id = mine.id;
		return COM_OK;
	}
	if (id == 0) {
		r->outcome = ORGA_JOIN_NO_MATCH;
		r->attempts_left--;
		return join_attempt_add(db, org, user.s, false);
	}
	rv = join_lock_learner(db, org, id, &owner, &active);
	if (rv == COM_ENOTFOUND || (rv == COM_OK && !active)) {
		/* left the school since the candidates were read */
		r->outcome = ORGA_JOIN_NO_MATCH;
		r->attempts_left--;
		return join_attempt_add(db, org, user.s, false);
	}
	if (rv != COM_OK)
		return rv;
	if (owner != 0) {
		r->outcome = ORGA_JOIN_LEARNER_ALREADY_LINKED;
		r->attempts_left--;
		rv = join_login_of(db, owner, &r->other);
		if (rv == COM_OK)
			rv = join_attempt_add(db, org, user.s, false);
		return rv;
	}
	lid = com_db_id_of(id);
	rv = com_db_exec(db,
	    "UPDATE learners SET user_id = $3, updated_at = now() "
	    "WHERE organization_id = $1 AND id = $2 AND user_id IS NULL",
	    3, params, NULL);
	if (rv == COM_OK)
		rv = join_attempt_add(db, org, user.s, true);
	if (rv != COM_OK)
		return rv;
	r->outcome = ORGA_JOIN_LINKED;
	r->learner_id = id;
	return COM_OK;
}

com_err
orga_join_link(PGconn *db, int64_t org_id, int64_t user_id,
    const char *first_name, const char *last_name, const char *birth_date,
    orga_join_result *out)
{
	orga_join_result r;
	com_db_id org = com_db_id_of(org_id);
	com_err rv;

	memset(&r, 0, sizeof(r));
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = join_link_tx(db, org_id, org.s, user_id, first_name, last_name,
	    birth_date, &r);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK)
		com_db_rollback(db);
	if (rv == COM_EEXIST) {
		/* learners_one_per_account: linked elsewhere meanwhile */
		memset(&r, 0, sizeof(r));
		r.outcome = ORGA_JOIN_ACCOUNT_ALREADY_LINKED;
		rv = COM_OK;
	}
	if (rv != COM_OK)
		return rv;
	if (r.attempts_left < 0)
		r.attempts_left = 0;
	*out = r;
	return COM_OK;
}

/* --- participations ----------------------------------------------- */

#define JOIN_PARTICIPATION_COLUMNS                                         \
	"id, status, "                                                     \
	"to_char(created_at AT TIME ZONE 'UTC', "                          \
	"  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "                         \
	"coalesce(to_char(shared_at AT TIME ZONE 'UTC', "                  \
	"  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), ''), "                    \
	"coalesce(external_id, '')"

static void
join_participation_read(const PGresult *res, orga_join_participation *out)
{
	out->id = strtoll(com_db_value(res, 0, 0), NULL, 10);
	join_copy(out->status, sizeof(out->status), com_db_value(res, 0, 1));
	join_copy(out->created_at, sizeof(out->created_at),
	    com_db_value(res, 0, 2));
	join_copy(out->shared_at, sizeof(out->shared_at),
	    com_db_value(res, 0, 3));
	join_copy(out->external_id, sizeof(out->external_id),
	    com_db_value(res, 0, 4));
}

com_err
orga_join_participation_get(PGconn *db, int64_t campaign_id,
    int64_t user_id, orga_join_participation *out)
{
	com_db_id camp = com_db_id_of(campaign_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {camp.s, user.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT " JOIN_PARTICIPATION_COLUMNS " FROM participations "
	    "WHERE campaign_id = $1 AND user_id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	join_participation_read(res, out);
	PQclear(res);
	return COM_OK;
}

com_err
orga_join_participate(PGconn *db, const orga_join_campaign *c,
    int64_t user_id, const char *external_id, orga_join_participation *out,
    bool *created)
{
	com_db_id org = com_db_id_of(c->org_id);
	com_db_id camp = com_db_id_of(c->id);
	com_db_id user = com_db_id_of(user_id);
	com_db_id lid;
	const char *params[6] = {org.s, camp.s, user.s, NULL,
	    strcmp(c->type, "PROFILES_COLLECTION") == 0 ? "TO_SHARE"
	                                                : "STARTED",
	    c->external_id_label[0] != '\0' && external_id != NULL &&
	            external_id[0] != '\0'
	        ? external_id
	        : NULL};
	orga_join_learner mine;
	PGresult *res;
	com_err rv;

	rv = orga_join_learner_of(db, c->org_id, user_id, &mine);
	if (rv != COM_OK)
		return rv;
	if (mine.id == 0 || !mine.active)
		return COM_EPERM;
	lid = com_db_id_of(mine.id);
	params[3] = lid.s;
	rv = com_db_exec(db,
	    "INSERT INTO participations (organization_id, campaign_id, "
	    "  user_id, learner_id, status, external_id) "
	    "VALUES ($1, $2, $3, $4, $5, $6) "
	    "ON CONFLICT (campaign_id, user_id) DO NOTHING "
	    "RETURNING " JOIN_PARTICIPATION_COLUMNS,
	    6, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 1) {
		join_participation_read(res, out);
		PQclear(res);
		*created = true;
		return COM_OK;
	}
	PQclear(res);
	rv = orga_join_participation_get(db, c->id, user_id, out);
	if (rv == COM_OK)
		*created = false;
	return rv;
}

com_err
orga_join_share(PGconn *db, int64_t campaign_id, int64_t user_id,
    orga_join_participation *out)
{
	com_db_id camp = com_db_id_of(campaign_id);
	com_db_id user = com_db_id_of(user_id);
	const char *params[2] = {camp.s, user.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "UPDATE participations SET status = 'SHARED', shared_at = now() "
	    "WHERE campaign_id = $1 AND user_id = $2 AND status = 'TO_SHARE' "
	    "RETURNING " JOIN_PARTICIPATION_COLUMNS,
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 1) {
		join_participation_read(res, out);
		PQclear(res);
		return COM_OK;
	}
	PQclear(res);
	rv = orga_join_participation_get(db, campaign_id, user_id, out);
	return rv == COM_OK ? COM_ECONFLICT : rv;
}

com_err
orga_join_unlink(PGconn *db, int64_t org_id, int64_t learner_id)
{
	com_db_id org = com_db_id_of(org_id);
	com_db_id lid = com_db_id_of(learner_id);
	const char *params[2] = {org.s, lid.s};
	PGresult *res;
	com_err rv;

	rv = com_db_exec(db,
	    "UPDATE learners SET user_id = NULL, updated_at = now() "
	    "WHERE organization_id = $1 AND id = $2 AND user_id IS NOT NULL "
	    "RETURNING id",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 1) {
		PQclear(res);
		return COM_OK;
	}
	PQclear(res);
	rv = com_db_exec(db,
	    "SELECT 1 FROM learners WHERE organization_id = $1 AND id = $2",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = PQntuples(res) == 1 ? COM_ECONFLICT : COM_ENOTFOUND;
	PQclear(res);
	return rv;
}
