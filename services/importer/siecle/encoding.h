/*
 * encoding.h - the single-byte encodings expat does not know natively but
 * SIECLE files use: ISO-8859-15 (real exports) and windows-1252 (files
 * re-saved on Windows). Expat itself handles UTF-8 (with or without BOM),
 * UTF-16, ISO-8859-1 and US-ASCII.
 */
#ifndef IMP_ENCODING_H
#define IMP_ENCODING_H

#include <stddef.h>

#include <expat.h>

/* The longest encoding name kept for the refusal message, with its NUL. */
#define IMP_ENCODING_NAME_SIZE 64

/*
 * imp_encoding_handler is an XML_UnknownEncodingHandler: pass a char
 * array of IMP_ENCODING_NAME_SIZE bytes as data. It fills info for the
 * encodings above; for any other it copies the declared name (printable
 * ASCII only, truncated) into data and refuses, so expat stops with
 * XML_ERROR_UNKNOWN_ENCODING and the caller can name the encoding.
 */
int imp_encoding_handler(void *data, const XML_Char *name,
    XML_Encoding *info);

/*
 * imp_encoding_table fills map (256 code points, -1 for bytes with no
 * character) for name; returns 0 when the name is known, -1 otherwise.
 */
int imp_encoding_table(const char *name, int map[256]);

#endif
