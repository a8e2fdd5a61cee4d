/*
 * jobs.h - the importer's work loop: claims import jobs from PostgreSQL
 * (SELECT ... FOR UPDATE SKIP LOCKED, with a lease so a crashed importer's
 * job is taken over), validates the uploaded file into staging tables and
 * a preview, and applies confirmed jobs in one transaction. Several
 * importer daemons, and several workers in one, share the jobs.
 */
#ifndef IMP_JOBS_H
#define IMP_JOBS_H

#include "err.h"
#include "siecle/siecle.h"

/* Parsers one bare XML file may use at once (imp_jobs_config.parsers). */
#define IMP_MAX_PARSERS 4

typedef struct imp_jobs_config {
	const char *conninfo;  /* borrowed; must outlive the workers */
	int workers;           /* threads, each with its own connections */
	int parsers;           /* 1..IMP_MAX_PARSERS parsers per XML file */
	int part_chunks;       /* chunks (1 MiB) per part of a file parsed
	                        * in parts (parts.c) */
	int poll_ms;           /* look for jobs at least this often */
	int lease_ms;          /* a job not renewed for this long is retaken */
	imp_limits limits;
} imp_jobs_config;

typedef struct imp_jobs imp_jobs;

/* imp_jobs_start starts cfg->workers threads. Stop with imp_jobs_stop. */
com_err imp_jobs_start(const imp_jobs_config *cfg, imp_jobs **out)
    COM_MUSTCHECK;

/* imp_jobs_wake makes idle workers look for jobs now; never blocks. */
void imp_jobs_wake(imp_jobs *j);

/*
 * imp_jobs_stop asks the workers to stop, waits for them (a job in flight
 * is abandoned: its lease expires and it is taken again), frees j.
 */
void imp_jobs_stop(imp_jobs *j);

#endif
