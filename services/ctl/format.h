/*
 * format.h - how orgactl shows values to an operator (French dates and
 * statuses) and checks text it sends (UTF-8: com_utf8_valid). Pure
 * functions, unit-tested.
 */
#ifndef CTL_FORMAT_H
#define CTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#define CTL_DATE_SIZE 48

/*
 * ctl_date_fr turns an ISO 8601 timestamp ("2024-09-02T08:30:00Z",
 * "2024-09-02 08:30:00+00", with or without fractions) into
 * "02/09/2024 08:30" plus " UTC" when the offset is zero, or the offset
 * as given. Anything else is copied (truncated to fit); NULL or "" gives
 * "—". out must hold CTL_DATE_SIZE bytes.
 */
void ctl_date_fr(const char *iso, char out[CTL_DATE_SIZE]);

/*
 * ctl_status_fr: "pending" -> "en attente", "accepted" -> "acceptée",
 * "cancelled" -> "annulée"; any other value is returned as is. The
 * result is static or status itself.
 */
const char *ctl_status_fr(const char *status);

/* ctl_blank: buf[0..len) holds only ASCII white space (or nothing). */
bool ctl_blank(const char *buf, size_t len);

#endif
