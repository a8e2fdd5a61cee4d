/*
 * parts.c - a bare XML upload parsed in parts at once, one expat parser
 * per lane of the worker, each with its own upload reader and staging
 * COPYs (see parts.h and segment.h).
 */
#include "parts.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "lease.h"
#include "log.h"
#include "pool.h"
#include "reader.h"
#include "siecle/segment.h"
#include "siecle/siecle.h"
#include "stage.h"

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

typedef struct imp_split {
	imp_split_share share; /* first: what the readers see */
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
} imp_split;

/* Under sp->lock: part's work is no longer needed. */
static bool
imp_split_stopped_locked(imp_split *sp, int32_t part)
{
	return sp->fail != COM_OK || sp->again || part > sp->end_part ||
	    part >= sp->beyond;
}

/* imp_split_stopped answers the readers (imp_split_share.stopped). */
static bool
imp_split_stopped(imp_split_share *sh, int32_t part)
{
	imp_split *sp = (imp_split *)sh;
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
	pr.split = &sp->share;
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
		atomic_fetch_add(&sp->share.bytes, n);
		rv = imp_siecle_feed_buffer(p, n);
		atomic_fetch_add(&sp->share.students, part->report.students - students);
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
	/* Lanes napping for chunks that are no longer needed. */
	imp_pool_wake(sp->w->jobs);
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

com_err
imp_parts_parse(imp_worker *w, imp_job *job, imp_report *report,
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
	atomic_init(&sp.share.bytes, 0);
	atomic_init(&sp.share.students, 0);
	sp.share.stopped = imp_split_stopped;

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
	    atomic_load(&sp.share.bytes) > w->jobs->cfg.limits.max_file_bytes);
	if (rv == COM_OK && !*again) {
		imp_progress pr;

		memset(&pr, 0, sizeof(pr));
		pr.w = w;
		pr.job = job;
		pr.report = report;
		pr.split = &sp.share;
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

