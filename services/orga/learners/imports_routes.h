/*
 * imports_routes.h - HTTP routes of SIECLE imports for
 * the school's ADMINs: the streamed upload, the job, confirm, cancel.
 */
#ifndef ORGA_IMPORTS_ROUTES_H
#define ORGA_IMPORTS_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_imports_routes[];

/*
 * Pure parts. An upload's format comes from its Content-Type: XML
 * (application/xml, text/xml), ZIP (application/zip,
 * application/x-zip-compressed), SNIFF (application/octet-stream or no
 * Content-Type: decided on the first bytes). COM_EINVAL for any other.
 */
typedef enum orga_upload_format {
	ORGA_UPLOAD_XML = 0,
	ORGA_UPLOAD_ZIP,
	ORGA_UPLOAD_SNIFF,
} orga_upload_format;

com_err orga_upload_format_of(const char *content_type,
    orga_upload_format *out) COM_MUSTCHECK;

/* orga_upload_sniff_zip: the bytes start like a zip archive ("PK\3\4",
 * or "PK\5\6" for an empty one). Pure. */
bool orga_upload_sniff_zip(const void *buf, size_t len);

#endif
