/*
 * jobs.c - the importer's workers: each claims a job (lease.c), parses
 * its upload into staging (whole here, or in parts: parts.c), validates
 * and previews it, and applies confirmed jobs.
 */
#include "jobs.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "apply.h"
#include "db.h"
#include "lease.h"
#include "log.h"
#include "parts.h"
#include "pool.h"
#include "reader.h"
#include "siecle/report.h"
#include "siecle/zip.h"
#include "stage.h"
#include "upload.h"
#include "worker.h"

#define IMP_MAX_ATTEMPTS 5

static void
imp_worker_disconnect(imp_worker *w)
{
	PQfinish(w->ctl);
	w->ctl = NULL;
	for (int i = 0; i < IMP_MAX_PARSERS; i++) {
		imp_lane *l = &w->lanes[i];

		PQfinish(l->upload);
		PQfinish(l->rows);
		PQfinish(l->classes);
		l->upload = l->rows = l->classes = NULL;
	}
}

static bool
imp_conn_ok(PGconn *c)
{
	return c != NULL && PQstatus(c) == CONNECTION_OK;
}

static com_err
imp_worker_connect(imp_worker *w)
{
	const char *ci = w->jobs->cfg.conninfo;
	int parsers = w->jobs->cfg.parsers;
	com_err rv = COM_OK;
	bool ok = imp_conn_ok(w->ctl);

	for (int i = 0; ok && i < parsers; i++)
		ok = imp_conn_ok(w->lanes[i].upload) &&
		    imp_conn_ok(w->lanes[i].rows) &&
		    imp_conn_ok(w->lanes[i].classes);
	if (ok)
		return COM_OK;
	imp_worker_disconnect(w);
	rv = com_db_connect(ci, 0, &w->ctl);
	/* The joined file (apply.c's imp_file) of a large school stays in
	 * memory rather than going through temporary files. Only what a job
	 * uses is allocated. */
	if (rv == COM_OK)
		rv = com_db_exec(w->ctl, "SET temp_buffers = '256MB'", 0, NULL,
		    NULL);
	for (int i = 0; rv == COM_OK && i < parsers; i++) {
		rv = com_db_connect(ci, 0, &w->lanes[i].upload);
		if (rv == COM_OK)
			rv = com_db_connect(ci, 0, &w->lanes[i].rows);
		if (rv == COM_OK)
			rv = com_db_connect(ci, 0, &w->lanes[i].classes);
	}
	if (rv != COM_OK)
		imp_worker_disconnect(w);
	return rv;
}

/* imp_job_parse_whole streams the upload through one parser into
 * staging. */
static com_err
imp_job_parse_whole(imp_worker *w, imp_job *job, imp_report *report)
{
	imp_options opt;
	imp_stage stage;
	imp_progress pr;
	imp_siecle *p = NULL;
	com_err rv;
	size_t n;

	memset(&opt, 0, sizeof(opt));
	memset(&pr, 0, sizeof(pr));
	snprintf(opt.uai, sizeof(opt.uai), "%s", job->uai);
	opt.today = imp_today();
	opt.limits = w->jobs->cfg.limits;
	opt.report = report;
	opt.on_student = imp_stage_student;
	opt.on_class = imp_stage_class;
	opt.arg = &stage;
	pr.w = w;
	pr.job = job;
	pr.report = report;
	pr.renews = true;
	imp_upload_init(&pr.upload, w->lanes[0].upload, job->id, 0);
	clock_gettime(CLOCK_MONOTONIC, &pr.last);

	rv = imp_stage_open(&stage, w->lanes[0].rows, w->lanes[0].classes,
	    job->id, true);
	if (rv != COM_OK)
		return rv;
	rv = imp_siecle_new(&opt, &p);
	if (rv != COM_OK)
		goto out;
	if (job->zip) {
		rv = imp_zip_parse_reader(p, imp_job_read, &pr);
		if (rv == COM_EINVAL)
			rv = COM_OK; /* refused: the report says why */
	} else {
		for (;;) {
			void *room;

			/* Read straight into expat's own buffer. */
			rv = imp_siecle_buffer(p, IMP_CHUNK, &room);
			if (rv == COM_OK)
				rv = imp_job_read(&pr, room, IMP_CHUNK, &n);
			if (rv != COM_OK || n == 0)
				break;
			rv = imp_siecle_feed_buffer(p, n);
			if (rv != COM_OK)
				break;
		}
		if (rv == COM_EINVAL) {
			rv = COM_OK; /* refused: the report says why */
		} else if (rv == COM_OK) {
			rv = imp_siecle_finish(p);
			if (rv == COM_EINVAL)
				rv = COM_OK;
		}
	}
	imp_job_step(job, "file parsed");
	if (rv == COM_OK)
		rv = imp_job_uploaded(&pr);
	if (rv == COM_OK)
		rv = imp_job_renew(&pr);
out:
	{
		/* Kept even for a refused file: duplicate INEs are looked
		 * for among all its students; refused jobs drop them. */
		com_err rv2 = imp_stage_close(&stage, rv == COM_OK);

		if (rv == COM_OK)
			rv = rv2;
	}
	imp_job_step(job, "staged");
	imp_upload_fini(&pr.upload);
	imp_siecle_free(p);
	return rv;
}

/* imp_job_parse reads the upload into staging and the report: a bare
 * XML file in parts when the worker has several parsers. */
static com_err
imp_job_parse(imp_worker *w, imp_job *job, imp_report *report)
{
	bool again = false;
	com_err rv;

	if (!job->zip && w->jobs->cfg.parsers > 1) {
		rv = imp_parts_parse(w, job, report, &again);
		if (rv != COM_OK || !again)
			return rv;
		com_log_info("job %s: parsed again in one piece", job->idbuf);
		imp_report_fini(report);
		imp_report_init(report, w->jobs->cfg.limits.max_messages);
	}
	return imp_job_parse_whole(w, job, report);
}

/* imp_json_sentences: a JSON array of the sentences (caller frees). */
static char *
imp_json_sentences(char *const *list, size_t n)
{
	json_t *arr = json_array();
	char *s;

	if (arr == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(list[i]));
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* imp_job_record records a failed or validated job. */
static com_err
imp_job_record(imp_worker *w, imp_job *job, const imp_report *report,
    const imp_preview *pv, const char *status)
{
	char *errors = imp_json_sentences(report->errors, report->nerrors);
	char *skips = imp_json_sentences(report->skips, report->nskips);
	char nums[8][24];
	const char *params[13];
	PGresult *res = NULL;
	com_err rv;

	if (errors == NULL || skips == NULL) {
		free(errors);
		free(skips);
		return COM_ENOMEM;
	}
	snprintf(nums[0], 24, "%" PRId64, pv ? pv->to_add : 0);
	snprintf(nums[1], 24, "%" PRId64, pv ? pv->to_update : 0);
	snprintf(nums[2], 24, "%" PRId64, pv ? pv->unchanged : 0);
	snprintf(nums[3], 24, "%" PRId64, pv ? pv->to_deactivate : 0);
	snprintf(nums[4], 24, "%" PRIu64, report->skipped[IMP_SKIP_LEFT]);
	snprintf(nums[5], 24, "%" PRIu64,
	    report->skipped[IMP_SKIP_NOT_ARRIVED]);
	snprintf(nums[6], 24, "%" PRIu64, report->skipped[IMP_SKIP_NO_CLASS]);
	snprintf(nums[7], 24, "%" PRIu64, report->students);
	params[0] = job->idbuf;
	params[1] = status;
	params[2] = pv ? nums[0] : NULL;
	params[3] = pv ? nums[1] : NULL;
	params[4] = pv ? nums[2] : NULL;
	params[5] = pv ? nums[3] : NULL;
	params[6] = nums[4];
	params[7] = nums[5];
	params[8] = nums[6];
	params[9] = errors;
	params[10] = skips;
	params[11] = nums[7];
	params[12] = w->name;
	rv = com_db_exec(w->ctl,
	    "UPDATE import_jobs SET status = $2, to_add = $3, to_update = $4, "
	    "  unchanged = $5, to_deactivate = $6, skipped_left = $7, "
	    "  skipped_not_arrived = $8, skipped_no_class = $9, "
	    "  errors = $10::jsonb, skips = $11::jsonb, students_read = $12, "
	    "  updated_at = now(), "
	    "  finished_at = CASE WHEN $2 = 'failed' THEN now() END, "
	    /* Applying right away (auto_apply): this worker keeps the job. */
	    "  worker = CASE WHEN $2 = 'applying' THEN worker END, "
	    "  lease_until = CASE WHEN $2 = 'applying' THEN lease_until END "
	    /* Still ours: not cancelled meanwhile, nor taken over. */
	    "WHERE id = $1 AND worker = $13 "
	    "  AND status IN ('queued', 'validating', 'applying') "
	    "RETURNING 1",
	    13, params, &res);
	if (rv == COM_OK && PQntuples(res) != 1)
		rv = COM_ECONFLICT;
	PQclear(res);
	free(errors);
	free(skips);
	return rv;
}

/* imp_job_drop_upload deletes the uploaded chunks and the staging rows. */
static com_err
imp_job_drop_upload(PGconn *db, imp_job *job)
{
	const char *params[1] = {job->idbuf};
	com_err rv;

	rv = imp_apply_cleanup(db, job->id);
	if (rv == COM_OK)
		rv = com_db_exec(db,
		    "DELETE FROM import_chunks WHERE job_id = $1", 1, params,
		    NULL);
	return rv;
}

/*
 * The duplicate and skip checks of a staged file (apply.c), run on a
 * connection of their own: beside the apply of a job applied right away,
 * which commits only if they find nothing.
 */
typedef struct imp_checks {
	pthread_t thread;
	bool threaded;
	PGconn *db;
	imp_job *job;
	imp_report *report;
	com_err rv;
} imp_checks;

/* imp_checks_run adds the duplicate INEs, then (when there are none)
 * the students without a class, to report. */
static com_err
imp_checks_run(PGconn *db, imp_job *job, imp_report *report)
{
	com_err rv = imp_apply_duplicates(db, job->id, report);

	imp_job_step(job, "duplicates checked");
	if (rv == COM_OK && imp_report_ok(report))
		rv = imp_apply_skips(db, job->id, report);
	imp_job_step(job, "skips checked");
	return rv;
}

static void *
imp_checks_main(void *arg)
{
	imp_checks *ck = arg;

	ck->rv = imp_checks_run(ck->db, ck->job, ck->report);
	return NULL;
}

/* imp_checks_start runs the checks in a thread (or at once, when no
 * thread can be made). */
static void
imp_checks_start(imp_checks *ck, PGconn *db, imp_job *job,
    imp_report *report)
{
	memset(ck, 0, sizeof(*ck));
	ck->db = db;
	ck->job = job;
	ck->report = report;
	ck->threaded = pthread_create(&ck->thread, NULL, imp_checks_main,
	    ck) == 0;
	if (!ck->threaded)
		(void)imp_checks_main(ck);
}

/* imp_checks_wait: the checks' outcome, once they ended. */
static com_err
imp_checks_wait(imp_checks *ck)
{
	if (ck->threaded)
		pthread_join(ck->thread, NULL);
	ck->threaded = false;
	return ck->rv;
}

/*
 * imp_job_apply_tx applies the job in one transaction, if it is still
 * this worker's and applying. With ck (a job applied right away, its
 * checks running beside), it commits only once they found nothing, and
 * records their skips; *refused when they found errors (nothing changed:
 * the caller records them). The checks have ended when it returns.
 */
static com_err
imp_job_apply_tx(imp_worker *w, imp_job *job, imp_checks *ck,
    bool *refused)
{
	const char *params[2] = {job->idbuf, w->name};
	imp_preview done;
	PGresult *res = NULL;
	com_err rv;

	*refused = false;
	rv = com_db_begin(w->ctl);
	if (rv == COM_OK)
		rv = com_db_exec(w->ctl,
		    "SELECT 1 FROM import_jobs WHERE id = $1 AND worker = $2 "
		    "AND status = 'applying' FOR UPDATE",
		    2, params, &res);
	if (rv == COM_OK && PQntuples(res) != 1)
		rv = COM_ECONFLICT; /* cancelled, or taken by another */
	PQclear(res);
	if (rv == COM_OK)
		rv = imp_apply_run(w->ctl, job->id, job->org_id, &done);
	imp_job_step(job, "applied");
	if (ck != NULL) {
		com_err rv2 = imp_checks_wait(ck);

		if (rv2 != COM_OK) {
			if (rv == COM_OK)
				rv = rv2;
		} else if (!imp_report_ok(ck->report)) {
			/* Refused: what the apply made of the file (a
			 * duplicate INE breaks the unique index) is void. */
			*refused = true;
			rv = COM_OK;
		}
		if (rv == COM_OK && !*refused)
			rv = imp_job_record(w, job, ck->report, NULL,
			    "applying");
	}
	if (rv == COM_OK && !*refused) {
		com_db_id add = com_db_id_of(done.to_add);
		com_db_id update = com_db_id_of(done.to_update);
		com_db_id same = com_db_id_of(done.unchanged);
		com_db_id gone = com_db_id_of(done.to_deactivate);
		const char *up[5] = {job->idbuf, add.s, update.s, same.s,
		    gone.s};

		rv = com_db_exec(w->ctl,
		    "UPDATE import_jobs SET status = 'done', to_add = $2, "
		    "  to_update = $3, unchanged = $4, to_deactivate = $5, "
		    "  worker = NULL, lease_until = NULL, updated_at = now(), "
		    /* The end of the apply, not of its transaction's start. */
		    "  finished_at = clock_timestamp() WHERE id = $1",
		    5, up, NULL);
		if (rv == COM_OK)
			rv = imp_job_drop_upload(w->ctl, job);
		imp_job_step(job, "upload dropped");
		if (rv == COM_OK)
			rv = com_db_commit(w->ctl);
	}
	if (rv != COM_OK || *refused) {
		com_db_rollback(w->ctl);
		return rv;
	}
	com_log_info("job %s: applied (+%" PRId64 " ~%" PRId64 " -%" PRId64
	             ")",
	    job->idbuf, done.to_add, done.to_update, done.to_deactivate);
	return COM_OK;
}

/* imp_job_refuse records a refused file; nothing else changes. */
static com_err
imp_job_refuse(imp_worker *w, imp_job *job, const imp_report *report)
{
	com_err rv = imp_job_record(w, job, report, NULL, "failed");

	if (rv == COM_OK)
		rv = imp_job_drop_upload(w->ctl, job);
	com_log_info("job %s: refused (%" PRIu64 " errors)", job->idbuf,
	    report->errors_total);
	return rv;
}

/*
 * imp_job_validate parses and checks the file, then records it validated
 * (with its preview) or refused. A job applied right away is applied
 * here, its checks running beside the apply.
 */
static com_err
imp_job_validate(imp_worker *w, imp_job *job)
{
	imp_report report;
	imp_preview pv;
	imp_checks ck;
	bool refused = false;
	com_err rv;

	imp_report_init(&report, w->jobs->cfg.limits.max_messages);
	rv = imp_job_parse(w, job, &report);
	if (rv == COM_OK && job->auto_apply && imp_report_ok(&report)) {
		/* Shown as applying from now on; refused after all if the
		 * checks find errors. */
		rv = imp_job_record(w, job, &report, NULL, "applying");
		if (rv != COM_OK)
			goto out;
		com_log_info("job %s: %" PRIu64 " students read, applying",
		    job->idbuf, report.students);
		imp_checks_start(&ck, w->lanes[0].rows, job, &report);
		rv = imp_job_apply_tx(w, job, &ck, &refused);
		if (rv == COM_OK && refused)
			rv = imp_job_refuse(w, job, &report);
		goto out;
	}
	if (rv == COM_OK)
		rv = imp_checks_run(w->ctl, job, &report);
	if (rv != COM_OK)
		goto out;
	if (imp_report_ok(&report)) {
		rv = imp_apply_preview(w->ctl, job->id, job->org_id, &pv);
		if (rv == COM_OK)
			rv = imp_job_record(w, job, &report, &pv, "validated");
		com_log_info("job %s: valid, %" PRIu64 " students read",
		    job->idbuf, report.students);
	} else {
		rv = imp_job_refuse(w, job, &report);
	}
out:
	imp_report_fini(&report);
	return rv;
}

/*
 * imp_job_apply applies a confirmed job in one transaction. When the
 * staging rows are gone (PostgreSQL restarted: they are unlogged) the file
 * is validated and applied again.
 */
static com_err
imp_job_apply(imp_worker *w, imp_job *job)
{
	const char *params[1] = {job->idbuf};
	PGresult *res = NULL;
	bool refused;
	com_err rv;

	rv = com_db_exec(w->ctl,
	    "SELECT 1 FROM import_rows WHERE job_id = $1 LIMIT 1", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 0) {
		PQclear(res);
		com_log_notice("job %s: staging lost, validating again",
		    job->idbuf);
		job->auto_apply = true;
		return imp_job_validate(w, job);
	}
	PQclear(res);
	return imp_job_apply_tx(w, job, NULL, &refused);
}

/*
 * imp_job_forget drops what this worker left of a job that ended under it
 * (cancelled or failed during its upload): staging rows committed after
 * orga dropped the job's, and chunks.
 */
static void
imp_job_forget(imp_worker *w, imp_job *job)
{
	const char *params[1] = {job->idbuf};
	static const char *const drops[] = {
		"DELETE FROM import_rows WHERE job_id = $1",
		"DELETE FROM import_classes WHERE job_id = $1",
		"DELETE FROM import_chunks WHERE job_id = $1",
	};
	PGresult *res = NULL;

	if (com_db_exec(w->ctl,
	    "SELECT 1 FROM import_jobs WHERE id = $1 "
	    "AND status IN ('failed', 'cancelled')",
	    1, params, &res) != COM_OK || PQntuples(res) != 1) {
		PQclear(res);
		return; /* still running: another worker holds it */
	}
	PQclear(res);
	for (size_t i = 0; i < sizeof(drops) / sizeof(drops[0]); i++)
		if (com_db_exec(w->ctl, drops[i], 1, params, NULL) != COM_OK)
			com_log_warn("job %s: leftovers not dropped",
			    job->idbuf);
}

/* imp_job_give_up marks a job that keeps failing as failed. */
static void
imp_job_give_up(imp_worker *w, imp_job *job)
{
	const char *params[2] = {job->idbuf,
	    "[\"L'import n'a pas pu aboutir après plusieurs tentatives ; "
	    "la liste des élèves n'a pas été modifiée. Réessayez plus tard.\"]"};

	if (com_db_exec(w->ctl,
	        "UPDATE import_jobs SET status = 'failed', errors = $2::jsonb, "
	        "  worker = NULL, lease_until = NULL, finished_at = now(), "
	        "  updated_at = now() WHERE id = $1",
	        2, params, NULL) != COM_OK ||
	    imp_job_drop_upload(w->ctl, job) != COM_OK)
		com_log_warn("job %s: could not mark as failed", job->idbuf);
}


static void
imp_job_run(imp_worker *w, imp_job *job)
{
	imp_heartbeat hb;
	bool beating;
	char ctx[48];
	com_err rv;

	snprintf(ctx, sizeof(ctx), "job=%s", job->idbuf);
	com_log_set_context(ctx);
	if (job->attempts > IMP_MAX_ATTEMPTS) {
		imp_job_give_up(w, job);
		com_log_set_context(NULL);
		return;
	}
	beating = imp_heartbeat_start(&hb, w, job);
	if (job->applying)
		rv = imp_job_apply(w, job);
	else
		rv = imp_job_validate(w, job);
	if (beating)
		imp_heartbeat_stop(&hb);
	if (rv == COM_ECONFLICT)
		imp_job_forget(w, job);
	if (rv != COM_OK)
		/* The lease runs out and the job is taken again. */
		com_log_warn("job %s: interrupted: %s", job->idbuf,
		    com_strerror(rv));
	com_log_set_context(NULL);
}

static void *
imp_worker_main(void *arg)
{
	imp_worker *w = arg;
	unsigned long seen = 0;
	imp_job job;
	com_err rv;

	while (!imp_pool_stopping(w->jobs)) {
		rv = imp_worker_connect(w);
		if (rv == COM_OK)
			rv = imp_job_claim(w, &job);
		if (rv == COM_OK) {
			imp_job_run(w, &job);
			continue;
		}
		if (rv != COM_ENOTFOUND)
			com_log_warn("jobs: database unavailable, retrying");
		if (!imp_pool_idle(w->jobs, &seen, w->jobs->cfg.poll_ms))
			break;
	}
	imp_worker_disconnect(w);
	return NULL;
}

com_err
imp_jobs_start(const imp_jobs_config *cfg, imp_jobs **out)
{
	char host[64];
	imp_jobs *j;

	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return COM_ENOMEM;
	j->cfg = *cfg;
	j->workers = calloc((size_t)cfg->workers, sizeof(*j->workers));
	if (j->workers == NULL) {
		free(j);
		return COM_ENOMEM;
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->cond, NULL);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "importer");
	host[sizeof(host) - 1] = '\0';
	for (int i = 0; i < cfg->workers; i++) {
		imp_worker *w = &j->workers[i];

		w->jobs = j;
		snprintf(w->name, sizeof(w->name), "%s:%d:%d", host,
		    (int)getpid(), i);
		if (pthread_create(&w->thread, NULL, imp_worker_main, w) != 0) {
			imp_jobs_stop(j);
			return COM_EIO;
		}
		j->nthreads = i + 1;
	}
	*out = j;
	return COM_OK;
}

void
imp_jobs_wake(imp_jobs *j)
{
	if (j != NULL)
		imp_pool_wake(j);
}

void
imp_jobs_stop(imp_jobs *j)
{
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	j->stopping = true;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
	for (int i = 0; i < j->nthreads; i++)
		pthread_join(j->workers[i].thread, NULL);
	pthread_cond_destroy(&j->cond);
	pthread_mutex_destroy(&j->lock);
	free(j->workers);
	free(j);
}
