/* report.c - the French sentences an import shows, bounded in number. */
#include "siecle/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* One sentence never exceeds this (values in it are bounded too). */
#define IMP_REPORT_MAX_SENTENCE 8192

void
imp_report_init(imp_report *r, size_t max_messages)
{
	memset(r, 0, sizeof(*r));
	r->max_messages = max_messages;
}

void
imp_report_fini(imp_report *r)
{
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	for (size_t i = 0; i < r->nskips; i++)
		free(r->skips[i]);
	free(r->errors);
	free(r->skips);
	r->errors = NULL;
	r->skips = NULL;
	r->nerrors = 0;
	r->nskips = 0;
}

/* Moves the sentences of (sv, *sn) after those of (*dv, *dn); those
 * beyond max are freed (only counted). */
static com_err
imp_report_move(char ***dv, size_t *dn, size_t max, char **sv, size_t *sn)
{
	com_err rv = COM_OK;
	size_t i = 0;
	char **nv;

	if (*sn > 0 && *dn < max) {
		size_t take = max - *dn < *sn ? max - *dn : *sn;

		nv = realloc(*dv, (*dn + take) * sizeof(**dv));
		if (nv == NULL) {
			rv = COM_ENOMEM;
		} else {
			*dv = nv;
			for (; i < take; i++)
				nv[(*dn)++] = sv[i];
		}
	}
	for (; i < *sn; i++)
		free(sv[i]);
	*sn = 0;
	return rv;
}

com_err
imp_report_merge(imp_report *dst, imp_report *src)
{
	com_err rv, rv2;

	rv = imp_report_move(&dst->errors, &dst->nerrors, dst->max_messages,
	    src->errors, &src->nerrors);
	rv2 = imp_report_move(&dst->skips, &dst->nskips, dst->max_messages,
	    src->skips, &src->nskips);
	dst->errors_total += src->errors_total;
	for (int i = 0; i < IMP_SKIP_COUNT; i++)
		dst->skipped[i] += src->skipped[i];
	dst->students += src->students;
	dst->accepted += src->accepted;
	dst->classes += src->classes;
	dst->file_error = dst->file_error || src->file_error;
	return rv != COM_OK ? rv : rv2;
}

bool
imp_report_ok(const imp_report *r)
{
	return r->errors_total == 0 && !r->file_error;
}

/* Keeps the message on one line: values come from the uploaded file. */
static void
imp_report_clean(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* Appends the text of b to the list (*v, *n), up to max entries. */
static com_err
imp_report_keep(char ***v, size_t *n, size_t max, com_buf *b)
{
	char **nv;
	char *s;

	if (*n >= max)
		return COM_OK;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (nv == NULL)
		return COM_ENOMEM;
	*v = nv;
	s = com_buf_steal(b);
	if (s == NULL)
		return COM_ENOMEM;
	imp_report_clean(s);
	nv[(*n)++] = s;
	return COM_OK;
}

static com_err
imp_report_who(com_buf *b, const imp_who *who)
{
	const char *last = who->last_name != NULL ? who->last_name : "";
	const char *first = who->first_name != NULL ? who->first_name : "";
	com_err rv;

	if (last[0] == '\0' && first[0] == '\0')
		rv = com_buf_append_str(b, "Élève sans nom (");
	else
		rv = com_buf_printf(b, "Élève %s%s%s (", last,
		    last[0] != '\0' && first[0] != '\0' ? " " : "", first);
	if (rv != COM_OK)
		return rv;
	if (who->ine == NULL)
		rv = com_buf_append_str(b, "sans INE");
	else if (who->ine[0] == '\0')
		rv = com_buf_append_str(b, "INE vide");
	else
		rv = com_buf_printf(b, "INE %s", who->ine);
	if (rv != COM_OK)
		return rv;
	if (who->eleve_id == NULL || who->eleve_id[0] == '\0')
		return com_buf_append_str(b, ", sans ELEVE_ID) : ");
	return com_buf_printf(b, ", ELEVE_ID %s) : ", who->eleve_id);
}

com_err
imp_report_file_error(imp_report *r, const char *fmt, ...)
{
	va_list ap;
	com_err rv;

	va_start(ap, fmt);
	rv = imp_report_file_verror(r, fmt, ap);
	va_end(ap);
	return rv;
}

com_err
imp_report_file_verror(imp_report *r, const char *fmt, va_list ap)
{
	com_buf b;
	com_err rv;

	r->file_error = true;
	r->errors_total++;
	com_buf_init(&b, IMP_REPORT_MAX_SENTENCE);
	rv = com_buf_vprintf(&b, fmt, ap);
	if (rv == COM_OK)
		rv = imp_report_keep(&r->errors, &r->nerrors, r->max_messages,
		    &b);
	com_buf_fini(&b);
	/* A sentence too long to keep is dropped, still counted. */
	return rv == COM_ETOOLARGE ? COM_OK : rv;
}

com_err
imp_report_student_error(imp_report *r, const imp_who *who,
    const char *fmt, ...)
{
	com_buf b;
	va_list ap;
	com_err rv;

	r->errors_total++;
	if (r->nerrors >= r->max_messages)
		return COM_OK;
	com_buf_init(&b, IMP_REPORT_MAX_SENTENCE);
	rv = imp_report_who(&b, who);
	if (rv == COM_OK) {
		va_start(ap, fmt);
		rv = com_buf_vprintf(&b, fmt, ap);
		va_end(ap);
	}
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, ".");
	if (rv == COM_OK)
		rv = imp_report_keep(&r->errors, &r->nerrors, r->max_messages,
		    &b);
	com_buf_fini(&b);
	return rv == COM_ETOOLARGE ? COM_OK : rv;
}

void
imp_size_text(char out[32], uint64_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(out, 32, "%llu Mo", (unsigned long long)(bytes >> 20));
	else if (bytes >= (1u << 20))
		snprintf(out, 32, "%.1f Mo", (double)bytes / (1u << 20));
	else if (bytes >= 1024)
		snprintf(out, 32, "%llu Ko", (unsigned long long)(bytes >> 10));
	else
		snprintf(out, 32, "%llu octets", (unsigned long long)bytes);
}

const char *
imp_skip_label(imp_skip why)
{
	switch (why) {
	case IMP_SKIP_LEFT:
		return "a quitté l'établissement";
	case IMP_SKIP_NOT_ARRIVED:
		return "pas encore arrivé (pas d'INE dans le fichier)";
	case IMP_SKIP_NO_CLASS:
		return "sans classe";
	default:
		return "importé";
	}
}

com_err
imp_report_skip(imp_report *r, imp_skip why, const imp_who *who,
    const char *detail)
{
	com_buf b;
	com_err rv;

	if (why <= IMP_SKIP_NONE || why >= IMP_SKIP_COUNT)
		return COM_EINVAL;
	r->skipped[why]++;
	if (r->nskips >= r->max_messages)
		return COM_OK;
	com_buf_init(&b, IMP_REPORT_MAX_SENTENCE);
	rv = imp_report_who(&b, who);
	if (rv == COM_OK)
		rv = com_buf_printf(&b, "ignoré, %s", imp_skip_label(why));
	if (rv == COM_OK && why == IMP_SKIP_LEFT && detail != NULL)
		rv = com_buf_printf(&b, " le %s", detail);
	if (rv == COM_OK)
		rv = com_buf_append_str(&b, ".");
	if (rv == COM_OK)
		rv = imp_report_keep(&r->skips, &r->nskips, r->max_messages,
		    &b);
	com_buf_fini(&b);
	return rv == COM_ETOOLARGE ? COM_OK : rv;
}

com_err
imp_report_no_learner(imp_report *r)
{
	uint64_t skipped = 0;

	for (int i = 1; i < IMP_SKIP_COUNT; i++)
		skipped += r->skipped[i];
	if (skipped == 0)
		return imp_report_file_error(r,
		    "Aucun élève ne peut être importé : le fichier ne "
		    "contient aucun élève.");
	if (skipped == 1)
		return imp_report_file_error(r,
		    "Aucun élève ne peut être importé : le seul élève du "
		    "fichier est ignoré (voir le détail).");
	return imp_report_file_error(r,
	    "Aucun élève ne peut être importé : les %llu élèves du fichier "
	    "sont tous ignorés (voir le détail).",
	    (unsigned long long)skipped);
}
