/*
 * identifier.h - what the school hands a student without e-mail nor GAR:
 * an identifier "prenom.nomJJMM" (4 more digits when taken) and a
 * one-time password of 6 letters and 2 digits without look-alikes. The
 * rule is the product's (rules.md, Accounts and sessions). Pure.
 */
#ifndef ORGA_IDENTIFIER_H
#define ORGA_IDENTIFIER_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Each name's part of an identifier is cut at this many bytes. */
#define ORGA_IDENTIFIER_PART_MAX 40
/* prenom "." nom JJMM and 4 digits, with the NUL. */
#define ORGA_IDENTIFIER_SIZE (2 * ORGA_IDENTIFIER_PART_MAX + 1 + 4 + 4 + 1)
/* The letters and digits of one-time passwords: no I, L, O, 0, 1. */
#define ORGA_ONETIME_LETTERS "ABCDEFGHJKMNPQRSTUVWXYZ"
#define ORGA_ONETIME_DIGITS "23456789"
#define ORGA_ONETIME_LEN 8     /* 6 letters then 2 digits */
/* What a name whose key holds no Latin letter nor digit becomes. */
#define ORGA_IDENTIFIER_FALLBACK "eleve"

/*
 * orga_identifier_base writes "prenom.nomJJMM" into out (size bytes,
 * ORGA_IDENTIFIER_SIZE is enough): each name lower-cased without
 * accents, spaces, hyphens, apostrophes or other punctuation (the keys of
 * orga_match_key), kept to a-z and 0-9 and cut at
 * ORGA_IDENTIFIER_PART_MAX bytes ("eleve" when nothing is left); JJMM the
 * day and month of birth_date (ISO "AAAA-MM-JJ"). COM_EINVAL for
 * malformed UTF-8 or date, COM_ETOOLARGE when out is too small.
 */
com_err orga_identifier_base(const char *first_name, const char *last_name,
    const char *birth_date, char *out, size_t size) COM_MUSTCHECK;

/*
 * orga_identifier_suffixed writes base followed by the 4 digits of
 * digits into out (size bytes): the identifier when base is taken.
 * COM_EINVAL unless digits is 4 ASCII digits; COM_ETOOLARGE.
 */
com_err orga_identifier_suffixed(const char *base, const char *digits,
    char *out, size_t size) COM_MUSTCHECK;

/*
 * orga_identifier_ok: s has the shape of an identifier (3 to 120 bytes
 * of a-z, 0-9 and "."; so never an e-mail address). Pure.
 */
bool orga_identifier_ok(const char *s);

/*
 * orga_onetime_password_ok: s is 6 letters of ORGA_ONETIME_LETTERS then
 * 2 digits of ORGA_ONETIME_DIGITS. Pure.
 */
bool orga_onetime_password_ok(const char *s);

/*
 * orga_onetime_password_new draws a one-time password (libsodium's
 * random source) into out. COM_EINVAL when size < ORGA_ONETIME_LEN + 1.
 */
com_err orga_onetime_password_new(char *out, size_t size) COM_MUSTCHECK;

/*
 * orga_identifier_digits_new draws 4 digits (0-9) and a NUL into out
 * (5 bytes), for orga_identifier_suffixed.
 */
com_err orga_identifier_digits_new(char out[5]) COM_MUSTCHECK;

#endif
