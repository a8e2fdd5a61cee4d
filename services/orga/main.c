/*
 * main.c - the orga daemon: migrates the schema, then serves the HTTP API
 * and the nng RPCs until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account/account.h"
#include "account/account_routes.h"
#include "account/password_routes.h"
#include "account/terms_routes.h"
#include "account/tokens_routes.h"
#include "app.h"
#include "assessment/attempt_routes.h"
#include "assessment/content_store.h"
#include "assessment/results_routes.h"
#include "campaigns/campaign_routes.h"
#include "campaigns/participation_routes.h"
#include "db.h"
#include "edge/http/http_server.h"
#include "edge/rpc/rpc_server.h"
#include "gar/gar.h"
#include "gar/gar_routes.h"
#include "health.h"
#include "learners/imports.h"
#include "learners/imports_routes.h"
#include "learners/learner_accounts_routes.h"
#include "learners/learner_list_routes.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "school/invitation_routes.h"
#include "school/org_routes.h"
#include "school/team_routes.h"
#include "secret.h"

#define ORGA_VERSION "0.1.0"

/* Every HTTP route, by domain; the edge looks a request up in this order. */
static const orga_route *const orga_http_tables[] = {
	orga_health_routes,
	orga_account_routes,
	orga_password_routes,
	orga_terms_routes,
	orga_invitation_routes,
	orga_org_routes,
	orga_imports_routes,
	orga_learner_list_routes,
	orga_learner_accounts_routes,
	orga_tokens_routes,
	orga_team_routes,
	orga_campaign_routes,
	orga_gar_routes,
	orga_participation_routes,
	orga_attempt_routes,
	orga_results_routes,
	NULL,
};

static com_err
orga_copy_setting(char *dst, size_t size, const char *value)
{
	int n = snprintf(dst, size, "%s", value);

	return n < 0 || (size_t)n >= size ? COM_ETOOLARGE : COM_OK;
}

/* orga_app_settings reads the orga-only settings (README lists them). */
static com_err
orga_app_settings(orga_app *app)
{
	char dflt[200];
	size_t len;
	com_err rv;

	rv = com_config_load(&app->cfg);
	if (rv == COM_OK)
		rv = orga_copy_setting(app->http_addr, sizeof(app->http_addr),
		    com_env_str("ORGA_HTTP_ADDR", "127.0.0.1:8080"));
	if (rv != COM_OK)
		return rv;
	snprintf(dflt, sizeof(dflt), "http://%s", app->http_addr);
	rv = orga_copy_setting(app->public_url, sizeof(app->public_url),
	    com_env_str("ORGA_PUBLIC_URL", dflt));
	if (rv == COM_OK)
		rv = orga_copy_setting(app->web_dir, sizeof(app->web_dir),
		    com_env_str("ORGA_WEB_DIR", "services/orga/web"));
	if (rv != COM_OK)
		return rv;
	len = strlen(app->public_url);
	while (len > 0 && app->public_url[len - 1] == '/')
		app->public_url[--len] = '\0';
	app->secure_cookies = strncmp(app->public_url, "https://", 8) == 0;
	{
		long max;

		rv = com_env_long("ORGA_IMPORT_MAX_BYTES",
		    (long)ORGA_IMPORT_DEFAULT_MAX_BYTES, 1024, LONG_MAX, &max);
		if (rv != COM_OK)
			return rv;
		app->import_max_bytes = max;
	}
	app->version = ORGA_VERSION;
	return COM_OK;
}

static com_err
orga_mkdir_run(const orga_app *app)
{
	char path[600];

	if (snprintf(path, sizeof(path), "%s", app->cfg.var_dir) >=
	    (int)sizeof(path))
		return COM_ETOOLARGE;
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return COM_EIO;
	if (snprintf(path, sizeof(path), "%s/run", app->cfg.var_dir) >=
	    (int)sizeof(path))
		return COM_ETOOLARGE;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return COM_EIO;
	return COM_OK;
}

/* orga_migrate_at_start applies pending migrations on a connection of its
 * own, waiting for PostgreSQL to come up. */
static com_err
orga_migrate_at_start(const orga_app *app)
{
	long wait_ms;
	int applied = 0;
	PGconn *conn;
	com_err rv;

	rv = com_env_long("ORGA_DB_WAIT_MS", 30000, 0, 3600000, &wait_ms);
	if (rv != COM_OK)
		return rv;
	rv = com_db_connect(app->cfg.database_url, (int)wait_ms, &conn);
	if (rv != COM_OK)
		return rv;
	rv = orga_migrate_run(conn,
	    com_env_str("ORGA_MIGRATIONS_DIR", "services/orga/migrations"),
	    &applied);
	PQfinish(conn);
	if (rv == COM_OK)
		com_log_notice("schema up to date (%d migration(s) applied)",
		    applied);
	return rv;
}

int
main(void)
{
	orga_app app;
	com_rpc_server *rpc = NULL;
	orga_http *http = NULL;
	sigset_t stop_signals;
	long pool_size;
	com_err rv;
	int sig = 0;

	memset(&app, 0, sizeof(app));
	com_log_init("orga");
	/* Block the stop signals before any thread starts, so only the
	 * sigwait below receives them. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	rv = com_secret_init();
	if (rv == COM_OK)
		rv = orga_app_settings(&app);
	if (rv == COM_OK)
		rv = com_env_long("ORGA_DB_POOL", 8, 1, 200, &pool_size);
	if (rv == COM_OK)
		rv = orga_mkdir_run(&app);
	if (rv == COM_OK)
		rv = orga_migrate_at_start(&app);
	if (rv == COM_OK)
		rv = com_db_pool_new(app.cfg.database_url, (int)pool_size,
		    &app.db);
	if (rv == COM_OK)
		rv = orga_notify_start(app.cfg.mailer_rpc_url,
		    app.cfg.importer_rpc_url, &app.notify);
	if (rv == COM_OK)
		rv = orga_gar_open(&app, &app.saml);
	if (rv == COM_OK)
		rv = orga_content_cache_new(&app.content);
	if (rv == COM_OK)
		rv = orga_rpc_start(&app, 4, &rpc);
	if (rv == COM_OK) {
		orga_account_init();
		rv = orga_http_start(&app, orga_http_tables, &http);
	}
	if (rv != COM_OK) {
		com_log_err("cannot start: %s", com_strerror(rv));
		goto out;
	}
	com_log_notice("orga %s ready: http://%s (public %s), rpc %s",
	    app.version, app.http_addr, app.public_url, app.cfg.orga_rpc_url);
	if (sigwait(&stop_signals, &sig) != 0)
		sig = 0;
	com_log_notice("stopping (signal %d)", sig);
out:
	orga_http_stop(http);
	com_rpc_server_stop(rpc);
	orga_saml_close(app.saml);
	orga_content_cache_free(app.content);
	orga_notify_stop(app.notify);
	com_db_pool_free(app.db);
	return rv == COM_OK ? 0 : 1;
}
