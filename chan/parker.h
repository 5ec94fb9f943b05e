/* parker.h: putting one thread to sleep until another wakes it (private).
 *
 * Every thread has one parker (thread-local).  park() sleeps until an
 * unpark() that has not been consumed yet, then consumes it; an unpark
 * that comes first is kept, so no wake-up is lost.  The library unparks a
 * blocked operation exactly once, after taking it off every queue. */
#ifndef RACEWATCH_CHAN_PARKER_H
#define RACEWATCH_CHAN_PARKER_H

#include <pthread.h>
#include <stdbool.h>

typedef struct rw_parker {
    /* With racewatch loaded (parker.c): */
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int ready;              /* unparks not yet consumed (0 or 1), under mu */
    /* Without: the futex word (empty 0, notified 1, parked -1). */
    int state;
    /* Happens-before token of unbuffered hand-offs to this thread: it
     * releases here before it sleeps, the partner acquires and releases,
     * the thread acquires when it wakes. */
    char token;
} rw_parker;

/* The calling thread's parker. */
rw_parker *parker_self(void) __attribute__((visibility("hidden")));

/* Sleeps until unparked; reason names the wait in a deadlock report. */
void parker_park(rw_parker *p, const char *reason) __attribute__((visibility("hidden")));

/* Wakes p's thread (or lets its next park return at once).  Touches only
 * the parker, so it may be called with or without channel locks held. */
void parker_unpark(rw_parker *p) __attribute__((visibility("hidden")));

/* Blocks the calling thread forever in a real, timeout-free wait, as Go
 * blocks a goroutine on a nil channel or in `select {}`. */
void block_forever(const char *reason) __attribute__((noreturn, visibility("hidden")));

#endif
