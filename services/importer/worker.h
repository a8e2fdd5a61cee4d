/*
 * worker.h - what the importer's job loop (jobs.c), its parse of a file
 * in parts (parts.c), the upload reader (reader.c), the lease (lease.c)
 * and the wake-ups (pool.c) share: the workers, their connections, the
 * job one holds and the progress of its upload's reading. Types only.
 * Internal to the importer.
 */
#ifndef IMP_WORKER_H
#define IMP_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
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

/*
 * What the readers of a file parsed in parts share (parts.c owns it):
 * the progress of all its lanes, and whether a part is still needed,
 * which parts.c answers under its lock. The reader and the lease read
 * it without calling into parts.c.
 */
typedef struct imp_split_share {
	_Atomic uint64_t bytes;     /* read by all lanes */
	_Atomic uint64_t students;
	bool (*stopped)(struct imp_split_share *sh, int32_t part);
} imp_split_share;

/* Progress reporting while the file is read. */
typedef struct imp_progress {
	imp_worker *w;
	imp_job *job;
	imp_upload upload;
	imp_report *report;
	imp_split_share *split; /* parsed in parts: the lanes' share, or NULL */
	int32_t part;         /* the part this reader reads (split) */
	bool renews;          /* renews the lease (one reader per job) */
	struct timespec last;
	bool lost;            /* the lease went to another importer */
} imp_progress;

#endif
