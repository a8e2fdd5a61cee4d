/* secret_test.c - tokens, token hashes and password hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "secret.h"

static int
setup(void **state)
{
	(void)state;
	return com_secret_init() == COM_OK ? 0 : -1;
}

static void
token_uses_only_its_alphabet_and_length(void **state)
{
	char tok[21];

	(void)state;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(com_token_new(COM_TOKEN_ALPHABET_UNAMBIGUOUS,
		                     20, tok, sizeof(tok)),
		    COM_OK);
		assert_int_equal(strlen(tok), 20);
		assert_int_equal(strspn(tok, COM_TOKEN_ALPHABET_UNAMBIGUOUS), 20);
	}
}

static void
unambiguous_alphabet_has_no_look_alikes(void **state)
{
	(void)state;
	assert_null(strpbrk(COM_TOKEN_ALPHABET_UNAMBIGUOUS, "0O1IL"));
	assert_true(strlen(COM_TOKEN_ALPHABET_UNAMBIGUOUS) >= 30);
}

static void
tokens_differ_and_cover_the_alphabet(void **state)
{
	char a[21], b[21], seen[256] = {0};
	size_t distinct = 0;

	(void)state;
	assert_int_equal(com_token_new(COM_TOKEN_ALPHABET_URLSAFE, 20, a,
	                     sizeof(a)),
	    COM_OK);
	assert_int_equal(com_token_new(COM_TOKEN_ALPHABET_URLSAFE, 20, b,
	                     sizeof(b)),
	    COM_OK);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(com_token_new(COM_TOKEN_ALPHABET_UNAMBIGUOUS,
		                     20, a, sizeof(a)),
		    COM_OK);
		for (int j = 0; j < 20; j++)
			seen[(unsigned char)a[j]] = 1;
	}
	for (int i = 0; i < 256; i++)
		distinct += (size_t)seen[i];
	assert_int_equal(distinct, strlen(COM_TOKEN_ALPHABET_UNAMBIGUOUS));
}

static void
token_too_long_for_its_buffer_is_refused(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(com_token_new(COM_TOKEN_ALPHABET_UNAMBIGUOUS, 8,
	                     small, sizeof(small)),
	    COM_EINVAL);
}

static void
token_hash_is_sha256_hex(void **state)
{
	char hash[COM_TOKEN_HASH_SIZE];

	(void)state;
	com_token_hash("abc", hash);
	assert_string_equal(hash,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	com_token_hash("abd", hash);
	assert_string_not_equal(hash,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
password_hash_is_argon2id_and_verifies(void **state)
{
	char hash[COM_PASSWORD_HASH_SIZE];
	char again[COM_PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(com_password_hash("Pix12345", hash), COM_OK);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(com_password_verify(hash, "Pix12345"));
	assert_false(com_password_verify(hash, "Pix12346"));
	assert_false(com_password_verify(hash, ""));
	/* Salted: the same password never gives the same string. */
	assert_int_equal(com_password_hash("Pix12345", again), COM_OK);
	assert_string_not_equal(hash, again);
}

static void
onetime_hash_is_a_cheap_argon2id_that_verifies(void **state)
{
	char hash[COM_PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(com_password_hash_onetime("ABCDEF23", hash), COM_OK);
	assert_int_equal(strncmp(hash, "$argon2id$v=19$m=1024,t=1,", 26), 0);
	assert_true(com_password_verify(hash, "ABCDEF23"));
	assert_false(com_password_verify(hash, "ABCDEF24"));
}

static void
secret_equal_compares_whole_strings(void **state)
{
	(void)state;
	assert_true(com_secret_equal("abc", "abc"));
	assert_false(com_secret_equal("abc", "abd"));
	assert_false(com_secret_equal("abc", "abcd"));
	assert_false(com_secret_equal("", "a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_uses_only_its_alphabet_and_length),
		cmocka_unit_test(unambiguous_alphabet_has_no_look_alikes),
		cmocka_unit_test(tokens_differ_and_cover_the_alphabet),
		cmocka_unit_test(token_too_long_for_its_buffer_is_refused),
		cmocka_unit_test(token_hash_is_sha256_hex),
		cmocka_unit_test(password_hash_is_argon2id_and_verifies),
		cmocka_unit_test(onetime_hash_is_a_cheap_argon2id_that_verifies),
		cmocka_unit_test(secret_equal_compares_whole_strings),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
