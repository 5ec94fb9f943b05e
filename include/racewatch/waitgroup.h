/* racewatch/waitgroup.h: Go's sync.WaitGroup for C threads
 * (libracewatch-chan).
 *
 *   static rw_waitgroup wg;                 var wg sync.WaitGroup
 *   rw_waitgroup_add(&wg, n);               wg.Add(n)
 *   rw_waitgroup_done(&wg);                 wg.Done()   (in each worker)
 *   rw_waitgroup_wait(&wg);                 wg.Wait()
 *
 * A wait group counts outstanding work.  Wait blocks until the counter is
 * zero; every thread waiting then is released at once.  A counter that
 * goes below zero panics with Go's words, `panic: sync: negative
 * WaitGroup counter`, and exit status 2.  As in Go, call Add before
 * starting the thread that will call Done, not inside it.
 *
 * Initialisation: a wait group with static storage duration (all zero) is
 * ready to use, like Go's zero value (glibc's mutexes and condition
 * variables are all-zero when initialised).  Others take RW_WAITGROUP_INIT
 * or rw_waitgroup_init(); rw_waitgroup_destroy() releases one that no
 * thread uses any more.
 *
 * Memory model: every Done (and every Add with a negative delta) happens
 * before the return of the Wait it releases (and of any Wait that finds
 * the counter zero).  While a thread waits, racewatch names its state
 * "waitgroup wait" in a deadlock report. */
#ifndef RACEWATCH_WAITGROUP_H
#define RACEWATCH_WAITGROUP_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rw_waitgroup {
    /* Private: use the functions below. */
    pthread_mutex_t mu;
    pthread_cond_t zero;        /* broadcast when the counter reaches 0 */
    long counter;
    long waiters;               /* threads in Wait for this generation */
    unsigned long generation;   /* bumped each time waiters are released */
    char token;                 /* happens-before token: Done -> Wait */
} rw_waitgroup;

#define RW_WAITGROUP_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0 }

/* Initialises wg with a zero counter.  Never blocks. */
void rw_waitgroup_init(rw_waitgroup *wg);

/* Releases wg's resources; no thread may be using it.  Never blocks. */
void rw_waitgroup_destroy(rw_waitgroup *wg);

/* Adds delta (may be negative) to the counter.  If it becomes zero, every
 * waiting thread is released; below zero, panics ("sync: negative
 * WaitGroup counter").  Never blocks. */
void rw_waitgroup_add(rw_waitgroup *wg, long delta);

/* rw_waitgroup_add(wg, -1): one piece of work is finished. */
void rw_waitgroup_done(rw_waitgroup *wg);

/* Blocks until the counter is zero (returns at once if it is). */
void rw_waitgroup_wait(rw_waitgroup *wg);

#ifdef __cplusplus
}
#endif

#endif
