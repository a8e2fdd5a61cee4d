/*
 * throttle.h - the one limit mechanism of orga for whatever a client may
 * repeat (logins, sign-ups, account recovery, linking, mails a user can
 * trigger): token buckets kept in PostgreSQL (migration 010), so a limit
 * holds across restarts and across several orga daemons. Each caller
 * names its rule; the key (a client address, a normalised e-mail, an id)
 * is stored only as a SHA-256 beside the rule's scope.
 */
#ifndef ORGA_THROTTLE_H
#define ORGA_THROTTLE_H

#include <libpq-fe.h>

#include "err.h"
#include "secret.h"

/* A rule: burst hits at once, then per_second more a second. */
typedef struct orga_throttle_rule {
	const char *scope;  /* [a-z0-9-], 1 to 40 characters, one per rule */
	double burst;       /* >= 1 */
	double per_second;  /* > 0; burst / per_second under a day */
} orga_throttle_rule;

/*
 * orga_throttle_take spends one hit of key under rule, on db (outside or
 * inside the caller's transaction: the bucket's row stays locked until it
 * ends). *retry_after_s is 0 when the hit is allowed, else the whole
 * seconds (at least 1) until one is: answer 429 with Retry-After then.
 * COM_EINVAL for a rule outside its bounds or an empty key; COM_EDB.
 */
com_err orga_throttle_take(PGconn *db, const orga_throttle_rule *rule,
    const char *key, int *retry_after_s) COM_MUSTCHECK;

/*
 * orga_throttle_forget empties key's bucket of rule (full again): an
 * unblock by someone allowed to. COM_EDB.
 */
com_err orga_throttle_forget(PGconn *db, const orga_throttle_rule *rule,
    const char *key) COM_MUSTCHECK;

/*
 * orga_throttle_prune deletes buckets unused for a day (all full by then:
 * rules refill within a day). COM_EDB.
 */
com_err orga_throttle_prune(PGconn *db) COM_MUSTCHECK;

/*
 * orga_throttle_key writes into out the stored form of key under scope:
 * the SHA-256 hex of "scope NUL key". Pure.
 */
void orga_throttle_key(const char *scope, const char *key,
    char out[COM_TOKEN_HASH_SIZE]);

/* orga_throttle_rule_ok is 1 when rule is within its bounds. Pure. */
int orga_throttle_rule_ok(const orga_throttle_rule *rule);

/*
 * orga_throttle_seconds rounds a wait in seconds (from the database) up to
 * whole seconds, at least 1 and at most a day. Pure.
 */
int orga_throttle_seconds(double wait);

#endif
