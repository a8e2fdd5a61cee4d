/*
 * gar.c - GAR logins on the database side: settings, accounts found or
 * made by IDO, replayed assertions and unknown requests refused, and the
 * pure helpers of the GAR routes.
 */
#include "gar/gar.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "str.h"

#define GAR_PURGE_EVERY 64

static atomic_uint gar_purge_count;

/* --- settings ---------------------------------------------------------- */

/* A file setting: the variable, or $ORGA_VAR/gar/name. */
static com_err
gar_path(const orga_app *app, const char *var, const char *name, char *out,
    size_t size)
{
	const char *v = com_env_str(var, NULL);
	int n;

	if (v != NULL)
		n = snprintf(out, size, "%s", v);
	else
		n = snprintf(out, size, "%s/gar/%s", app->cfg.var_dir, name);
	return n < 0 || (size_t)n >= size ? COM_ETOOLARGE : COM_OK;
}

com_err
orga_gar_open(const orga_app *app, orga_saml **out)
{
	char idp[1024], spm[1024], key[1024], cert[1024];
	char entity[1024], acs[1024];
	orga_saml_config cfg;
	const char *idp_var;
	orga_saml *sp = NULL;
	long skew;
	com_err rv;

	*out = NULL;
	rv = com_env_long("GAR_CLOCK_SKEW_S", 60, 0, 3600, &skew);
	if (rv != COM_OK)
		return rv;
	idp_var = com_env_str("GAR_IDP_METADATA", NULL);
	if (idp_var == NULL) {
		com_log_notice("gar: GAR_IDP_METADATA unset: GAR login off");
		return COM_OK;
	}
	rv = gar_path(app, "GAR_IDP_METADATA", "idp-metadata.xml", idp,
	    sizeof(idp));
	if (rv == COM_OK)
		rv = gar_path(app, "GAR_SP_METADATA", "sp-metadata.xml", spm,
		    sizeof(spm));
	if (rv == COM_OK)
		rv = gar_path(app, "GAR_SP_KEY", "sp-key.pem", key, sizeof(key));
	if (rv == COM_OK)
		rv = gar_path(app, "GAR_SP_CERT", "sp-cert.pem", cert,
		    sizeof(cert));
	if (rv == COM_OK &&
	    snprintf(acs, sizeof(acs), "%s/api/gar/acs", app->public_url) >=
	        (int)sizeof(acs))
		rv = COM_ETOOLARGE;
	if (rv == COM_OK) {
		int n;

		if (com_env_str("GAR_SP_ENTITY_ID", NULL) != NULL)
			n = snprintf(entity, sizeof(entity), "%s",
			    com_env_str("GAR_SP_ENTITY_ID", ""));
		else
			n = snprintf(entity, sizeof(entity),
			    "%s/api/gar/metadata", app->public_url);
		if (n < 0 || (size_t)n >= sizeof(entity))
			rv = COM_ETOOLARGE;
	}
	if (rv != COM_OK) {
		com_log_err("gar: a GAR setting is too long: GAR login off");
		return COM_OK;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.idp_metadata = idp;
	cfg.sp_metadata = spm;
	cfg.sp_key = key;
	cfg.sp_cert = cert;
	cfg.entity_id = entity;
	cfg.acs_url = acs;
	cfg.attr_ido = com_env_str("GAR_ATTR_IDO", "IDO");
	cfg.attr_pre = com_env_str("GAR_ATTR_PRE", "PRE");
	cfg.attr_nom = com_env_str("GAR_ATTR_NOM", "NOM");
	cfg.clock_skew_s = skew;
	rv = orga_saml_open(&cfg, &sp);
	if (rv != COM_OK) {
		com_log_err("gar: the GAR service provider could not be set "
		    "up (%s): GAR login off", com_strerror(rv));
		return COM_OK;
	}
	*out = sp;
	return COM_OK;
}

/* --- database ---------------------------------------------------------- */

/* Drops expired requests and assertion ids, every GAR_PURGE_EVERY calls. */
static void
gar_purge_now_and_then(PGconn *db)
{
	if (atomic_fetch_add(&gar_purge_count, 1) % GAR_PURGE_EVERY != 0)
		return;
	if (com_db_exec(db, "DELETE FROM saml_assertions WHERE expires_at < "
	        "now()", 0, NULL, NULL) != COM_OK ||
	    com_db_exec(db, "DELETE FROM saml_requests WHERE expires_at < "
	        "now()", 0, NULL, NULL) != COM_OK)
		com_log_warn("gar: purge of expired SAML ids failed");
}

com_err
orga_gar_request_save(PGconn *db, const char *request_id,
    const char *return_to)
{
	char ttl[16];
	const char *params[] = {request_id, return_to, ttl};

	gar_purge_now_and_then(db);
	snprintf(ttl, sizeof(ttl), "%d", ORGA_GAR_REQUEST_TTL_S);
	return com_db_exec(db,
	    "INSERT INTO saml_requests (request_id, return_to, expires_at)"
	    " VALUES ($1, $2, now() + make_interval(secs => $3::int))",
	    3, params, NULL);
}

static com_err
gar_id_of(const PGresult *res, int64_t *out)
{
	char *end;
	long long v = strtoll(com_db_value(res, 0, 0), &end, 10);

	if (*end != '\0' || v <= 0)
		return COM_EPROTO;
	*out = v;
	return COM_OK;
}

/* Finds or creates the account of id->ido (inside a transaction). */
static com_err
gar_account(PGconn *db, const orga_saml_identity *id,
    orga_gar_login_result *r)
{
	const char *find[] = {id->ido};
	char uid[24];
	PGresult *res = NULL;
	com_err rv;

	rv = com_db_exec(db,
	    "SELECT m.user_id, u.first_name, u.last_name"
	    " FROM authentication_methods m JOIN users u ON u.id = m.user_id"
	    " WHERE m.kind = 'GAR' AND m.external_id = $1 FOR UPDATE",
	    1, find, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 1) {
		rv = gar_id_of(res, &r->user_id);
		r->renamed = strcmp(com_db_value(res, 0, 1),
		                 id->first_name) != 0 ||
		    strcmp(com_db_value(res, 0, 2), id->last_name) != 0;
		PQclear(res);
		if (rv != COM_OK || !r->renamed)
			return rv;
		snprintf(uid, sizeof(uid), "%" PRId64, r->user_id);
		const char *upd[] = {uid, id->first_name, id->last_name};
		rv = com_db_exec(db,
		    "UPDATE users SET first_name = $2, last_name = $3,"
		    " updated_at = now() WHERE id = $1", 3, upd, NULL);
		if (rv == COM_OK)
			rv = com_db_exec(db,
			    "UPDATE authentication_methods SET updated_at = "
			    "now() WHERE user_id = $1 AND kind = 'GAR'", 1, upd,
			    NULL);
		return rv;
	}
	PQclear(res);
	res = NULL;
	const char *ins[] = {id->first_name, id->last_name};
	rv = com_db_exec(db,
	    "INSERT INTO users (first_name, last_name) VALUES ($1, $2)"
	    " RETURNING id", 2, ins, &res);
	if (rv != COM_OK)
		return rv;
	rv = gar_id_of(res, &r->user_id);
	PQclear(res);
	if (rv != COM_OK)
		return rv;
	snprintf(uid, sizeof(uid), "%" PRId64, r->user_id);
	const char *meth[] = {uid, id->ido};
	rv = com_db_exec(db,
	    "INSERT INTO authentication_methods (user_id, kind, external_id)"
	    " VALUES ($1, 'GAR', $2)", 2, meth, NULL);
	if (rv == COM_OK)
		r->created = true;
	return rv;
}

/* One attempt of orga_gar_login, in its own transaction. */
static com_err
gar_login_once(PGconn *db, const orga_saml_identity *id,
    orga_gar_login_result *r)
{
	char until[24];
	const char *aparams[] = {id->assertion_id, until};
	const char *rparams[] = {id->in_response_to};
	PGresult *res = NULL;
	com_err rv;

	memset(r, 0, sizeof(*r));
	snprintf(until, sizeof(until), "%" PRId64, id->keep_until);
	rv = com_db_begin(db);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    "INSERT INTO saml_assertions (assertion_id, expires_at)"
	    " VALUES ($1, to_timestamp($2::bigint))", 2, aparams, NULL);
	if (rv == COM_EEXIST) {
		rv = COM_ECONFLICT;
		goto out;
	}
	if (rv != COM_OK)
		goto out;
	if (id->in_response_to[0] != '\0') {
		rv = com_db_exec(db,
		    "DELETE FROM saml_requests WHERE request_id = $1"
		    " AND expires_at > now() RETURNING return_to", 1, rparams,
		    &res);
		if (rv != COM_OK)
			goto out;
		if (PQntuples(res) != 1) {
			rv = COM_EPERM;
			goto out;
		}
		rv = com_str_copy(r->return_to, sizeof(r->return_to),
		    com_db_value(res, 0, 0));
		if (rv != COM_OK)
			goto out;
	}
	rv = gar_account(db, id, r);
	if (rv == COM_OK)
		rv = com_db_commit(db);
out:
	PQclear(res);
	if (rv != COM_OK)
		com_db_rollback(db);
	return rv;
}

com_err
orga_gar_login(PGconn *db, const orga_saml_identity *id,
    orga_gar_login_result *out)
{
	orga_gar_login_result *r;
	com_err rv;

	r = malloc(sizeof(*r));
	if (r == NULL)
		return COM_ENOMEM;
	gar_purge_now_and_then(db);
	rv = gar_login_once(db, id, r);
	if (rv == COM_EEXIST || rv == COM_EBUSY) /* a concurrent first login */
		rv = gar_login_once(db, id, r);
	if (rv == COM_EEXIST)
		rv = COM_EBUSY;
	if (rv == COM_OK)
		*out = *r;
	free(r);
	return rv;
}

com_err
orga_gar_login_methods(PGconn *db, int64_t user_id, unsigned *out)
{
	char uid[24];
	const char *params[] = {uid};
	PGresult *res = NULL;
	unsigned m = 0;
	com_err rv;

	snprintf(uid, sizeof(uid), "%" PRId64, user_id);
	rv = com_db_exec(db,
	    "SELECT u.password_hash IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM authentication_methods m"
	    "  WHERE m.user_id = u.id AND m.kind = 'GAR')"
	    " FROM users u WHERE u.id = $1", 1, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 1) {
		if (strcmp(com_db_value(res, 0, 0), "t") == 0)
			m |= ORGA_LOGIN_PASSWORD;
		if (strcmp(com_db_value(res, 0, 1), "t") == 0)
			m |= ORGA_LOGIN_GAR;
	}
	PQclear(res);
	*out = m;
	return COM_OK;
}

/* --- pure helpers -------------------------------------------------------- */

void
orga_gar_return_to(const char *in, char *out, size_t size)
{
	size_t len;

	if (size < 2)
		return;
	len = in != NULL ? strlen(in) : 0;
	if (len == 0 || len >= ORGA_GAR_RETURN_TO_MAX || len >= size ||
	    in[0] != '/' || in[1] == '/' || in[1] == '\\')
		goto fallback;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= 0x20 || c == 0x7f || c == '\\')
			goto fallback;
	}
	memcpy(out, in, len + 1);
	return;
fallback:
	memcpy(out, "/", 2);
}
