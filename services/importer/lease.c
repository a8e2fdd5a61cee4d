/* lease.c - claim import jobs, renew their lease (see lease.h). */
#include "lease.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db.h"
#include "deadline.h"
#include "log.h"

#define IMP_PROGRESS_EVERY_MS 1000

static long
imp_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* `ORGA_LOG_LEVEL=debug`: where an import's time goes. */
void
imp_job_step(const imp_job *job, const char *step)
{
	com_log_debug("job %s: %s at %ld ms", job->idbuf, step,
	    imp_ms_since(&job->claimed));
}

com_err
imp_job_claim(imp_worker *w, imp_job *job)
{
	char lease[16];
	const char *params[2] = {w->name, lease};
	PGresult *res;
	com_err rv;

	snprintf(lease, sizeof(lease), "%d", w->jobs->cfg.lease_ms);
	rv = com_db_exec(w->ctl,
	    "UPDATE import_jobs j SET "
	    "  status = CASE WHEN j.status = 'queued' THEN 'validating' "
	    "           ELSE j.status END, "
	    "  worker = $1, attempts = j.attempts + 1, updated_at = now(), "
	    "  lease_until = now() + $2::int * interval '1 millisecond' "
	    "FROM organizations o "
	    "WHERE o.id = j.organization_id AND j.id = ("
	    /* A file is parsed while it is uploaded. */
	    "  SELECT id FROM import_jobs "
	    "  WHERE status IN ('uploading', 'queued', 'validating', "
	    "    'applying') "
	    "    AND (lease_until IS NULL OR lease_until < now()) "
	    "  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
	    "RETURNING j.id, j.organization_id, o.uai, j.format, "
	    "  j.status, j.auto_apply, j.attempts",
	    2, params, &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return COM_ENOTFOUND;
	}
	memset(job, 0, sizeof(*job));
	job->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	job->org_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	snprintf(job->idbuf, sizeof(job->idbuf), "%" PRId64, job->id);
	snprintf(job->uai, sizeof(job->uai), "%s", PQgetvalue(res, 0, 2));
	job->zip = strcmp(PQgetvalue(res, 0, 3), "zip") == 0;
	job->applying = strcmp(PQgetvalue(res, 0, 4), "applying") == 0;
	job->auto_apply = PQgetvalue(res, 0, 5)[0] == 't';
	job->attempts = (int)strtol(PQgetvalue(res, 0, 6), NULL, 10);
	clock_gettime(CLOCK_MONOTONIC, &job->claimed);
	PQclear(res);
	return COM_OK;
}

com_err
imp_job_renew(imp_progress *pr)
{
	char lease[16], bytes[24], students[24];
	const char *params[5] = {pr->job->idbuf, pr->w->name, lease, bytes,
	    students};
	PGresult *res;
	com_err rv;

	snprintf(lease, sizeof(lease), "%d", pr->w->jobs->cfg.lease_ms);
	if (pr->split != NULL) {
		snprintf(bytes, sizeof(bytes), "%" PRIu64,
		    atomic_load(&pr->split->bytes));
		snprintf(students, sizeof(students), "%" PRIu64,
		    atomic_load(&pr->split->students));
	} else {
		snprintf(bytes, sizeof(bytes), "%" PRId64, pr->upload.offset);
		snprintf(students, sizeof(students), "%" PRIu64,
		    pr->report->students);
	}
	rv = com_db_exec(pr->w->ctl,
	    "UPDATE import_jobs SET progress_bytes = $4, "
	    "  students_read = $5, updated_at = now(), "
	    "  lease_until = now() + $3::int * interval '1 millisecond' "
	    "WHERE id = $1 AND worker = $2 RETURNING 1",
	    5, params, &res);
	if (rv != COM_OK)
		return rv;
	pr->lost = PQntuples(res) != 1;
	PQclear(res);
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
	return pr->lost ? COM_ECONFLICT : COM_OK;
}

com_err
imp_job_renew_due(imp_progress *pr)
{
	if (pr->renews && imp_ms_since(&pr->last) >= IMP_PROGRESS_EVERY_MS)
		return imp_job_renew(pr);
	return COM_OK;
}

static void
imp_heartbeat_renew(imp_heartbeat *hb, PGconn **conn)
{
	char lease[16];
	const char *params[3] = {hb->job->idbuf, hb->w->name, lease};

	if (*conn == NULL &&
	    com_db_connect(hb->w->jobs->cfg.conninfo, 0, conn) != COM_OK)
		return;
	snprintf(lease, sizeof(lease), "%d", hb->w->jobs->cfg.lease_ms);
	if (com_db_exec(*conn,
	        "UPDATE import_jobs SET "
	        "  lease_until = now() + $3::int * interval '1 millisecond' "
	        "WHERE id = $1 AND worker = $2",
	        3, params, NULL) != COM_OK) {
		PQfinish(*conn);
		*conn = NULL;
	}
}

static void *
imp_heartbeat_main(void *p)
{
	imp_heartbeat *hb = p;
	int period_ms = hb->w->jobs->cfg.lease_ms / 3;
	PGconn *conn = NULL;
	struct timespec until;

	pthread_mutex_lock(&hb->lock);
	while (!hb->stop) {
		until = com_deadline(CLOCK_REALTIME, period_ms);
		if (pthread_cond_timedwait(&hb->cond, &hb->lock, &until) == 0 ||
		    hb->stop)
			continue;
		pthread_mutex_unlock(&hb->lock);
		imp_heartbeat_renew(hb, &conn);
		pthread_mutex_lock(&hb->lock);
	}
	pthread_mutex_unlock(&hb->lock);
	PQfinish(conn);
	return NULL;
}

bool
imp_heartbeat_start(imp_heartbeat *hb, const imp_worker *w,
    const imp_job *job)
{
	memset(hb, 0, sizeof(*hb));
	hb->w = w;
	hb->job = job;
	pthread_mutex_init(&hb->lock, NULL);
	pthread_cond_init(&hb->cond, NULL);
	if (pthread_create(&hb->thread, NULL, imp_heartbeat_main, hb) != 0) {
		pthread_cond_destroy(&hb->cond);
		pthread_mutex_destroy(&hb->lock);
		return false;
	}
	return true;
}

void
imp_heartbeat_stop(imp_heartbeat *hb)
{
	pthread_mutex_lock(&hb->lock);
	hb->stop = true;
	pthread_cond_signal(&hb->cond);
	pthread_mutex_unlock(&hb->lock);
	pthread_join(hb->thread, NULL);
	pthread_cond_destroy(&hb->cond);
	pthread_mutex_destroy(&hb->lock);
}
