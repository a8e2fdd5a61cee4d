/* pool.c - the importer's stop flag and wake-ups (see pool.h). */
#include "pool.h"

#include <pthread.h>
#include <time.h>

#include "deadline.h"

bool
imp_pool_stopping(imp_jobs *j)
{
	bool s;

	pthread_mutex_lock(&j->lock);
	s = j->stopping;
	pthread_mutex_unlock(&j->lock);
	return s;
}

bool
imp_pool_idle(imp_jobs *j, unsigned long *seen, int ms)
{
	struct timespec until = com_deadline(CLOCK_REALTIME, ms);
	bool stopping;

	pthread_mutex_lock(&j->lock);
	while (!j->stopping && j->wakeups == *seen)
		if (pthread_cond_timedwait(&j->cond, &j->lock, &until) != 0)
			break;
	*seen = j->wakeups;
	stopping = j->stopping;
	pthread_mutex_unlock(&j->lock);
	return !stopping;
}

/* orga wakes the importers when a chunk arrives. */
void
imp_pool_nap(imp_jobs *j, int ms)
{
	unsigned long seen;

	pthread_mutex_lock(&j->lock);
	seen = j->wakeups;
	pthread_mutex_unlock(&j->lock);
	(void)imp_pool_idle(j, &seen, ms);
}

void
imp_pool_wake(imp_jobs *j)
{
	pthread_mutex_lock(&j->lock);
	j->wakeups++;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
}
