/*
 * validate.h - checks of user input shared by the daemons and tools:
 * UAI (school identifier), e-mail addresses, password strength.
 */
#ifndef COM_VALIDATE_H
#define COM_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define COM_UAI_SIZE 9     /* 7 digits, 1 letter, NUL */
#define COM_EMAIL_MAX 254

/*
 * com_uai_normalize trims surrounding spaces, upper-cases the letter and
 * checks the shape (7 digits then 1 letter) into out. COM_EINVAL otherwise.
 */
com_err com_uai_normalize(const char *in, char out[COM_UAI_SIZE])
    COM_MUSTCHECK;

/*
 * com_email_normalize trims spaces and lower-cases in into out (size
 * bytes) and checks it looks like local@domain.tld in ASCII (no
 * internationalised address: mail could not be delivered), with no space or
 * control character and at most COM_EMAIL_MAX bytes. COM_EINVAL otherwise.
 */
com_err com_email_normalize(const char *in, char *out, size_t size)
    COM_MUSTCHECK;

/*
 * com_password_strong: at least 8 characters (UTF-8 code points) with an
 * upper-case letter, a lower-case letter and a digit (ASCII classes).
 */
bool com_password_strong(const char *password);

#endif
