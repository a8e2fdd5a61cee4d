/* migrate.c - versioned SQL migrations. */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "log.h"

#define ORGA_MIGRATE_LOCK "7341001" /* advisory lock key, arbitrary */
#define ORGA_MIGRATE_MAX_FILE (4u * 1024u * 1024u)
#define ORGA_MIGRATE_MAX_FILES 1000

static int
orga_migrate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static com_err
orga_migrate_read(const char *path, com_buf *out)
{
	char chunk[8192];
	com_err rv = COM_OK;
	size_t n;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return COM_EIO;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rv = com_buf_append(out, chunk, n);
		if (rv != COM_OK)
			break;
	}
	if (rv == COM_OK && ferror(f))
		rv = COM_EIO;
	fclose(f);
	return rv;
}

/* orga_migrate_list returns the sorted *.sql names of dir (malloc'd). */
static com_err
orga_migrate_list(const char *dir, char ***out, int *count)
{
	char **names = NULL;
	struct dirent *de;
	com_err rv = COM_OK;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		com_log_err("migrate: cannot open %s: %s", dir,
		    strerror(errno));
		return COM_EIO;
	}
	names = calloc(ORGA_MIGRATE_MAX_FILES, sizeof(*names));
	if (names == NULL) {
		closedir(d);
		return COM_ENOMEM;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (n == ORGA_MIGRATE_MAX_FILES) {
			rv = COM_ETOOLARGE;
			break;
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL) {
			rv = COM_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rv != COM_OK) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return rv;
	}
	qsort(names, (size_t)n, sizeof(*names), orga_migrate_cmp);
	*out = names;
	*count = n;
	return COM_OK;
}

/* orga_migrate_apply runs one file in its own transaction. */
static com_err
orga_migrate_apply(PGconn *db, const char *dir, const char *name)
{
	const char *params[1] = {name};
	char path[1024];
	PGresult *res;
	com_buf sql;
	com_err rv;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return COM_ETOOLARGE;
	com_buf_init(&sql, ORGA_MIGRATE_MAX_FILE);
	rv = orga_migrate_read(path, &sql);
	if (rv != COM_OK)
		goto out;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		goto out;
	/* Our own file, several statements: the simple query protocol. */
	res = PQexec(db, com_buf_str(&sql));
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		com_log_err("migrate: %s failed: %s", name,
		    PQresultErrorMessage(res));
		PQclear(res);
		com_db_rollback(db);
		rv = COM_EDB;
		goto out;
	}
	PQclear(res);
	rv = com_db_exec(db,
	    "INSERT INTO schema_migrations (version) VALUES ($1)", 1, params,
	    NULL);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	if (rv != COM_OK)
		com_db_rollback(db);
	else
		com_log_notice("migrate: applied %s", name);
out:
	com_buf_fini(&sql);
	return rv;
}

com_err
orga_migrate_run(PGconn *db, const char *dir, int *applied)
{
	char **names = NULL;
	PGresult *res = NULL;
	com_err rv;
	int count = 0;
	int done = 0;

	rv = com_db_exec(db,
	    "SELECT pg_advisory_lock(" ORGA_MIGRATE_LOCK ")", 0, NULL, NULL);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(db,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version text PRIMARY KEY, "
	    "applied_at timestamptz NOT NULL DEFAULT now())",
	    0, NULL, NULL);
	if (rv != COM_OK)
		goto out;
	rv = orga_migrate_list(dir, &names, &count);
	if (rv != COM_OK)
		goto out;
	rv = com_db_exec(db, "SELECT version FROM schema_migrations", 0, NULL,
	    &res);
	if (rv != COM_OK)
		goto out;
	for (int i = 0; i < count; i++) {
		bool known = false;

		for (int r = 0; r < PQntuples(res) && !known; r++)
			known = strcmp(PQgetvalue(res, r, 0), names[i]) == 0;
		if (known)
			continue;
		rv = orga_migrate_apply(db, dir, names[i]);
		if (rv != COM_OK)
			goto out;
		done++;
	}
	*applied = done;
out:
	PQclear(res);
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (com_db_exec(db, "SELECT pg_advisory_unlock(" ORGA_MIGRATE_LOCK ")",
	        0, NULL, NULL) != COM_OK)
		com_log_warn("migrate: could not release the advisory lock");
	return rv;
}
