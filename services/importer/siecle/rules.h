/*
 * rules.h - what makes one ELEVE importable, skipped or wrong (issue 3
 * "Rules"), and the small checks behind it: strict JJ/MM/AAAA dates and
 * names that are UTF-8 read twice.
 */
#ifndef IMP_RULES_H
#define IMP_RULES_H

#include <stdbool.h>

#include "err.h"
#include "siecle/report.h"
#include "siecle/siecle.h"

/*
 * imp_date_parse reads a strict JJ/MM/AAAA (exactly 10 characters) that
 * is a real date (leap years counted, year 1000-9999) into *out as
 * AAAAMMJJ. Returns false on any other text; *out untouched then.
 */
bool imp_date_parse(const char *s, int *out);

/* imp_date_exists: the day d of month m of year y exists. */
bool imp_date_exists(int y, int m, int d);

/*
 * imp_text_double_utf8: s (UTF-8) holds "Ã" or "Â" followed by a
 * character in U+0080..U+00BF, what UTF-8 read as Latin-1 and saved again
 * as UTF-8 looks like ("CÃ©cile").
 */
bool imp_text_double_utf8(const char *s);

/*
 * imp_rules_check decides about s (fields filled by the parser, birth_iso
 * and sex written here): returns through *skip the reason it is skipped
 * (the skip is recorded in r), or IMP_SKIP_NONE; *nerrors gets the number
 * of errors recorded in r (0: importable). Returns COM_ENOMEM. A second
 * student with the same INE is found once the whole file is read, by the
 * consumer (imp_rules_duplicate).
 */
com_err imp_rules_check(imp_report *r, int today, imp_student *s,
    imp_skip *skip, unsigned *nerrors) COM_MUSTCHECK;

/*
 * imp_rules_duplicate records that second carries the INE of an earlier
 * student, named first_name ("NOM Prénom") with first_eleve_id (either
 * NULL or empty when the file gives none). Returns COM_ENOMEM.
 */
com_err imp_rules_duplicate(imp_report *r, const imp_who *second,
    const char *first_name, const char *first_eleve_id) COM_MUSTCHECK;

#endif
