/*
 * participants_csv.c - a campaign's participants as the CSV file the
 * school downloads: the same columns as the page's table, with the
 * participant identifier the campaign asked for under its own label.
 */
#include "campaigns/campaign.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"

/* csv_state: participations.status as the school reads it. */
static const char *
csv_state(const char *status, const char *type)
{
	if (strcmp(status, ORGA_PARTICIPATION_STARTED) == 0)
		return "En cours";
	if (strcmp(status, ORGA_PARTICIPATION_TO_SHARE) == 0)
		return "En attente d'envoi";
	if (strcmp(status, ORGA_PARTICIPATION_SHARED) == 0)
		return strcmp(type, "ASSESSMENT") == 0 ? "Résultats reçus"
		                                        : "Profil reçu";
	return status;
}

/* csv_date writes JJ/MM/AAAA of an ISO 8601 date into out (11 bytes). */
static const char *
csv_date(const char *iso, char out[11])
{
	if (strlen(iso) < 10) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	return out;
}

/* csv_line appends the n fields and the line end. */
static com_err
csv_line(com_buf *out, const char *const *fields, int n)
{
	com_err rv = COM_OK;

	for (int i = 0; i < n && rv == COM_OK; i++)
		rv = com_csv_field(out, fields[i], i == 0);
	if (rv == COM_OK)
		rv = com_buf_append_str(out, "\r\n");
	return rv;
}

com_err
orga_participants_csv(const orga_campaign *c, const orga_campaign_rows *rows,
    com_buf *out)
{
	const bool ext = c->external_id_label[0] != '\0';
	const char *head[7] = {"Nom", "Prénom", "Classe"};
	const char *f[7];
	char started[11], shared[11];
	com_err rv;
	int n = 3;

	if (ext)
		head[n++] = c->external_id_label;
	head[n++] = "État";
	head[n++] = "Commencée le";
	head[n++] = "Envoyée le";
	rv = com_buf_append_str(out, "\xef\xbb\xbf");
	if (rv == COM_OK)
		rv = csv_line(out, head, n);
	for (int i = 0; i < rows->count && rv == COM_OK; i++) {
		orga_participant p;

		orga_participant_row(rows, i, &p);
		n = 0;
		f[n++] = p.last_name;
		f[n++] = p.first_name;
		f[n++] = p.class_code;
		if (ext)
			f[n++] = p.external_id;
		f[n++] = csv_state(p.status, c->type);
		f[n++] = csv_date(p.created_at, started);
		f[n++] = csv_date(p.shared_at, shared);
		rv = csv_line(out, f, n);
	}
	return rv;
}
