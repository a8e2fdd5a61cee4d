/*
 * dupset.h - the set of INEs already seen in a file, to refuse a second
 * student with the same INE and name the first one. It is the only state
 * of the parser that grows with the file: per student, 8 bytes of slot at
 * most half full plus "INE\0ELEVE_ID\0NOM Prénom\0" (name cut at 48
 * bytes), about 50 bytes: 250 KB for 5 000 students, 50 MB for 1 M.
 * Slots are placed by a keyed hash (SipHash, random key per set), so a
 * crafted file cannot make the probing quadratic.
 */
#ifndef IMP_DUPSET_H
#define IMP_DUPSET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

typedef struct imp_dupset {
	uint64_t *slots;    /* 0 empty, else (hash32 << 32) | (offset + 1) */
	size_t nslots;      /* power of two */
	size_t count;
	com_buf arena;      /* the strings of each entry */
	unsigned char key[16];
} imp_dupset;

/* imp_dupset_init prepares an empty set; its strings stay below max. */
com_err imp_dupset_init(imp_dupset *d, size_t max_bytes) COM_MUSTCHECK;
void imp_dupset_fini(imp_dupset *d);

/*
 * imp_dupset_add inserts ine with who first carried it. When ine is
 * already there, nothing is inserted and *first_eleve_id / *first_full_name
 * ("NOM Prénom") point at the first student's (valid until the next add or fini);
 * otherwise both are set to NULL. COM_ETOOLARGE past the byte limit.
 */
com_err imp_dupset_add(imp_dupset *d, const char *ine, const char *eleve_id,
    const char *last_name, const char *first_name,
    const char **first_eleve_id, const char **first_full_name)
    COM_MUSTCHECK;

#endif
