/*
 * pool.h - what the importer's workers share: the stop flag and the
 * wake-ups they nap on (orga's wake RPC, a chunk uploaded, a split
 * parse's part no longer needed). Internal to the importer.
 */
#ifndef IMP_POOL_H
#define IMP_POOL_H

#include <stdbool.h>

#include "worker.h"

/* imp_pool_stopping: imp_jobs_stop was called. Any thread. */
bool imp_pool_stopping(imp_jobs *j);

/*
 * imp_pool_idle waits for a wake-up after *seen (updated), ms, or the
 * stop, whichever comes first; false when stopping. Any thread.
 */
bool imp_pool_idle(imp_jobs *j, unsigned long *seen, int ms);

/* imp_pool_nap waits until the next wake-up or ms pass. */
void imp_pool_nap(imp_jobs *j, int ms);

/* imp_pool_wake wakes every worker's nap now; never blocks. */
void imp_pool_wake(imp_jobs *j);

#endif
