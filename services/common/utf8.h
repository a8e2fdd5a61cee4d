/*
 * utf8.h - checks that text is well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), before it reaches
 * PostgreSQL or jansson, which would refuse it later and less clearly.
 */
#ifndef COM_UTF8_H
#define COM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * com_utf8_valid: the len bytes at s are well-formed UTF-8 and hold no
 * NUL. Pure.
 */
bool com_utf8_valid(const char *s, size_t len);

/* com_utf8_chars counts the code points of valid UTF-8 text. Pure. */
size_t com_utf8_chars(const char *s, size_t len);

#endif
