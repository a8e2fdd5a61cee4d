/*
 * throttle.c - token buckets in PostgreSQL (see throttle.h): the bucket
 * arithmetic is the throttle_take function of migration 010; here, the
 * rules' bounds, the keys' hashing and the calls.
 */
#include "account/throttle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db.h"

#define THROTTLE_DAY_S 86400.0

void
orga_throttle_key(const char *scope, const char *key,
    char out[COM_TOKEN_HASH_SIZE])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)scope,
	    strlen(scope) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)key,
	    strlen(key));
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, COM_TOKEN_HASH_SIZE, digest, sizeof(digest));
}

int
orga_throttle_rule_ok(const orga_throttle_rule *rule)
{
	size_t len;

	if (rule == NULL || rule->scope == NULL)
		return 0;
	len = strlen(rule->scope);
	if (len == 0 || len > 40)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = rule->scope[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '-'))
			return 0;
	}
	return rule->burst >= 1 && rule->per_second > 0 &&
	    rule->burst / rule->per_second < THROTTLE_DAY_S;
}

int
orga_throttle_seconds(double wait)
{
	if (!(wait > 1)) /* NaN too */
		return 1;
	if (wait >= THROTTLE_DAY_S)
		return (int)THROTTLE_DAY_S;
	return (int)ceil(wait);
}

com_err
orga_throttle_take(PGconn *db, const orga_throttle_rule *rule,
    const char *key, int *retry_after_s)
{
	char hash[COM_TOKEN_HASH_SIZE], burst[32], rate[32];
	const char *params[4];
	PGresult *res = NULL;
	double wait;
	com_err rv;

	if (!orga_throttle_rule_ok(rule) || key == NULL || key[0] == '\0')
		return COM_EINVAL;
	orga_throttle_key(rule->scope, key, hash);
	snprintf(burst, sizeof(burst), "%.17g", rule->burst);
	snprintf(rate, sizeof(rate), "%.17g", rule->per_second);
	params[0] = rule->scope;
	params[1] = hash;
	params[2] = burst;
	params[3] = rate;
	rv = com_db_exec(db, "SELECT allowed, retry_after FROM "
	    "throttle_take($1, $2, $3::float8, $4::float8)", 4, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_EDB;
	}
	if (strcmp(com_db_value(res, 0, 0), "t") == 0) {
		*retry_after_s = 0;
	} else {
		wait = strtod(com_db_value(res, 0, 1), NULL);
		*retry_after_s = orga_throttle_seconds(wait);
	}
	PQclear(res);
	return COM_OK;
}

com_err
orga_throttle_forget(PGconn *db, const orga_throttle_rule *rule,
    const char *key)
{
	char hash[COM_TOKEN_HASH_SIZE];
	const char *params[2];

	if (!orga_throttle_rule_ok(rule) || key == NULL)
		return COM_EINVAL;
	orga_throttle_key(rule->scope, key, hash);
	params[0] = rule->scope;
	params[1] = hash;
	return com_db_exec(db, "DELETE FROM throttle_buckets WHERE "
	    "scope = $1 AND key_hash = $2", 2, params, NULL);
}

com_err
orga_throttle_prune(PGconn *db)
{
	return com_db_exec(db, "DELETE FROM throttle_buckets WHERE "
	    "updated_at < now() - interval '1 day'", 0, NULL, NULL);
}
