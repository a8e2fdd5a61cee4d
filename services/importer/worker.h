/*
 * worker.h - what the importer's job loop (jobs.c) and its parse of a
 * file in parts (parts.c) share: a worker, its connections, the job it
 * holds and the reader of its upload. Internal to the importer.
 */
#ifndef IMP_WORKER_H
#define IMP_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <libpq-fe.h>

#include "err.h"
#include "jobs.h"
#include "siecle/report.h"
#include "upload.h"
#include "validate.h"

/* Bytes handed to the parser at a time. */
#define IMP_CHUNK (64u * 1024u)

struct imp_jobs {
	imp_jobs_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
	unsigned long wakeups;
	int nthreads;
	struct imp_worker *workers;
};

/* The connections one parser of a file uses. */
typedef struct imp_lane {
	PGconn *upload;       /* upload reads (a statement ahead) */
	PGconn *rows;         /* COPY import_rows */
	PGconn *classes;      /* COPY import_classes */
} imp_lane;

typedef struct imp_worker {
	imp_jobs *jobs;
	pthread_t thread;
	char name[128];       /* host:pid:index, written in import_jobs.worker */
	PGconn *ctl;          /* job rows, progress, checks, apply */
	imp_lane lanes[IMP_MAX_PARSERS]; /* cfg.parsers of them connected */
} imp_worker;

typedef struct imp_job {
	int64_t id;
	int64_t org_id;
	char idbuf[24];
	char uai[COM_UAI_SIZE];
	bool zip;
	bool applying;        /* claimed to apply (confirmed) */
	bool auto_apply;
	int attempts;
	struct timespec claimed; /* for the debug trace of its steps */
} imp_job;

typedef struct imp_split imp_split; /* parts.c */

/* Progress reporting while the file is read. */
typedef struct imp_progress {
	imp_worker *w;
	imp_job *job;
	imp_upload upload;
	imp_report *report;
	imp_split *split;     /* parsed in parts: the shared state, or NULL */
	int32_t part;         /* the part this reader reads (split) */
	bool renews;          /* renews the lease (one reader per job) */
	struct timespec last;
	bool lost;            /* the lease went to another importer */
} imp_progress;

/* imp_job_step traces a step of the job at debug level (ms since the
 * claim). */
void imp_job_step(const imp_job *job, const char *step);

/*
 * imp_job_peek lends the next unread bytes of pr's upload, waiting for
 * the client when they are not uploaded yet; the lease is renewed on the
 * way when pr->renews. COM_EBUSY when the importer stops, or when the
 * split parse pr serves no longer needs them.
 */
com_err imp_job_peek(imp_progress *pr, imp_upload_span *span) COM_MUSTCHECK;

/* imp_job_uploaded waits until the client has sent the whole file. */
com_err imp_job_uploaded(imp_progress *pr) COM_MUSTCHECK;

/* imp_worker_wake wakes every nap of w's importer (imp_jobs_wake). */
void imp_worker_wake(imp_worker *w);

/* imp_job_renew extends the lease and publishes progress now. */
com_err imp_job_renew(imp_progress *pr) COM_MUSTCHECK;

#endif
