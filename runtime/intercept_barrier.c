/* intercept_barrier.c: pthread barriers.  Each round has a clock of its
 * own, as a real barrier orders: every arrival of round n releases into
 * round n's clock before waiting, every departure of round n acquires
 * exactly it.  One clock for all rounds would hide races: a thread of
 * round n+1 arriving before round n's leavers acquired would order its
 * later code before them, and round n's arrivals would be ordered before
 * round n+1's leavers even when other threads make up that round (a
 * barrier used by more threads than its count).
 *
 * A round is a record the arrivals count themselves into (the barrier's
 * current one, replaced when count threads arrived); each waiter keeps a
 * pointer to its own, and the last of its count departures frees it, so a
 * destroy or re-init right after a round (common: the serial thread
 * destroys it) loses no edge of threads still leaving.  Rounds are counted
 * in the order arrivals reach the interceptor: with more than count
 * threads arriving at once, the real barrier may group them otherwise in
 * the few instructions between the two (docs/design.md).  A barrier of
 * unknown count (a process-shared one) keeps one accumulating clock.
 *
 * Misuse: a count of 0 (a warning; glibc returns EINVAL); destroying or
 * re-initialising a barrier while threads wait in an unfinished round
 * (the deadlock checks count the arrivals) is fatal: glibc's destroy
 * would wait for ever for them to leave, and a re-initialised barrier
 * never releases them. */
#include "runtime/rt.h"
#include "runtime/wait_context.h"

#include <pthread.h>
#include <stdio.h>

#include "detector/alloc.h"
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

/* One round of a barrier: its arrivals' clocks; guarded by the barrier's
 * sync object lock. */
struct barrier_round {
    rw_vclock vc;
    uint32_t count;    /* threads per round when it began */
    uint32_t arrived;
    uint32_t departed;
};

/* t arrives at s (locked): its clock joins the current round, which it
 * returns (NULL: no round, s's own clock took it). */
static struct barrier_round *arrive(rw_thread *t, rw_sync *s)
{
    uint32_t count = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
    struct barrier_round *round = s->barrier_round;
    if (!round && count > 0 && !s->pshared) {
        round = rw_calloc(1, sizeof *round);
        if (round) {
            rw_vclock_init(&round->vc);
            round->count = count;
            s->barrier_round = round;
        }
    }
    rw_thread_prepare_release(t);
    if (!round) {
        rw_sync_vc_joined(s, t);
        rw_vclock_join(&s->vc, &t->vc);
        return NULL;
    }
    rw_vclock_join(&round->vc, &t->vc);
    if (++round->arrived >= round->count)
        s->barrier_round = NULL; /* complete: the next arrival starts another */
    return round;
}

/* A thread leaves s (locked) after the round it arrived in (NULL: s's
 * clock); t, when not NULL, acquires it.  Every departure counts, so the
 * last one frees the round. */
static void depart(rw_thread *t, rw_sync *s, struct barrier_round *round)
{
    if (t) {
        uint64_t own = t->pos;
        rw_vclock_join(&t->vc, round ? &round->vc : &s->vc);
        rw_vclock_set(&t->vc, t->slot, own);
    }
    if (round && ++round->departed >= round->count) {
        rw_vclock_free(&round->vc);
        rw_free(round);
    }
}

RW_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    rw_sync_use_at(b, RW_CALLER_PC());
    rw_sync *s = NULL;
    struct barrier_round *round = NULL;
    rw_thread *t = rw_enter();
    if (t) {
        s = rw_sync_get((uintptr_t)b, 1);
        if (s) {
            rw_spin_lock(&s->lock);
            round = arrive(t, s);
            rw_spin_unlock(&s->lock);
        }
        rw_leave();
    }
    int blocked =
        RW_BLOCK_BEGIN_LAZY(RW_WAIT_BARRIER, "pthread_barrier_wait", b, NULL, RW_CALLER_PC());
    int r = RW_RESOLVE(pthread_barrier_wait)(b);
    if (blocked)
        rw_block_end(RW_WAIT_BARRIER, b);
    if (s) {
        /* Also after an error (a round counted us: its record must still
         * see all its departures). */
        t = rw_enter();
        rw_spin_lock(&s->lock);
        depart(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD ? t : NULL, s, round);
        rw_spin_unlock(&s->lock);
        if (t)
            rw_leave();
    }
    return r;
}
