/*
 * content_store.c - published content versions in PostgreSQL and the
 * cache of their loaded models.
 */
#include "assessment/content_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "str.h"

#define STORE_ISO(col)                                                     \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

typedef struct store_entry {
	int64_t id;
	orga_content *model;
} store_entry;

struct orga_content_cache {
	pthread_mutex_t lock;
	store_entry entries[ORGA_CONTENT_CACHE_MAX];
	size_t n;
};

com_err
orga_content_cache_new(orga_content_cache **out)
{
	orga_content_cache *cache = calloc(1, sizeof(*cache));

	if (cache == NULL)
		return COM_ENOMEM;
	pthread_mutex_init(&cache->lock, NULL);
	*out = cache;
	return COM_OK;
}

void
orga_content_cache_free(orga_content_cache *cache)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < cache->n; i++)
		orga_content_free(cache->entries[i].model);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

/* store_find: the model of id, or NULL; the caller holds the lock. */
static const orga_content *
store_find(const orga_content_cache *cache, int64_t id)
{
	for (size_t i = 0; i < cache->n; i++)
		if (cache->entries[i].id == id)
			return cache->entries[i].model;
	return NULL;
}

/*
 * store_keep adds model as version id (taking ownership) and writes the
 * cached one into *out: when another thread loaded it meanwhile, model is
 * freed and theirs is kept.
 */
static com_err
store_keep(orga_content_cache *cache, int64_t id, orga_content *model,
    const orga_content **out)
{
	const orga_content *have;
	com_err rv = COM_OK;

	pthread_mutex_lock(&cache->lock);
	have = store_find(cache, id);
	if (have != NULL) {
		orga_content_free(model);
		*out = have;
	} else if (cache->n == ORGA_CONTENT_CACHE_MAX) {
		orga_content_free(model);
		rv = COM_ETOOLARGE;
	} else {
		cache->entries[cache->n].id = id;
		cache->entries[cache->n].model = model;
		cache->n++;
		*out = model;
	}
	pthread_mutex_unlock(&cache->lock);
	return rv;
}

/* store_load reads version id's files and loads them (binary rows). */
static com_err
store_load(PGconn *db, int64_t id, orga_content **out)
{
	com_db_id vid = com_db_id_of(id);
	const char *params[1] = {vid.s};
	orga_content_file *files = NULL;
	orga_content_report report;
	orga_content *model = NULL;
	PGresult *res = NULL, *ver = NULL;
	int n;
	com_err rv;

	orga_content_report_init(&report);
	rv = com_db_one(db, "SELECT hash FROM content_versions WHERE id = $1",
	    1, params, &ver);
	if (rv != COM_OK)
		goto out;
	rv = com_db_exec_binary(db,
	    "SELECT name, data FROM content_files WHERE version_id = $1 "
	    "ORDER BY name",
	    1, params, NULL, NULL, 1, &res);
	if (rv != COM_OK)
		goto out;
	n = PQntuples(res);
	files = calloc(n > 0 ? (size_t)n : 1, sizeof(*files));
	if (files == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		/* Binary text is its bytes; names are stored NUL-free. */
		files[i].name = PQgetvalue(res, i, 0);
		files[i].data = PQgetvalue(res, i, 1);
		files[i].len = (size_t)PQgetlength(res, i, 1);
	}
	rv = orga_content_load(files, (size_t)n, &model, &report);
	if (rv == COM_EINVAL || rv == COM_ETOOLARGE) {
		com_log_err("content: version %lld no longer loads (%zu errors)",
		    (long long)id, report.n + report.dropped);
		rv = COM_EINVAL;
		goto out;
	}
	if (rv != COM_OK)
		goto out;
	if (strcmp(model->hash, com_db_value(ver, 0, 0)) != 0)
		com_log_warn("content: version %lld loads with another hash",
		    (long long)id);
	*out = model;
	model = NULL;
out:
	orga_content_free(model);
	orga_content_report_fini(&report);
	free(files);
	PQclear(res);
	PQclear(ver);
	return rv;
}

com_err
orga_content_version_get(orga_content_cache *cache, PGconn *db, int64_t id,
    const orga_content **out)
{
	const orga_content *have;
	orga_content *model = NULL;
	com_err rv;

	pthread_mutex_lock(&cache->lock);
	have = store_find(cache, id);
	pthread_mutex_unlock(&cache->lock);
	if (have != NULL) {
		*out = have;
		return COM_OK;
	}
	rv = store_load(db, id, &model);
	if (rv != COM_OK)
		return rv;
	return store_keep(cache, id, model, out);
}

com_err
orga_content_latest(PGconn *db, int64_t *id)
{
	PGresult *res;
	com_err rv;

	rv = com_db_one(db,
	    "SELECT id FROM content_versions ORDER BY id DESC LIMIT 1", 0, NULL,
	    &res);
	if (rv != COM_OK)
		return rv;
	rv = com_db_i64(res, 0, 0, id);
	PQclear(res);
	return rv;
}

/* store_existing: the id of the version of hash into *id, or
 * COM_ENOTFOUND. */
static com_err
store_existing(PGconn *db, const char *hash, int64_t *id)
{
	const char *params[1] = {hash};
	PGresult *res;
	com_err rv;

	rv = com_db_one(db, "SELECT id FROM content_versions WHERE hash = $1",
	    1, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = com_db_i64(res, 0, 0, id);
	PQclear(res);
	return rv;
}

/* store_insert writes a version and its files; the caller's transaction. */
static com_err
store_insert(PGconn *db, const orga_content *model,
    const orga_content_file *files, size_t n, const char *by, int64_t *id)
{
	char nfiles[16], nq[16], np[16], bytes[24];
	const char *params[6] = {model->hash, by, nfiles, bytes, nq, np};
	size_t total = 0;
	PGresult *res;
	com_db_id vid;
	com_err rv;

	for (size_t i = 0; i < n; i++)
		total += files[i].len;
	snprintf(nfiles, sizeof(nfiles), "%zu", n);
	snprintf(bytes, sizeof(bytes), "%zu", total);
	snprintf(nq, sizeof(nq), "%zu", model->nquestions);
	snprintf(np, sizeof(np), "%zu", model->nparcours);
	rv = com_db_one(db,
	    "INSERT INTO content_versions (hash, published_by, files, bytes, "
	    "  questions, parcours) VALUES ($1, $2, $3, $4, $5, $6) "
	    "RETURNING id",
	    6, params, &res);
	if (rv != COM_OK)
		return rv;
	rv = com_db_i64(res, 0, 0, id);
	PQclear(res);
	if (rv != COM_OK)
		return rv;
	vid = com_db_id_of(*id);
	for (size_t i = 0; i < n && rv == COM_OK; i++) {
		const char *fp[3] = {vid.s, files[i].name, files[i].data};
		const int lengths[3] = {0, 0, (int)files[i].len};
		const int formats[3] = {0, 0, 1};

		rv = com_db_exec_binary(db,
		    "INSERT INTO content_files (version_id, name, data) "
		    "VALUES ($1, $2, $3)",
		    3, fp, lengths, formats, 0, NULL);
	}
	return rv;
}

com_err
orga_content_publish(orga_content_cache *cache, PGconn *db,
    const orga_content_file *files, size_t n, const char *by,
    orga_content_report *report, orga_content_published *out)
{
	orga_content *model = NULL;
	const orga_content *kept;
	int64_t id = 0;
	com_err rv;

	memset(out, 0, sizeof(*out));
	rv = orga_content_load(files, n, &model, report);
	if (rv != COM_OK)
		return rv;
	memcpy(out->hash, model->hash, sizeof(out->hash));
	out->questions = model->nquestions;
	out->parcours = model->nparcours;
	rv = store_existing(db, model->hash, &id);
	if (rv == COM_OK) {
		out->id = id;
		goto out;
	}
	if (rv != COM_ENOTFOUND)
		goto out;
	rv = com_db_begin(db);
	if (rv != COM_OK)
		goto out;
	rv = store_insert(db, model, files, n, by, &id);
	if (rv == COM_OK)
		rv = com_db_commit(db);
	else
		com_db_rollback(db);
	if (rv == COM_EEXIST) {
		/* Published by someone else meanwhile: that one stands. */
		rv = store_existing(db, model->hash, &id);
		if (rv == COM_OK)
			out->id = id;
		goto out;
	}
	if (rv != COM_OK)
		goto out;
	out->id = id;
	out->created = true;
	rv = store_keep(cache, id, model, &kept);
	model = NULL;
	if (rv == COM_ETOOLARGE)
		rv = COM_OK;  /* stored; loaded again when asked */
out:
	orga_content_free(model);
	return rv;
}

/* store_int: column col of row as an integer, 0 when not one. */
static int64_t
store_int(const PGresult *res, int row, int col)
{
	int64_t v;

	return com_db_i64(res, row, col, &v) == COM_OK ? v : 0;
}

static void
store_version_row(const PGresult *res, int row, void *dst)
{
	orga_content_version *v = dst;

	v->id = store_int(res, row, 0);
	if (com_str_copy(v->hash, sizeof(v->hash), com_db_value(res, row, 1)) !=
	    COM_OK)
		v->hash[0] = '\0';
	if (com_str_copy(v->published_by, sizeof(v->published_by),
	        com_db_value(res, row, 2)) != COM_OK)
		v->published_by[0] = '\0';
	if (com_str_copy(v->published_at, sizeof(v->published_at),
	        com_db_value(res, row, 3)) != COM_OK)
		v->published_at[0] = '\0';
	v->files = (int)store_int(res, row, 4);
	v->bytes = store_int(res, row, 5);
	v->questions = (int)store_int(res, row, 6);
	v->parcours = (int)store_int(res, row, 7);
	v->assessments = store_int(res, row, 8);
}

com_err
orga_content_versions(PGconn *db, orga_content_version **out, int *count)
{
	return com_db_rows(db,
	    "SELECT v.id, v.hash, v.published_by, " STORE_ISO("v.published_at")
	    ", v.files, v.bytes, v.questions, v.parcours, "
	    "  (SELECT count(*) FROM assessments a "
	    "   WHERE a.content_version_id = v.id) "
	    "FROM content_versions v ORDER BY v.id DESC",
	    0, NULL, sizeof(orga_content_version), store_version_row,
	    (void **)out, count);
}
