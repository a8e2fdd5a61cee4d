/*
 * secret.h - random tokens, their hashes, and password hashing (libsodium).
 * Tokens are shown once to their owner and stored only as SHA-256 hex:
 * they carry enough entropy that a plain hash is safe. Passwords use
 * argon2id with libsodium's interactive limits.
 */
#ifndef COM_SECRET_H
#define COM_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
#define COM_TOKEN_ALPHABET_UNAMBIGUOUS "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#define COM_TOKEN_ALPHABET_URLSAFE \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* A SHA-256 in hex, with its NUL. */
#define COM_TOKEN_HASH_SIZE 65
/* An argon2id string as libsodium writes it, with its NUL. */
#define COM_PASSWORD_HASH_SIZE 128

/* com_secret_init initialises libsodium; call once at start. */
com_err com_secret_init(void) COM_MUSTCHECK;

/*
 * com_token_new writes len characters drawn uniformly from alphabet, then a
 * NUL, into out (size >= len + 1), from the OS random source.
 */
com_err com_token_new(const char *alphabet, size_t len, char *out,
    size_t size) COM_MUSTCHECK;

/* com_token_hash writes the SHA-256 hex of token into out. */
void com_token_hash(const char *token, char out[COM_TOKEN_HASH_SIZE]);

/*
 * com_password_hash writes the argon2id hash of password into out.
 * COM_ENOMEM when the memory-hard hash could not get its memory.
 */
com_err com_password_hash(const char *password,
    char out[COM_PASSWORD_HASH_SIZE]) COM_MUSTCHECK;

/*
 * com_password_hash_onetime is com_password_hash with argon2id's cheapest
 * pass count (crypto_pwhash_OPSLIMIT_MIN) and 1 MiB, for the one-time
 * passwords a school hands out by the hundred (0.5 ms each here, against
 * 70 ms for the interactive limits: 1 000 students would take 70 s).
 * Only for passwords drawn at random that must be changed at first
 * login; com_password_verify reads the limits from the hash.
 */
com_err com_password_hash_onetime(const char *password,
    char out[COM_PASSWORD_HASH_SIZE]) COM_MUSTCHECK;

/* com_password_verify is true when password matches hash (constant time). */
bool com_password_verify(const char *hash, const char *password);

/* com_secret_equal compares two NUL-terminated strings in constant time. */
bool com_secret_equal(const char *a, const char *b);

#endif
