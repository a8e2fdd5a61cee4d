/*
 * reader.h - the reader of a job's upload as its parser sees it: the
 * bytes of imp_upload (upload.h), waited for while the client still
 * sends them, with the job's lease renewed on the way (lease.h). A
 * reader stops when the importer stops or, in a file parsed in parts,
 * when its part is no longer needed. Internal to the importer.
 */
#ifndef IMP_READER_H
#define IMP_READER_H

#include <stddef.h>

#include "err.h"
#include "upload.h"
#include "worker.h"

/*
 * imp_job_peek lends the next unread bytes of pr's upload, waiting for
 * the client when they are not uploaded yet; the lease is renewed on the
 * way when pr->renews. COM_EBUSY when the importer stops, or when the
 * split parse pr serves no longer needs them; else as imp_upload_peek.
 */
com_err imp_job_peek(imp_progress *pr, imp_upload_span *span) COM_MUSTCHECK;

/*
 * imp_job_read copies up to cap of the next bytes of the progress reader
 * arg (never past a chunk) into buf, as imp_job_peek waits for them; *n
 * is 0 at the end of the file. The reader callback of the parser and the
 * zip reader (zip.h).
 */
com_err imp_job_read(void *arg, void *buf, size_t cap, size_t *n)
    COM_MUSTCHECK;

/*
 * imp_job_uploaded waits until the client has sent the whole file:
 * a job's outcome is recorded only once it all arrived. COM_EBUSY as
 * imp_job_peek; else as imp_upload_finished.
 */
com_err imp_job_uploaded(imp_progress *pr) COM_MUSTCHECK;

#endif
