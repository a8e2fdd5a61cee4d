/* csv.c - one CSV field, quoted only when it must be. */
#include "csv.h"

#include <string.h>

com_err
ctl_csv_field(com_buf *line, const char *value, int first)
{
	com_err rv = COM_OK;

	if (!first)
		rv = com_buf_append(line, ";", 1);
	if (rv != COM_OK)
		return rv;
	if (strpbrk(value, ";\"\r\n") == NULL)
		return com_buf_append_str(line, value);
	rv = com_buf_append(line, "\"", 1);
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
