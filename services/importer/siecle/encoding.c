/*
 * encoding.c - ISO-8859-15 and windows-1252 tables for expat's
 * unknown-encoding hook; every other unknown name is refused by name.
 */
#include "siecle/encoding.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Latin-9 replaces eight Latin-1 code points. */
static const struct {
	unsigned char byte;
	int cp;
} imp_latin9[] = {
	{0xA4, 0x20AC}, /* € */
	{0xA6, 0x0160}, /* Š */
	{0xA8, 0x0161}, /* š */
	{0xB4, 0x017D}, /* Ž */
	{0xB8, 0x017E}, /* ž */
	{0xBC, 0x0152}, /* Œ */
	{0xBD, 0x0153}, /* œ */
	{0xBE, 0x0178}, /* Ÿ */
};

/* windows-1252 0x80-0x9F; -1 where the code page defines nothing. */
static const int imp_cp1252[32] = {
	0x20AC, -1, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017D, -1,
	-1, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, -1, 0x017E, 0x0178,
};

typedef enum imp_charset {
	IMP_CS_NONE,
	IMP_CS_LATIN1,
	IMP_CS_LATIN9,
	IMP_CS_CP1252,
} imp_charset;

static const struct {
	const char *name;
	imp_charset cs;
} imp_names[] = {
	{"ISO-8859-15", IMP_CS_LATIN9},
	{"ISO8859-15", IMP_CS_LATIN9},
	{"ISO_8859-15", IMP_CS_LATIN9},
	{"ISO885915", IMP_CS_LATIN9},
	{"LATIN-9", IMP_CS_LATIN9},
	{"LATIN9", IMP_CS_LATIN9},
	{"LATIN-0", IMP_CS_LATIN9},
	{"CSISOLATIN9", IMP_CS_LATIN9},
	{"WINDOWS-1252", IMP_CS_CP1252},
	{"CP1252", IMP_CS_CP1252},
	{"X-CP1252", IMP_CS_CP1252},
	/* Aliases of Latin-1 expat does not recognise itself. */
	{"ISO8859-1", IMP_CS_LATIN1},
	{"ISO_8859-1", IMP_CS_LATIN1},
	{"LATIN1", IMP_CS_LATIN1},
	{"LATIN-1", IMP_CS_LATIN1},
};

static imp_charset
imp_encoding_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(imp_names) / sizeof(imp_names[0]);
	     i++)
		if (strcasecmp(name, imp_names[i].name) == 0)
			return imp_names[i].cs;
	return IMP_CS_NONE;
}

int
imp_encoding_table(const char *name, int map[256])
{
	imp_charset cs = imp_encoding_lookup(name);

	if (cs == IMP_CS_NONE)
		return -1;
	for (int i = 0; i < 256; i++)
		map[i] = i;
	if (cs == IMP_CS_LATIN9) {
		for (size_t i = 0;
		     i < sizeof(imp_latin9) / sizeof(imp_latin9[0]); i++)
			map[imp_latin9[i].byte] = imp_latin9[i].cp;
	} else if (cs == IMP_CS_CP1252) {
		for (int i = 0; i < 32; i++)
			map[0x80 + i] = imp_cp1252[i];
	}
	return 0;
}

int
imp_encoding_handler(void *data, const XML_Char *name, XML_Encoding *info)
{
	char *seen = data;
	size_t n = 0;

	if (name != NULL && imp_encoding_table(name, info->map) == 0) {
		info->data = NULL;
		info->convert = NULL;
		info->release = NULL;
		return XML_STATUS_OK;
	}
	/* Keep a printable copy of the name for the French refusal. */
	for (; name != NULL && name[n] != '\0' &&
	       n < IMP_ENCODING_NAME_SIZE - 4; n++) {
		unsigned char c = (unsigned char)name[n];

		seen[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (name != NULL && name[n] != '\0') {
		memcpy(seen + n, "...", 3);
		n += 3;
	}
	seen[n] = '\0';
	return XML_STATUS_ERROR;
}
