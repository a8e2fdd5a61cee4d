/* jobs.c - claim, validate, preview and apply import jobs. */
#include "jobs.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
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
#include "log.h"
#include "report.h"
#include "segment.h"
#include "stage.h"
#include "upload.h"
#include "zip.h"

#define IMP_CHUNK (64u * 1024u)
#define IMP_MAX_ATTEMPTS 5
#define IMP_PROGRESS_EVERY_MS 1000
/* How often a file still being uploaded is looked at again. */
#define IMP_UPLOAD_POLL_MS 20

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

typedef struct imp_split imp_split;

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

/*
 * A bare XML file parsed in parts at once, one parser per lane (see
 * segment.h). Part k starts at the first cut in chunk k * part_chunks (a
 * part without one is empty: the part before reads on) and ends at the
 * next part's start. Parts are merged into the job's report in file
 * order. Anything a part cannot decide alone (a refused file, a wrong
 * cut, a limit) makes the whole file parsed again in one piece, which
 * says it as usual.
 */
typedef struct imp_part {
	struct imp_part *next; /* finished parts waiting for their turn */
	int32_t index;
	imp_report report;
	bool empty;            /* no cut in its first chunk */
	bool past_end;         /* the file ended before it */
	bool last;             /* holds the end of the file */
	bool again;            /* the file must be parsed in one piece */
} imp_part;

struct imp_split {
	imp_worker *w;
	imp_job *job;
	imp_report *report;    /* merged parts, in file order */
	int32_t part_chunks;
	pthread_mutex_t lock;
	pthread_cond_t cond;   /* a part done, the prologue known, a stop */
	int32_t next_part;     /* the next part a lane takes */
	int32_t merged;        /* parts merged so far */
	int32_t end_part;      /* the part holding the end (INT32_MAX) */
	int32_t beyond;        /* a part found past the end (INT32_MAX) */
	bool end_merged;       /* every part up to end_part is merged */
	imp_part *waiting;     /* finished parts, sorted by index */
	char prologue[256];    /* the file's XML declaration */
	size_t prologue_len;
	bool prologue_known;
	bool again;            /* parse the file in one piece */
	com_err fail;          /* the first failure stops every lane */
	_Atomic uint64_t bytes;    /* progress of all lanes */
	_Atomic uint64_t students;
};

static long
imp_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* imp_job_step traces a step of the job at debug level, in ms since the
 * claim (`ORGA_LOG_LEVEL=debug`: where an import's time goes). */
static void
imp_job_step(const imp_job *job, const char *step)
{
	com_log_debug("job %s: %s at %ld ms", job->idbuf, step,
	    imp_ms_since(&job->claimed));
}

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

/* imp_job_claim takes the oldest due job; COM_ENOTFOUND when none. */
static com_err
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

/* imp_job_renew extends the lease and publishes progress. */
static com_err
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

static bool
imp_jobs_stopping(imp_jobs *j)
{
	bool s;

	pthread_mutex_lock(&j->lock);
	s = j->stopping;
	pthread_mutex_unlock(&j->lock);
	return s;
}

/*
 * imp_job_tick renews the lease when due; COM_EBUSY when the importer is
 * stopping (the job is abandoned: its lease runs out, another takes it).
 */
static bool imp_split_stopped(imp_split *sp, int32_t part);
static bool imp_split_stopped_locked(imp_split *sp, int32_t part);

static com_err
imp_job_tick(imp_progress *pr)
{
	if (imp_jobs_stopping(pr->w->jobs))
		return COM_EBUSY;
	if (pr->split != NULL && imp_split_stopped(pr->split, pr->part))
		return COM_EBUSY;
	if (pr->renews && imp_ms_since(&pr->last) >= IMP_PROGRESS_EVERY_MS)
		return imp_job_renew(pr);
	return COM_OK;
}

/* imp_job_nap waits a little for the client; a split parse's lanes are
 * woken early when their work is no longer needed. */
static void
imp_job_nap(imp_progress *pr)
{
	struct timespec ts = {0, IMP_UPLOAD_POLL_MS * 1000000L};

	if (pr->split == NULL) {
		nanosleep(&ts, NULL);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += IMP_UPLOAD_POLL_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&pr->split->lock);
	if (!imp_split_stopped_locked(pr->split, pr->part))
		pthread_cond_timedwait(&pr->split->cond, &pr->split->lock,
		    &ts);
	pthread_mutex_unlock(&pr->split->lock);
}

/* imp_job_read hands the parser (or the zip reader) the next chunk,
 * waiting for the client when it is not uploaded yet. */
static com_err
imp_job_read(void *arg, void *buf, size_t cap, size_t *n)
{
	imp_progress *pr = arg;
	com_err rv;

	for (;;) {
		rv = imp_job_tick(pr);
		if (rv != COM_OK)
			return rv;
		rv = imp_upload_read(&pr->upload, buf, cap, n);
		if (rv != COM_EBUSY)
			return rv;
		imp_job_nap(pr);
	}
}

/* imp_job_peek lends the next unread bytes, waiting for the client when
 * they are not uploaded yet. */
static com_err
imp_job_peek(imp_progress *pr, imp_upload_span *span)
{
	com_err rv;

	for (;;) {
		rv = imp_job_tick(pr);
		if (rv != COM_OK)
			return rv;
		rv = imp_upload_peek(&pr->upload, span);
		if (rv != COM_EBUSY)
			return rv;
		imp_job_nap(pr);
	}
}

/* imp_job_uploaded waits until the client has sent the whole file: a
 * job's outcome is recorded only then. */
static com_err
imp_job_uploaded(imp_progress *pr)
{
	com_err rv;

	for (;;) {
		rv = imp_job_tick(pr);
		if (rv != COM_OK)
			return rv;
		rv = imp_upload_finished(&pr->upload);
		if (rv != COM_EBUSY)
			return rv;
		imp_job_nap(pr);
	}
}

/* Under sp->lock: part's work is no longer needed. */
static bool
imp_split_stopped_locked(imp_split *sp, int32_t part)
{
	return sp->fail != COM_OK || sp->again || part > sp->end_part ||
	    part >= sp->beyond;
}

static bool
imp_split_stopped(imp_split *sp, int32_t part)
{
	bool stopped;

	pthread_mutex_lock(&sp->lock);
	stopped = imp_split_stopped_locked(sp, part);
	pthread_mutex_unlock(&sp->lock);
	return stopped;
}

/* One lane of a split parse: its connections and its staging COPYs. */
typedef struct imp_lane_run {
	imp_split *sp;
	imp_lane *lane;
	imp_stage stage;
	bool renews;             /* the first lane renews the lease */
	struct timespec last;    /* its last renewal */
	pthread_t thread;
} imp_lane_run;

/* imp_split_prologue waits until the first part found the file's XML
 * declaration; COM_EBUSY when part is no longer needed. */
static com_err
imp_split_prologue(imp_split *sp, int32_t part)
{
	com_err rv = COM_OK;

	pthread_mutex_lock(&sp->lock);
	while (!sp->prologue_known && !imp_split_stopped_locked(sp, part))
		pthread_cond_wait(&sp->cond, &sp->lock);
	if (!sp->prologue_known)
		rv = COM_EBUSY;
	pthread_mutex_unlock(&sp->lock);
	return rv;
}

/* imp_split_publish_prologue: the first part's view of the file head. */
static void
imp_split_publish_prologue(imp_split *sp, const imp_upload_span *head)
{
	size_t len;

	pthread_mutex_lock(&sp->lock);
	if (imp_cut_prologue(head->data, head->len, &len) &&
	    len <= sizeof(sp->prologue)) {
		memcpy(sp->prologue, head->data, len);
		sp->prologue_len = len;
		sp->prologue_known = true;
	} else {
		sp->again = true;
	}
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
}

/*
 * imp_part_begin opens part's parser at its start: the file's start for
 * the first part, else the cut in its first chunk (none: part is empty).
 * *p NULL when there is nothing to parse.
 */
static com_err
imp_part_begin(imp_lane_run *lr, imp_part *part, imp_progress *pr,
    imp_siecle **p)
{
	imp_split *sp = lr->sp;
	imp_options opt;
	imp_upload_span span;
	imp_cut_parent parent = IMP_CUT_ELEVES;
	size_t at = 0;
	com_err rv;

	*p = NULL;
	rv = imp_job_peek(pr, &span);
	if (rv != COM_OK)
		return rv;
	if (span.len == 0) {
		/* An empty file is said by the parse in one piece. */
		part->past_end = true;
		part->again = part->index == 0;
		return COM_OK;
	}
	if (part->index == 0) {
		imp_split_publish_prologue(sp, &span);
	} else if (!imp_cut_find(span.data, span.len, &at, &parent)) {
		part->empty = true;
		return COM_OK;
	}
	memset(&opt, 0, sizeof(opt));
	snprintf(opt.uai, sizeof(opt.uai), "%s", sp->job->uai);
	opt.today = imp_today();
	opt.limits = sp->w->jobs->cfg.limits;
	opt.report = &part->report;
	opt.on_student = imp_stage_student;
	opt.on_class = imp_stage_class;
	opt.arg = &lr->stage;
	opt.seq_base = (uint64_t)part->index << 32;
	rv = imp_siecle_new(&opt, p);
	if (rv != COM_OK)
		return rv;
	imp_stage_rebase(&lr->stage, opt.seq_base);
	if (part->index == 0)
		return COM_OK;
	rv = imp_split_prologue(sp, part->index);
	if (rv == COM_OK)
		rv = imp_siecle_resume(*p, sp->prologue, sp->prologue_len,
		    parent);
	if (rv == COM_EINVAL || rv == COM_ECONFLICT) {
		part->again = true;
		rv = COM_OK;
	}
	if (rv != COM_OK || part->again) {
		imp_siecle_free(*p);
		*p = NULL;
		return rv;
	}
	imp_upload_skip(&pr->upload, at);
	return COM_OK;
}

/*
 * imp_part_parse parses one part into the lane's staging and part's
 * report. COM_OK when the part is decided (see imp_part's flags),
 * else a failure of the upload, the database or memory.
 */
static com_err
imp_part_parse(imp_lane_run *lr, imp_part *part)
{
	imp_split *sp = lr->sp;
	int32_t first = part->index * sp->part_chunks;
	uint64_t fed = 0, students = 0;
	bool armed = false, parser_said = false;
	imp_progress pr;
	imp_siecle *p = NULL;
	com_err rv;

	memset(&pr, 0, sizeof(pr));
	pr.w = sp->w;
	pr.job = sp->job;
	pr.report = &part->report;
	pr.split = sp;
	pr.part = part->index;
	pr.renews = lr->renews;
	pr.last = lr->last;
	imp_upload_init(&pr.upload, lr->lane->upload, sp->job->id, first);
	rv = imp_part_begin(lr, part, &pr, &p);
	while (rv == COM_OK && p != NULL) {
		imp_upload_span span;
		void *room;
		size_t n;

		rv = imp_job_peek(&pr, &span);
		if (rv != COM_OK)
			break;
		if (span.len == 0) {
			/* The end of the file: this part holds it, unless
			 * the cut it was told of never came. */
			part->last = true;
			part->again = armed;
			if (!armed) {
				rv = imp_siecle_finish(p);
				parser_said = true;
			}
			break;
		}
		/* The next part starts at the cut of this chunk, if any. */
		if (!armed && span.chunk_start && span.chunk > first &&
		    span.chunk % sp->part_chunks == 0) {
			imp_cut_parent parent;
			size_t at;

			armed = imp_cut_find(span.data, span.len, &at, &parent);
			if (armed)
				imp_siecle_cut_at(p, fed + at);
		}
		n = span.len < IMP_CHUNK ? span.len : IMP_CHUNK;
		rv = imp_siecle_buffer(p, n, &room);
		if (rv != COM_OK) {
			parser_said = true;
			break;
		}
		memcpy(room, span.data, n);
		imp_upload_skip(&pr.upload, n);
		fed += n;
		atomic_fetch_add(&sp->bytes, n);
		rv = imp_siecle_feed_buffer(p, n);
		atomic_fetch_add(&sp->students, part->report.students - students);
		students = part->report.students;
		if (rv != COM_OK) {
			parser_said = true;
			break;
		}
		if (imp_siecle_cut_reached(p))
			break;
	}
	/* A refused file (EINVAL with a file error; student errors alone
	 * are merged) or a wrong cut (ECONFLICT): parsed in one piece. */
	if (parser_said && (rv == COM_EINVAL || rv == COM_ECONFLICT)) {
		if (rv == COM_ECONFLICT || part->report.file_error)
			part->again = true;
		rv = COM_OK;
	}
	lr->last = pr.last;
	imp_upload_fini(&pr.upload);
	imp_siecle_free(p);
	return rv;
}

/* imp_split_done hands a part in; parts are merged in file order. */
static void
imp_split_done(imp_split *sp, imp_part *part, com_err rv)
{
	const imp_limits *lim = &sp->w->jobs->cfg.limits;
	imp_part **at;

	pthread_mutex_lock(&sp->lock);
	if (rv != COM_OK) {
		if (!imp_split_stopped_locked(sp, part->index))
			sp->fail = rv;
		imp_report_fini(&part->report);
		free(part);
		part = NULL;
	}
	for (at = &sp->waiting; part != NULL && *at != NULL &&
	     (*at)->index < part->index; at = &(*at)->next)
		;
	if (part != NULL) {
		part->next = *at;
		*at = part;
		if (part->past_end && part->index < sp->beyond)
			sp->beyond = part->index;
	}
	while (sp->waiting != NULL && sp->waiting->index == sp->merged) {
		imp_part *q = sp->waiting;

		sp->waiting = q->next;
		if (q->again) {
			com_log_debug("job %s: part %d cannot be parsed apart",
			    sp->job->idbuf, (int)q->index);
			sp->again = true;
		} else if (!q->empty && !q->past_end &&
		    q->index <= sp->end_part) {
			if (imp_report_merge(sp->report, &q->report) !=
			    COM_OK && sp->fail == COM_OK)
				sp->fail = COM_ENOMEM;
			/* The parse in one piece says these. */
			if (sp->report->students > lim->max_students)
				sp->again = true;
			if (q->last) {
				sp->end_part = q->index;
				sp->end_merged = true;
			}
		}
		sp->merged++;
		imp_report_fini(&q->report);
		free(q);
	}
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
}

/* imp_lane_work parses parts until none is left: first, then the next
 * one not taken (first < 0: start with that). */
static void
imp_lane_work(imp_lane_run *lr, int32_t first)
{
	imp_split *sp = lr->sp;
	int32_t k = first;
	imp_part *part;

	for (;;) {
		pthread_mutex_lock(&sp->lock);
		if (k < 0 && !imp_split_stopped_locked(sp, sp->next_part))
			k = sp->next_part++;
		pthread_mutex_unlock(&sp->lock);
		if (k < 0)
			return;
		part = calloc(1, sizeof(*part));
		if (part == NULL) {
			pthread_mutex_lock(&sp->lock);
			if (sp->fail == COM_OK)
				sp->fail = COM_ENOMEM;
			pthread_cond_broadcast(&sp->cond);
			pthread_mutex_unlock(&sp->lock);
			return;
		}
		part->index = k;
		imp_report_init(&part->report,
		    sp->w->jobs->cfg.limits.max_messages);
		imp_split_done(sp, part, imp_part_parse(lr, part));
		k = -1;
	}
}

static void *
imp_lane_main(void *arg)
{
	imp_lane_run *lr = arg;
	char ctx[48];

	snprintf(ctx, sizeof(ctx), "job=%s", lr->sp->job->idbuf);
	com_log_set_context(ctx);
	imp_lane_work(lr, -1);
	com_log_set_context(NULL);
	return NULL;
}

/*
 * imp_job_parse_split parses a bare XML upload in parts on the worker's
 * lanes into staging. *again when it must be parsed in one piece instead
 * (nothing of this attempt is then staged, the report is to be reset).
 */
static com_err
imp_job_parse_split(imp_worker *w, imp_job *job, imp_report *report,
    bool *again)
{
	int nlanes = w->jobs->cfg.parsers;
	imp_lane_run runs[IMP_MAX_PARSERS];
	imp_split sp;
	int opened = 0, started = 0;
	com_err rv;

	*again = false;
	memset(&sp, 0, sizeof(sp));
	memset(runs, 0, sizeof(runs));
	pthread_mutex_init(&sp.lock, NULL);
	pthread_cond_init(&sp.cond, NULL);
	sp.w = w;
	sp.job = job;
	sp.report = report;
	sp.part_chunks = w->jobs->cfg.part_chunks;
	sp.next_part = 1; /* the first lane takes part 0 */
	sp.end_part = INT32_MAX;
	sp.beyond = INT32_MAX;
	atomic_init(&sp.bytes, 0);
	atomic_init(&sp.students, 0);

	/* Emptied once: each stage's own DELETE would wait for the other. */
	rv = imp_apply_cleanup(w->ctl, job->id);
	for (int i = 0; rv == COM_OK && i < nlanes; i++) {
		runs[i].sp = &sp;
		runs[i].lane = &w->lanes[i];
		runs[i].renews = i == 0;
		clock_gettime(CLOCK_MONOTONIC, &runs[i].last);
		rv = imp_stage_open(&runs[i].stage, w->lanes[i].rows,
		    w->lanes[i].classes, job->id, false);
		if (rv == COM_OK)
			opened++;
	}
	for (int i = 1; rv == COM_OK && i < nlanes; i++) {
		if (pthread_create(&runs[i].thread, NULL, imp_lane_main,
		    &runs[i]) != 0)
			rv = COM_EIO;
		else
			started++;
	}
	if (rv == COM_OK) {
		imp_lane_work(&runs[0], 0);
	} else {
		pthread_mutex_lock(&sp.lock);
		sp.fail = rv;
		pthread_cond_broadcast(&sp.cond);
		pthread_mutex_unlock(&sp.lock);
	}
	for (int i = 1; i <= started; i++)
		pthread_join(runs[i].thread, NULL);
	imp_job_step(job, "file parsed in parts");
	com_log_debug("job %s: read in %d parts", job->idbuf, (int)sp.merged);

	rv = sp.fail;
	*again = rv == COM_OK && (sp.again || !sp.end_merged ||
	    atomic_load(&sp.bytes) > w->jobs->cfg.limits.max_file_bytes);
	if (rv == COM_OK && !*again) {
		imp_progress pr;

		memset(&pr, 0, sizeof(pr));
		pr.w = w;
		pr.job = job;
		pr.report = report;
		pr.split = &sp;
		pr.part = 0;
		pr.renews = true;
		pr.last = runs[0].last;
		imp_upload_init(&pr.upload, w->lanes[0].upload, job->id, 0);
		rv = imp_job_uploaded(&pr);
		if (rv == COM_OK)
			rv = imp_job_renew(&pr);
		imp_upload_fini(&pr.upload);
	}
	for (int i = 0; i < opened; i++) {
		com_err rv2 = imp_stage_close(&runs[i].stage,
		    rv == COM_OK && !*again);

		if (rv == COM_OK && !*again)
			rv = rv2;
	}
	while (sp.waiting != NULL) {
		imp_part *q = sp.waiting;

		sp.waiting = q->next;
		imp_report_fini(&q->report);
		free(q);
	}
	pthread_cond_destroy(&sp.cond);
	pthread_mutex_destroy(&sp.lock);
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
		rv = imp_job_parse_split(w, job, report, &again);
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

static com_err
imp_job_validate(imp_worker *w, imp_job *job, bool *valid)
{
	imp_report report;
	imp_preview pv;
	com_err rv;

	imp_report_init(&report, w->jobs->cfg.limits.max_messages);
	rv = imp_job_parse(w, job, &report);
	if (rv == COM_OK)
		rv = imp_apply_duplicates(w->ctl, job->id, &report);
	imp_job_step(job, "duplicates checked");
	if (rv == COM_OK && imp_report_ok(&report))
		rv = imp_apply_skips(w->ctl, job->id, &report);
	imp_job_step(job, "skips checked");
	if (rv != COM_OK)
		goto out;
	*valid = imp_report_ok(&report);
	if (*valid) {
		/* Applied right away, no one confirms: the apply's own
		 * counts stand for the preview. */
		if (!job->auto_apply)
			rv = imp_apply_preview(w->ctl, job->id, job->org_id,
			    &pv);
		if (rv == COM_OK)
			rv = imp_job_record(w, job, &report,
			    job->auto_apply ? NULL : &pv,
			    job->auto_apply ? "applying" : "validated");
		com_log_info("job %s: valid, %" PRIu64 " students read",
		    job->idbuf, report.students);
	} else {
		rv = imp_job_record(w, job, &report, NULL, "failed");
		if (rv == COM_OK)
			rv = imp_job_drop_upload(w->ctl, job);
		com_log_info("job %s: refused (%" PRIu64 " errors)", job->idbuf,
		    report.errors_total);
	}
out:
	imp_report_fini(&report);
	return rv;
}

/*
 * imp_job_apply applies a confirmed job in one transaction. When the
 * staging rows are gone (PostgreSQL restarted: they are unlogged) the file
 * is validated again first.
 */
static com_err
imp_job_apply(imp_worker *w, imp_job *job)
{
	const char *params[2] = {job->idbuf, w->name};
	imp_preview done;
	PGresult *res = NULL;
	bool valid = true;
	com_err rv;

	rv = com_db_exec(w->ctl,
	    "SELECT 1 FROM import_rows WHERE job_id = $1 LIMIT 1", 1, params,
	    &res);
	if (rv != COM_OK)
		return rv;
	if (PQntuples(res) == 0) {
		com_log_notice("job %s: staging lost, validating again",
		    job->idbuf);
		job->auto_apply = true;
		rv = imp_job_validate(w, job, &valid);
		if (rv != COM_OK || !valid)
			goto out;
	}
	PQclear(res);
	res = NULL;
	rv = com_db_begin(w->ctl);
	if (rv != COM_OK)
		goto out;
	rv = com_db_exec(w->ctl,
	    "SELECT 1 FROM import_jobs WHERE id = $1 AND worker = $2 "
	    "AND status = 'applying' FOR UPDATE",
	    2, params, &res);
	if (rv == COM_OK && PQntuples(res) != 1)
		rv = COM_ECONFLICT; /* cancelled, or taken by another */
	if (rv == COM_OK)
		rv = imp_apply_run(w->ctl, job->id, job->org_id, &done);
	imp_job_step(job, "applied");
	if (rv == COM_OK) {
		char nums[4][24];
		const char *up[5] = {job->idbuf, nums[0], nums[1], nums[2],
		    nums[3]};

		snprintf(nums[0], 24, "%" PRId64, done.to_add);
		snprintf(nums[1], 24, "%" PRId64, done.to_update);
		snprintf(nums[2], 24, "%" PRId64, done.unchanged);
		snprintf(nums[3], 24, "%" PRId64, done.to_deactivate);
		rv = com_db_exec(w->ctl,
		    "UPDATE import_jobs SET status = 'done', to_add = $2, "
		    "  to_update = $3, unchanged = $4, to_deactivate = $5, "
		    "  worker = NULL, lease_until = NULL, updated_at = now(), "
		    /* The end of the apply, not of its transaction's start. */
		    "  finished_at = clock_timestamp() WHERE id = $1",
		    5, up, NULL);
	}
	if (rv == COM_OK)
		rv = imp_job_drop_upload(w->ctl, job);
	imp_job_step(job, "upload dropped");
	if (rv == COM_OK)
		rv = com_db_commit(w->ctl);
	if (rv != COM_OK)
		com_db_rollback(w->ctl);
	else
		com_log_info("job %s: applied (+%" PRId64 " ~%" PRId64
		             " -%" PRId64 ")",
		    job->idbuf, done.to_add, done.to_update, done.to_deactivate);
out:
	PQclear(res);
	return rv;
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

/*
 * While a worker runs a job, a heartbeat thread renews the job's lease on
 * a connection of its own every third of the lease, so long SQL steps
 * (preview, apply) never lose it, and a crashed importer's lease simply
 * runs out.
 */
typedef struct imp_heartbeat {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	const imp_worker *w;
	const imp_job *job;
} imp_heartbeat;

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
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += period_ms / 1000;
		until.tv_nsec += (long)(period_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
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

/* imp_heartbeat_start starts renewing job's lease; false if it cannot. */
static bool
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

static void
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

static void
imp_job_run(imp_worker *w, imp_job *job)
{
	imp_heartbeat hb;
	bool beating;
	bool valid = true;
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
	if (job->applying) {
		rv = imp_job_apply(w, job);
	} else {
		rv = imp_job_validate(w, job, &valid);
		if (rv == COM_OK && valid && job->auto_apply)
			rv = imp_job_apply(w, job);
	}
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

/* imp_jobs_idle waits for a wake-up, the poll interval, or the stop. */
static bool
imp_jobs_idle(imp_jobs *j, unsigned long *seen)
{
	struct timespec until;
	bool stopping;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += j->cfg.poll_ms / 1000;
	until.tv_nsec += (long)(j->cfg.poll_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&j->lock);
	while (!j->stopping && j->wakeups == *seen)
		if (pthread_cond_timedwait(&j->cond, &j->lock, &until) != 0)
			break;
	*seen = j->wakeups;
	stopping = j->stopping;
	pthread_mutex_unlock(&j->lock);
	return !stopping;
}

static void *
imp_worker_main(void *arg)
{
	imp_worker *w = arg;
	unsigned long seen = 0;
	imp_job job;
	com_err rv;

	while (!imp_jobs_stopping(w->jobs)) {
		rv = imp_worker_connect(w);
		if (rv == COM_OK)
			rv = imp_job_claim(w, &job);
		if (rv == COM_OK) {
			imp_job_run(w, &job);
			continue;
		}
		if (rv != COM_ENOTFOUND)
			com_log_warn("jobs: database unavailable, retrying");
		if (!imp_jobs_idle(w->jobs, &seen))
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
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	j->wakeups++;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
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
