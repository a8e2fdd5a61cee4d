/*
 * csv.h - the learners CSV of orgactl: ";"-separated UTF-8, a field
 * quoted only when it holds ";", a double quote or a line break (quotes
 * doubled inside). Pure, unit-tested.
 */
#ifndef CTL_CSV_H
#define CTL_CSV_H

#include "buf.h"
#include "err.h"

/*
 * ctl_csv_field appends value to line, quoted when needed, preceded by
 * ";" unless it is the line's first field.
 */
com_err ctl_csv_field(com_buf *line, const char *value, int first)
    COM_MUSTCHECK;

#endif
