/* validate.c - UAI, e-mail and password checks. */
#include "validate.h"

#include <ctype.h>
#include <string.h>

static void
com_trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)(*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

com_err
com_uai_normalize(const char *in, char out[COM_UAI_SIZE])
{
	size_t len = strlen(in);
	char uai[COM_UAI_SIZE];

	com_trim(&in, &len);
	if (len != 8)
		return COM_EINVAL;
	for (size_t i = 0; i < 7; i++) {
		if (!isdigit((unsigned char)in[i]))
			return COM_EINVAL;
		uai[i] = in[i];
	}
	if (!isalpha((unsigned char)in[7]))
		return COM_EINVAL;
	uai[7] = (char)toupper((unsigned char)in[7]);
	uai[8] = '\0';
	memcpy(out, uai, sizeof(uai));
	return COM_OK;
}

com_err
com_email_normalize(const char *in, char *out, size_t size)
{
	char email[COM_EMAIL_MAX + 1];
	size_t len = strlen(in);
	const char *at;
	const char *dot;

	com_trim(&in, &len);
	if (len == 0 || len > COM_EMAIL_MAX || len + 1 > size)
		return COM_EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		/* ASCII only: our SMTP path (no SMTPUTF8) cannot deliver
		 * to an internationalised address. */
		if (c <= ' ' || c >= 0x7f || c == ',' || c == ';' || c == '<' ||
		    c == '>' || c == '"' || c == '\\')
			return COM_EINVAL;
		email[i] = (char)tolower(c);
	}
	email[len] = '\0';
	at = strchr(email, '@');
	if (at == NULL || at == email || strchr(at + 1, '@') != NULL)
		return COM_EINVAL;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0' ||
	    strstr(at, "..") != NULL)
		return COM_EINVAL;
	memcpy(out, email, len + 1);
	return COM_OK;
}

bool
com_password_strong(const char *password)
{
	bool upper = false, lower = false, digit = false;
	size_t chars = 0;

	for (const unsigned char *p = (const unsigned char *)password; *p;
	     p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (isupper(*p))
			upper = true;
		else if (islower(*p))
			lower = true;
		else if (isdigit(*p))
			digit = true;
	}
	return chars >= 8 && upper && lower && digit;
}
