/* secret.c - tokens and passwords through libsodium. */
#include "secret.h"

#include <string.h>

#include <sodium.h>

com_err
com_secret_init(void)
{
	return sodium_init() < 0 ? COM_EIO : COM_OK;
}

com_err
com_token_new(const char *alphabet, size_t len, char *out, size_t size)
{
	size_t n = strlen(alphabet);

	if (n < 2 || len + 1 > size)
		return COM_EINVAL;
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform((uint32_t)n)];
	out[len] = '\0';
	return COM_OK;
}

void
com_token_hash(const char *token, char out[COM_TOKEN_HASH_SIZE])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, (const unsigned char *)token,
	    strlen(token));
	sodium_bin2hex(out, COM_TOKEN_HASH_SIZE, digest, sizeof(digest));
}

com_err
com_password_hash(const char *password, char out[COM_PASSWORD_HASH_SIZE])
{
	_Static_assert(COM_PASSWORD_HASH_SIZE >= crypto_pwhash_STRBYTES,
	    "argon2id string does not fit");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
	        crypto_pwhash_OPSLIMIT_INTERACTIVE,
	        crypto_pwhash_MEMLIMIT_INTERACTIVE,
	        crypto_pwhash_ALG_ARGON2ID13) != 0)
		return COM_ENOMEM;
	return COM_OK;
}

com_err
com_password_hash_onetime(const char *password,
    char out[COM_PASSWORD_HASH_SIZE])
{
	if (crypto_pwhash_str_alg(out, password, strlen(password),
	        crypto_pwhash_OPSLIMIT_MIN, 1024u * 1024u,
	        crypto_pwhash_ALG_ARGON2ID13) != 0)
		return COM_ENOMEM;
	return COM_OK;
}

bool
com_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool
com_secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la != strlen(b))
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
