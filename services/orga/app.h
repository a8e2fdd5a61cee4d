/*
 * app.h - what every part of the orga daemon shares: settings, the
 * PostgreSQL pool and the notifier that wakes the other daemons. One
 * orga_app lives in main() for the daemon's life; handlers get a pointer.
 */
#ifndef ORGA_APP_H
#define ORGA_APP_H

#include <stdbool.h>

#include "config.h"
#include "db.h"

struct orga_notify;
struct orga_saml;
struct orga_content_cache;

typedef struct orga_app {
	com_config cfg;
	com_db_pool *db;
	struct orga_notify *notify;
	struct orga_saml *saml; /* the GAR service provider; NULL: GAR off */
	struct orga_content_cache *content; /* loaded content versions */
	char http_addr[128];   /* ORGA_HTTP_ADDR, host:port */
	char public_url[512];  /* ORGA_PUBLIC_URL, no trailing slash */
	char web_dir[512];     /* ORGA_WEB_DIR, the static UI files */
	bool secure_cookies;   /* public URL is https */
	long long import_max_bytes; /* ORGA_IMPORT_MAX_BYTES, upload limit */
	const char *version;
} orga_app;

#endif
