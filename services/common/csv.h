/*
 * csv.h - the one CSV field writer of every file Orga produces (learners,
 * results, identifiers): ";"-separated UTF-8, a field quoted only when it
 * holds ";", a double quote or a line break (quotes doubled inside), and a
 * field that a spreadsheet would run as a formula (one starting with "=",
 * "+", "-", "@", a tab or a carriage return) written after an apostrophe,
 * so a school's export cannot be turned against whoever opens it. Pure.
 */
#ifndef COM_CSV_H
#define COM_CSV_H

#include "buf.h"
#include "err.h"

/*
 * com_csv_field appends value to line, neutralised and quoted when
 * needed, preceded by ";" unless it is the line's first field.
 * COM_ETOOLARGE when line would pass its maximum (line is then left
 * partly written: drop the line).
 */
com_err com_csv_field(com_buf *line, const char *value, int first)
    COM_MUSTCHECK;

#endif
