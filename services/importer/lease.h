/*
 * lease.h - an import job's lease in import_jobs (worker, lease_until):
 * the claim that takes a due job, the renewals that publish its progress,
 * and the heartbeat thread that keeps it through long SQL steps, so that
 * a crashed importer's job is simply taken again once its lease runs
 * out. Internal to the importer.
 */
#ifndef IMP_LEASE_H
#define IMP_LEASE_H

#include <pthread.h>
#include <stdbool.h>

#include "err.h"
#include "worker.h"

/*
 * imp_job_claim takes the oldest due job for w (on w->ctl) into *job:
 * queued, or running with its lease run out. COM_ENOTFOUND when none,
 * COM_EDB when the database fails.
 */
com_err imp_job_claim(imp_worker *w, imp_job *job) COM_MUSTCHECK;

/*
 * imp_job_renew extends pr's job's lease and publishes its progress now
 * (on pr->w->ctl). COM_ECONFLICT (and pr->lost) when the lease went to
 * another importer, COM_EDB when the database fails.
 */
com_err imp_job_renew(imp_progress *pr) COM_MUSTCHECK;

/* imp_job_renew_due is imp_job_renew when pr renews the lease and last
 * did more than a second ago; else COM_OK. */
com_err imp_job_renew_due(imp_progress *pr) COM_MUSTCHECK;

/* imp_job_step traces a step of the job at debug level (ms since the
 * claim). */
void imp_job_step(const imp_job *job, const char *step);

/*
 * While a worker runs a job, a heartbeat thread renews the job's lease on
 * a connection of its own every third of the lease, so long SQL steps
 * (preview, apply) never lose it. Embedded in its caller's frame.
 */
typedef struct imp_heartbeat {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	const imp_worker *w;  /* borrowed, as job: both outlive the beat */
	const imp_job *job;
} imp_heartbeat;

/* imp_heartbeat_start starts renewing job's lease; false if it cannot
 * (no thread: the job runs without it). */
bool imp_heartbeat_start(imp_heartbeat *hb, const imp_worker *w,
    const imp_job *job);

/* imp_heartbeat_stop stops the beat and waits for its thread. */
void imp_heartbeat_stop(imp_heartbeat *hb);

#endif
