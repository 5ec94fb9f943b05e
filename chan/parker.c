/* parker.c: one sleeping place per thread for blocked channel operations.
 *
 * Without a detector, a parker is a futex word with three states (empty,
 * parked, notified), as in Rust's and Go's thread parkers: unpark stores
 * "notified" and makes a FUTEX_WAKE only if the thread sleeps; park
 * consumes a notification or sleeps in FUTEX_WAIT until one comes.  One
 * atomic exchange each way when nobody sleeps, one system call each way
 * when somebody does, and the woken thread does not have to take a lock
 * its waker still holds (a condition variable signalled under its mutex
 * makes it do exactly that).  A FUTEX_WAKE may reach the word after the
 * woken thread has returned and even exited: the kernel then wakes
 * nobody, or someone whose own wait tolerates spurious wake-ups.
 *
 * With racewatch loaded (its __racewatch_block_reason exists), a parker is
 * a mutex, a condition variable and a flag instead, because racewatch
 * judges deadlocks from the waits it can see: a pthread_cond_wait without
 * timeout, named just before it starts (quiet_wait), counts as asleep
 * until the signal comes.  unpark sets the flag and signals under the
 * mutex: the woken thread may return and exit as soon as it sees the flag,
 * so the unparker must be done with the condition variable by then.  The
 * choice is made per process (the hook is bound at load time), so a
 * parker is only ever used one way. */
#include "parker.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "quiet_lock.h"

enum { EMPTY = 0, NOTIFIED = 1, PARKED = -1 };

/* Pause-loop iterations before a park sleeps: about 10-40 us.  Measured
 * with bench/chan (2 cores): 64 left unbuffered ping-pong at 7 us per
 * message, a sleep and a wake-up each way; 1000 catches the partner's
 * answer in flight (0.7 us) with a fifth of the CPU time, the system
 * calls it saves costing more than the spinning; select over 4 busy
 * channels goes from 1.9x to 1.4x of a mutex/condvar queue, for about
 * 25% more CPU time. */
#ifndef SPIN
#define SPIN 1000
#endif

static __thread rw_parker self = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, EMPTY, 0,
};

rw_parker *parker_self(void)
{
    return &self;
}

static bool watched(void)
{
    return __racewatch_block_reason != 0;
}

static void futex_wait(int *word, int expected)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(int *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void parker_park(rw_parker *p, const char *reason)
{
    if (watched()) {
        quiet_lock(&p->mu);
        while (!p->ready)
            quiet_wait(&p->wake, &p->mu, reason);
        p->ready = 0;
        quiet_unlock(&p->mu);
        return;
    }
    /* A wake-up that comes within a few microseconds costs no system call
     * on either side: look for it before sleeping. */
    for (int spin = 0; spin < SPIN; spin++) {
        int notified = NOTIFIED;
        if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) == NOTIFIED &&
            __atomic_compare_exchange_n(&p->state, &notified, EMPTY, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        __builtin_ia32_pause();
    }
    /* notified -> empty: consumed; empty -> parked: sleep. */
    if (__atomic_sub_fetch(&p->state, 1, __ATOMIC_ACQUIRE) == EMPTY)
        return;
    for (;;) {
        futex_wait(&p->state, PARKED);
        int notified = NOTIFIED;
        if (__atomic_compare_exchange_n(&p->state, &notified, EMPTY, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
    }
}

void parker_unpark(rw_parker *p)
{
    if (watched()) {
        quiet_lock(&p->mu);
        p->ready = 1;
        quiet_signal(&p->wake);
        quiet_unlock(&p->mu);
        return;
    }
    if (__atomic_exchange_n(&p->state, NOTIFIED, __ATOMIC_RELEASE) == PARKED)
        futex_wake(&p->state);
}

/* Never signalled: every thread blocked forever waits here (a condition
 * variable in both modes, so that racewatch sees the wait). */
static pthread_mutex_t forever_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t forever_cond = PTHREAD_COND_INITIALIZER;

void block_forever(const char *reason)
{
    quiet_lock(&forever_mu);
    for (;;)
        quiet_wait(&forever_cond, &forever_mu, reason);
}
