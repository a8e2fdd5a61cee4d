/*
 * deadline.h - the absolute instant that pthread_cond_timedwait wants,
 * computed in one place.
 */
#ifndef COM_DEADLINE_H
#define COM_DEADLINE_H

#include <time.h>

/*
 * com_deadline returns the instant ms milliseconds from now on clock
 * (CLOCK_REALTIME for a default condition variable, CLOCK_MONOTONIC for
 * one set with pthread_condattr_setclock). ms must not be negative.
 */
struct timespec com_deadline(clockid_t clock, long ms);

#endif
