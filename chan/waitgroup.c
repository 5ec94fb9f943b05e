/* waitgroup.c: Go's sync.WaitGroup (racewatch/waitgroup.h).
 *
 * A counter under a mutex and a condition variable broadcast when the
 * counter reaches zero.  Waiters wait for the generation to change, not
 * for the counter to be zero: a group that is reused (Add again right
 * after reaching zero) still releases everyone who was waiting.
 *
 * Edges: every decrement releases the group's token before it takes the
 * lock; every Wait acquires it on its way out, so all Done calls that
 * brought the counter to zero happen before Wait returns (Go's
 * race.ReleaseMerge / race.Acquire on the wait group). */
#include "racewatch/waitgroup.h"

#include "hooks.h"
#include "panic.h"
#include "quiet_lock.h"

void rw_waitgroup_init(rw_waitgroup *wg)
{
    pthread_mutex_init(&wg->mu, NULL);
    pthread_cond_init(&wg->zero, NULL);
    wg->counter = 0;
    wg->waiters = 0;
    wg->generation = 0;
    wg->token = 0;
}

void rw_waitgroup_destroy(rw_waitgroup *wg)
{
    pthread_cond_destroy(&wg->zero);
    pthread_mutex_destroy(&wg->mu);
}

static void waitgroup_add(rw_waitgroup *wg, long delta)
{
    if (delta < 0)
        hb_release(&wg->token);
    quiet_lock(&wg->mu);
    wg->counter += delta;
    if (wg->counter < 0) {
        quiet_unlock(&wg->mu);
        rw_panic(RW_PANIC_NEGATIVE_WAITGROUP);
    }
    if (wg->counter == 0 && wg->waiters > 0) {
        wg->waiters = 0;
        wg->generation++;
        quiet_broadcast(&wg->zero);
    }
    quiet_unlock(&wg->mu);
}

void rw_waitgroup_add(rw_waitgroup *wg, long delta)
{
    API_ENTRY();
    waitgroup_add(wg, delta);
}

void rw_waitgroup_done(rw_waitgroup *wg)
{
    API_ENTRY();
    waitgroup_add(wg, -1);
}

void rw_waitgroup_wait(rw_waitgroup *wg)
{
    API_ENTRY();
    quiet_lock(&wg->mu);
    if (wg->counter > 0) {
        unsigned long generation = wg->generation;
        wg->waiters++;
        while (wg->generation == generation)
            quiet_wait(&wg->zero, &wg->mu, RW_WAIT_WAITGROUP);
    }
    quiet_unlock(&wg->mu);
    hb_acquire(&wg->token);
}
