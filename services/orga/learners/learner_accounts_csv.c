/* learner_accounts_csv.c - the CSV of students' identifiers. */
#include "learners/learner_accounts_csv.h"

#include <stdio.h>

#include "csv.h"

com_err
orga_learner_accounts_csv(const orga_learner_accounts *a, com_buf *out)
{
	static const char *const header[] = {"Classe", "Nom", "Prénom",
	    "Identifiant", "Mot de passe temporaire"};
	com_err rv;

	rv = com_buf_append(out, "\xEF\xBB\xBF", 3);
	for (int i = 0; rv == COM_OK && i < 5; i++)
		rv = com_csv_field(out, header[i], i == 0);
	if (rv == COM_OK)
		rv = com_buf_append(out, "\r\n", 2);
	for (int i = 0; rv == COM_OK && i < a->count; i++) {
		const orga_learner_credential *c = &a->list[i];

		rv = com_csv_field(out, c->class_code, 1);
		if (rv == COM_OK)
			rv = com_csv_field(out, c->last_name, 0);
		if (rv == COM_OK)
			rv = com_csv_field(out, c->first_name, 0);
		if (rv == COM_OK)
			rv = com_csv_field(out, c->login, 0);
		if (rv == COM_OK)
			rv = com_csv_field(out, c->password, 0);
		if (rv == COM_OK)
			rv = com_buf_append(out, "\r\n", 2);
	}
	return rv;
}

com_err
orga_learner_accounts_csv_name(time_t now, char *out, size_t size)
{
	struct tm tm;
	int n;

	if (localtime_r(&now, &tm) == NULL)
		return COM_EINVAL;
	n = snprintf(out, size, "identifiants-%04d-%02d-%02d-%02dh%02d.csv",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min);
	return n > 0 && (size_t)n < size ? COM_OK : COM_EINVAL;
}
