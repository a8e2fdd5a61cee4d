/* csv.c - one CSV field, neutralised when a spreadsheet would run it,
 * quoted only when it must be. */
#include "csv.h"

#include <string.h>

/* Spreadsheets run a cell starting with one of these as a formula. */
static int
csv_formula(const char *value)
{
	return value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
}

com_err
com_csv_field(com_buf *line, const char *value, int first)
{
	com_err rv = COM_OK;

	if (!first)
		rv = com_buf_append(line, ";", 1);
	if (rv != COM_OK)
		return rv;
	if (strpbrk(value, ";\"\r\n") == NULL) {
		if (csv_formula(value))
			rv = com_buf_append(line, "'", 1);
		return rv == COM_OK ? com_buf_append_str(line, value) : rv;
	}
	rv = com_buf_append(line, "\"", 1);
	if (rv == COM_OK && csv_formula(value))
		rv = com_buf_append(line, "'", 1);
	for (const char *p = value; *p != '\0' && rv == COM_OK; p++) {
		if (*p == '"')
			rv = com_buf_append(line, "\"\"", 2);
		else
			rv = com_buf_append(line, p, 1);
	}
	if (rv == COM_OK)
		rv = com_buf_append(line, "\"", 1);
	return rv;
}
