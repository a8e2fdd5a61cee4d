/*
 * format.c - French display of dates and statuses, and text checks for
 * what orgactl sends.
 */
#include "format.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool
ctl_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

void
ctl_date_fr(const char *iso, char out[CTL_DATE_SIZE])
{
	const char *tz;

	if (iso == NULL || iso[0] == '\0') {
		(void)snprintf(out, CTL_DATE_SIZE, "—");
		return;
	}
	/* YYYY-MM-DD[T ]HH:MM */
	if (strlen(iso) < 16 || !ctl_digits(iso, 4) || iso[4] != '-' ||
	    !ctl_digits(iso + 5, 2) || iso[7] != '-' ||
	    !ctl_digits(iso + 8, 2) || (iso[10] != 'T' && iso[10] != ' ') ||
	    !ctl_digits(iso + 11, 2) || iso[13] != ':' ||
	    !ctl_digits(iso + 14, 2)) {
		(void)snprintf(out, CTL_DATE_SIZE, "%s", iso);
		return;
	}
	/* Skip seconds and fractions to reach the offset, if any. */
	tz = iso + 16;
	while (*tz != '\0' && (isdigit((unsigned char)*tz) || *tz == ':' ||
	    *tz == '.'))
		tz++;
	if (strcmp(tz, "Z") == 0 || strcmp(tz, "+00") == 0 ||
	    strcmp(tz, "+00:00") == 0 || strcmp(tz, "+0000") == 0)
		tz = " UTC";
	(void)snprintf(out, CTL_DATE_SIZE, "%.2s/%.2s/%.4s %.5s%s%.8s",
	    iso + 8, iso + 5, iso, iso + 11, tz[0] == ' ' || tz[0] == '\0'
	    ? "" : " ", tz);
}

const char *
ctl_status_fr(const char *status)
{
	if (status == NULL)
		return "";
	if (strcmp(status, "pending") == 0)
		return "en attente";
	if (strcmp(status, "accepted") == 0)
		return "acceptée";
	if (strcmp(status, "cancelled") == 0)
		return "annulée";
	return status;
}

bool
ctl_blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!isspace((unsigned char)buf[i]))
			return false;
	}
	return true;
}
