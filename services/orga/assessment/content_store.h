/*
 * content_store.h - the published versions of the content bundle: storing
 * a version as published (its files, hash, who and when), listing them,
 * and the in-memory cache of loaded versions (immutable, keyed by version
 * id, loaded once with orga_content_load from the stored files, kept for
 * the daemon's life). Thread-safe.
 */
#ifndef ORGA_CONTENT_STORE_H
#define ORGA_CONTENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "assessment/content.h"
#include "err.h"

/* Versions a daemon keeps loaded at most (each is a few MiB). */
#define ORGA_CONTENT_CACHE_MAX 64

typedef struct orga_content_cache orga_content_cache;

/* orga_content_cache_new / _free: an empty cache; _free(NULL) no-op. The
 * models handed out live until _free. */
com_err orga_content_cache_new(orga_content_cache **out) COM_MUSTCHECK;
void orga_content_cache_free(orga_content_cache *cache);

/*
 * orga_content_version_get returns the model of version id into *out
 * (borrowed from the cache, immutable, lives until the cache is freed),
 * reading and loading its files on db the first time. COM_ENOTFOUND when
 * there is no such version; COM_EINVAL when its stored files no longer
 * load (logged); COM_ETOOLARGE when the cache is full; database errors.
 */
com_err orga_content_version_get(orga_content_cache *cache, PGconn *db,
    int64_t id, const orga_content **out) COM_MUSTCHECK;

/* orga_content_latest writes the newest version's id; COM_ENOTFOUND when
 * nothing was ever published. */
com_err orga_content_latest(PGconn *db, int64_t *id) COM_MUSTCHECK;

/* What orga_content_publish did. */
typedef struct orga_content_published {
	int64_t id;                 /* the new version, or the equal one */
	bool created;               /* false: an equal bundle was there */
	char hash[ORGA_CONTENT_HASH_SIZE];
	size_t questions, parcours;
} orga_content_published;

/*
 * orga_content_publish checks files (n, borrowed) with orga_content_load
 * and stores them as a new version published by `by` (an operator's name,
 * 1-200 bytes), in one transaction, unless a version with the same hash
 * exists (then out->created is false and nothing is written). COM_EINVAL
 * or COM_ETOOLARGE when the bundle is refused (report, which may be NULL,
 * says why; nothing is stored); database errors.
 */
com_err orga_content_publish(orga_content_cache *cache, PGconn *db,
    const orga_content_file *files, size_t n, const char *by,
    orga_content_report *report, orga_content_published *out)
    COM_MUSTCHECK;

/* One published version as listed. */
typedef struct orga_content_version {
	int64_t id;
	char hash[ORGA_CONTENT_HASH_SIZE];
	char published_by[201];
	char published_at[40];      /* ISO 8601 UTC */
	int files, questions, parcours;
	int64_t bytes;
	int64_t assessments;        /* assessments that use it */
} orga_content_version;

/* orga_content_versions lists every version, newest first, into *out
 * (free() it) of *count entries. */
com_err orga_content_versions(PGconn *db, orga_content_version **out,
    int *count) COM_MUSTCHECK;

#endif
