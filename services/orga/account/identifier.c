/*
 * identifier.c - identifiers "prenom.nomJJMM" and one-time passwords of
 * the accounts a school makes for its students.
 */
#include "account/identifier.h"

#include <string.h>

#include "campaigns/match.h"
#include "secret.h"

/* Appends the a-z0-9 of name's key to out (at most max bytes); the count
 * appended in *len. */
static com_err
identifier_part(const char *name, char *out, size_t max, size_t *len)
{
	char key[ORGA_MATCH_KEY_MAX];
	size_t n = 0;
	com_err rv;

	rv = orga_match_key(name != NULL ? name : "", key, sizeof(key));
	if (rv == COM_ETOOLARGE) { /* a name of over 1 KiB: the fallback */
		key[0] = '\0';
		rv = COM_OK;
	}
	if (rv != COM_OK)
		return rv;
	for (const char *p = key; *p != '\0' && n < max; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			out[n++] = *p;
	if (n == 0) {
		n = strlen(ORGA_IDENTIFIER_FALLBACK);
		memcpy(out, ORGA_IDENTIFIER_FALLBACK, n);
	}
	*len = n;
	return COM_OK;
}

static bool
identifier_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

com_err
orga_identifier_base(const char *first_name, const char *last_name,
    const char *birth_date, char *out, size_t size)
{
	char buf[ORGA_IDENTIFIER_SIZE];
	size_t a, b;
	com_err rv;

	/* AAAA-MM-JJ */
	if (birth_date == NULL || strlen(birth_date) != 10 ||
	    !identifier_digits(birth_date, 4) || birth_date[4] != '-' ||
	    !identifier_digits(birth_date + 5, 2) || birth_date[7] != '-' ||
	    !identifier_digits(birth_date + 8, 2))
		return COM_EINVAL;
	rv = identifier_part(first_name, buf, ORGA_IDENTIFIER_PART_MAX, &a);
	if (rv != COM_OK)
		return rv;
	buf[a] = '.';
	rv = identifier_part(last_name, buf + a + 1, ORGA_IDENTIFIER_PART_MAX,
	    &b);
	if (rv != COM_OK)
		return rv;
	memcpy(buf + a + 1 + b, birth_date + 8, 2);     /* JJ */
	memcpy(buf + a + 1 + b + 2, birth_date + 5, 2); /* MM */
	buf[a + 1 + b + 4] = '\0';
	if (a + 1 + b + 4 + 1 > size)
		return COM_ETOOLARGE;
	memcpy(out, buf, a + 1 + b + 5);
	return COM_OK;
}

com_err
orga_identifier_suffixed(const char *base, const char *digits, char *out,
    size_t size)
{
	size_t n = strlen(base);

	if (strlen(digits) != 4 || !identifier_digits(digits, 4))
		return COM_EINVAL;
	if (n + 4 + 1 > size)
		return COM_ETOOLARGE;
	memcpy(out, base, n);
	memcpy(out + n, digits, 5);
	return COM_OK;
}

bool
orga_identifier_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 3 || n > 120)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.") == n;
}

bool
orga_onetime_password_ok(const char *s)
{
	if (s == NULL || strlen(s) != ORGA_ONETIME_LEN)
		return false;
	for (int i = 0; i < 6; i++)
		if (strchr(ORGA_ONETIME_LETTERS, s[i]) == NULL)
			return false;
	for (int i = 6; i < 8; i++)
		if (strchr(ORGA_ONETIME_DIGITS, s[i]) == NULL)
			return false;
	return true;
}

com_err
orga_onetime_password_new(char *out, size_t size)
{
	com_err rv;

	if (size < ORGA_ONETIME_LEN + 1)
		return COM_EINVAL;
	rv = com_token_new(ORGA_ONETIME_LETTERS, 6, out, size);
	if (rv == COM_OK)
		rv = com_token_new(ORGA_ONETIME_DIGITS, 2, out + 6, size - 6);
	return rv;
}

com_err
orga_identifier_digits_new(char out[5])
{
	return com_token_new("0123456789", 4, out, 5);
}
