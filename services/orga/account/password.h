/*
 * password.h - changing a password: the forced change after a one-time
 * password (issue 13), and recovery by mail, "Mot de passe oublié ?"
 * (issue 14): a single-use link valid ORGA_RECOVERY_TTL_S, of which only
 * the SHA-256 is stored, replaced when asked again. Every change ends the
 * account's other sessions. Each function is one transaction on a
 * connection the caller holds outside any.
 */
#ifndef ORGA_PASSWORD_H
#define ORGA_PASSWORD_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

#define ORGA_RECOVERY_TTL_S 3600
#define ORGA_RECOVERY_TOKEN_LEN 43   /* URL-safe characters: 256 bits */

/*
 * orga_password_change sets user_id's password (strong: the caller
 * checked com_password_strong and ORGA_PASSWORD_MAX) with the interactive
 * argon2id limits, clears must_change_password and ends every session of
 * the account but the one of keep_token (a cookie value; NULL: all).
 * current is the password in use, verified first; NULL only when the
 * account must change a one-time password. COM_EAUTH: current is wrong;
 * COM_EPERM: current NULL but no change is due; COM_ENOTFOUND; COM_EDB.
 */
com_err orga_password_change(PGconn *db, int64_t user_id,
    const char *current, const char *password, const char *keep_token)
    COM_MUSTCHECK;

/*
 * orga_recovery_request: email (normalised) asks for a recovery link.
 * When an account with a password has that address, replaces its pending
 * link by a new one and queues the "password_reset" mail holding
 * public_url "/mot-de-passe/nouveau?jeton=" TOKEN; *queued then tells the
 * caller to wake the mailer. An unknown address does the same reads and
 * queues nothing: the caller answers both alike. COM_EDB.
 */
com_err orga_recovery_request(PGconn *db, const char *public_url,
    const char *email, bool *queued) COM_MUSTCHECK;

/*
 * orga_recovery_complete uses the link's token once: sets the account's
 * password (strong, as for orga_password_change), clears
 * must_change_password, deletes the link and every session of the
 * account, and writes the account's id into *user_id (the caller opens
 * the new session). COM_ENOTFOUND: unknown, used or expired token; COM_EDB.
 */
com_err orga_recovery_complete(PGconn *db, const char *token,
    const char *password, int64_t *user_id) COM_MUSTCHECK;

/* orga_recovery_token_ok: token has the shape of our links'. Pure. */
bool orga_recovery_token_ok(const char *token);

#endif
