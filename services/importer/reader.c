/*
 * reader.c - a job's upload as its parser reads it: waits for the client,
 * renews the lease on the way, stops with the importer (see reader.h).
 */
#include "reader.h"

#include <string.h>

#include "lease.h"
#include "pool.h"

/* How often a file still being uploaded is looked at again. */
#define IMP_UPLOAD_POLL_MS 20

/*
 * imp_job_tick renews the lease when due; COM_EBUSY when the importer is
 * stopping (the job is abandoned: its lease runs out, another takes it).
 */
static com_err
imp_job_tick(imp_progress *pr)
{
	if (imp_pool_stopping(pr->w->jobs))
		return COM_EBUSY;
	if (pr->split != NULL && pr->split->stopped(pr->split, pr->part))
		return COM_EBUSY;
	return imp_job_renew_due(pr);
}

/* imp_job_nap waits a little for the client: until a chunk arrives, or
 * IMP_UPLOAD_POLL_MS; a split parse's lanes also wake when their work is
 * no longer needed (imp_pool_wake). */
static void
imp_job_nap(imp_progress *pr)
{
	if (pr->split == NULL || !pr->split->stopped(pr->split, pr->part))
		imp_pool_nap(pr->w->jobs, IMP_UPLOAD_POLL_MS);
}

com_err
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

com_err
imp_job_read(void *arg, void *buf, size_t cap, size_t *n)
{
	imp_progress *pr = arg;
	imp_upload_span span;
	com_err rv = imp_job_peek(pr, &span);

	*n = 0;
	if (rv != COM_OK)
		return rv;
	*n = span.len < cap ? span.len : cap;
	if (*n > 0)
		memcpy(buf, span.data, *n);
	imp_upload_skip(&pr->upload, *n);
	return COM_OK;
}

com_err
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
