/* racewatch/once.h: Go's sync.Once for C threads (libracewatch-chan).
 *
 *   static rw_once once;                    var once sync.Once
 *   rw_once_do(&once, init_fn, arg);        once.Do(func() { ... })
 *
 * The first call of rw_once_do on a given rw_once runs fn(arg); every
 * other call, from any thread, waits until that run has finished and
 * returns without calling fn.  As in Go, fn must not call rw_once_do on
 * the same rw_once (it would wait for itself forever).
 *
 * Initialisation: static storage (all zero) is ready to use, like Go's
 * zero value; others take RW_ONCE_INIT.
 *
 * Memory model: the end of fn happens before the return of every
 * rw_once_do call on the same rw_once. */
#ifndef RACEWATCH_ONCE_H
#define RACEWATCH_ONCE_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rw_once {
    /* Private: use rw_once_do. */
    int done;                   /* 1 once fn has returned (atomic) */
    pthread_mutex_t mu;         /* held while fn runs */
    char token;                 /* happens-before token: fn -> returns */
} rw_once;

#define RW_ONCE_INIT { 0, PTHREAD_MUTEX_INITIALIZER, 0 }

/* Runs fn(arg) if no call on once has run it yet, else waits until the
 * call that runs it has finished.  Blocks only while fn runs in another
 * thread. */
void rw_once_do(rw_once *once, void (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif
