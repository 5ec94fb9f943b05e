/* intercept_barrier.c: pthread barriers.  Every arrival releases into the
 * barrier's clock before waiting; every departure acquires it.  The clock
 * accumulates across rounds, which can only add edges from a later
 * round's early arrivals (never a false report).
 *
 * Misuse: a count of 0 (a warning; glibc returns EINVAL); destroying or
 * re-initialising a barrier while threads wait in an unfinished round
 * (the deadlock checks count the arrivals) is fatal: glibc's destroy
 * would wait for ever for them to leave, and a re-initialised barrier
 * never releases them. */
#include "runtime/rt.h"

#include <pthread.h>
#include <stdio.h>

#include "detector/syncvar.h"
#include "detector/waitfor.h"

RW_DECLARE_REAL(int, pthread_barrier_init, pthread_barrier_t *, const pthread_barrierattr_t *, unsigned);
RW_DECLARE_REAL(int, pthread_barrier_destroy, pthread_barrier_t *);
RW_DECLARE_REAL(int, pthread_barrier_wait, pthread_barrier_t *);

/* Threads waiting in b's unfinished round (0 for a process-shared one:
 * the others may be in other processes). */
static uint32_t waiting(pthread_barrier_t *b)
{
    rw_waitfor_lock();
    rw_sync *s = rw_sync_get((uintptr_t)b, 0);
    uint32_t n = s && !s->pshared ? s->arrived : 0;
    rw_waitfor_unlock();
    return n;
}

static void check_in_use(pthread_barrier_t *b, const char *call, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    uint32_t n = waiting(b);
    rw_leave();
    if (n > 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "sync: %s of a barrier %u thread(s) wait on", call, n);
        rw_report_fatal(t, "fatal error", msg, pc);
    }
}

RW_EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
                                   unsigned count)
{
    check_in_use(b, "pthread_barrier_init", RW_CALLER_PC());
    if (count == 0) {
        rw_thread *t = rw_enter();
        if (t) {
            char line[96];
            snprintf(line, sizeof line, "Barrier %p initialised with count 0 (EINVAL)", (void *)b);
            rw_report_misuse(t, "pthread_barrier_init with count 0", line, RW_CALLER_PC(), 0);
            rw_leave();
        }
    }
    rw_sync_object_write(b, 1, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)b);
    if (t)
        rw_leave();
    int r = RW_RESOLVE(pthread_barrier_init)(b, a, count);
    if (r == 0) {
        rw_barrier_set_count(b, count);
        int pshared = PTHREAD_PROCESS_PRIVATE;
        if (a && pthread_barrierattr_getpshared(a, &pshared) == 0 &&
            pshared == PTHREAD_PROCESS_SHARED) {
            rw_waitfor_lock();
            rw_mark_pshared(b); /* other processes may arrive: never judged */
            rw_waitfor_unlock();
        }
    }
    return r;
}

RW_EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
    check_in_use(b, "pthread_barrier_destroy", RW_CALLER_PC());
    rw_sync_object_write(b, 0, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)b);
    if (t)
        rw_leave();
    return RW_RESOLVE(pthread_barrier_destroy)(b);
}

RW_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    rw_sync_use_at(b, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_release_at(t, (uintptr_t)b);
        rw_leave();
    }
    int blocked = rw_block_begin(RW_WAIT_BARRIER, "pthread_barrier_wait", b, NULL, RW_CALLER_PC());
    int r = RW_RESOLVE(pthread_barrier_wait)(b);
    if (blocked)
        rw_block_end(RW_WAIT_BARRIER, b);
    if (r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD) {
        t = rw_enter();
        if (t) {
            rw_sync_acquire_at(t, (uintptr_t)b);
            rw_leave();
        }
    }
    return r;
}
