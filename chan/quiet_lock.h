/* quiet_lock.h: the library's internal pthread calls, each bracketed by
 * __racewatch_ignore_sync_begin/_end (private).
 *
 * A channel's mutex is taken by every operation on it; if the detector
 * saw it, every operation would be ordered after every earlier one and
 * races that Go's memory model leaves unordered would vanish.  So the
 * detector sees none of these calls as synchronization (it still sees a
 * thread blocked in them for its deadlock checks), and the library makes
 * Go's edges itself with tokens (hooks.h). */
#ifndef RACEWATCH_CHAN_QUIET_LOCK_H
#define RACEWATCH_CHAN_QUIET_LOCK_H

#include <pthread.h>

#include "hooks.h"

static inline void quiet_lock(pthread_mutex_t *m)
{
    ignore_sync_begin();
    pthread_mutex_lock(m);
    ignore_sync_end();
}

static inline void quiet_unlock(pthread_mutex_t *m)
{
    ignore_sync_begin();
    pthread_mutex_unlock(m);
    ignore_sync_end();
}

/* One wait without timeout, named for the deadlock report.  The reason is
 * set right before the wait: the runtime uses it for this wait only. */
static inline void quiet_wait(pthread_cond_t *c, pthread_mutex_t *m, const char *reason)
{
    ignore_sync_begin();
    block_reason(reason);
    pthread_cond_wait(c, m);
    ignore_sync_end();
}

static inline void quiet_signal(pthread_cond_t *c)
{
    ignore_sync_begin();
    pthread_cond_signal(c);
    ignore_sync_end();
}

static inline void quiet_broadcast(pthread_cond_t *c)
{
    ignore_sync_begin();
    pthread_cond_broadcast(c);
    ignore_sync_end();
}

#endif
