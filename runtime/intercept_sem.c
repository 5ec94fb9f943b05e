/* intercept_sem.c: POSIX semaphores, unnamed and named.  sem_post
 * releases into the semaphore's clock (a join: posts accumulate); every
 * wait that consumes a post acquires it.  sem_init and sem_destroy start a
 * semaphore afresh.
 *
 * Misuse warnings: sem_destroy while threads wait in it, any use of a
 * destroyed semaphore (glibc's sem_destroy does nothing, so the call would
 * go on, undefined), and a sem_post that overflows (EOVERFLOW). */
#include "runtime/rt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "detector/syncvar.h"
#include "detector/waitfor.h"

RW_DECLARE_REAL(int, sem_init, sem_t *, int, unsigned);
RW_DECLARE_REAL(int, sem_destroy, sem_t *);
RW_DECLARE_REAL(int, sem_post, sem_t *);
RW_DECLARE_REAL(int, sem_wait, sem_t *);
RW_DECLARE_REAL(int, sem_trywait, sem_t *);
RW_DECLARE_REAL(int, sem_timedwait, sem_t *, const struct timespec *);
RW_DECLARE_REAL(int, sem_clockwait, sem_t *, clockid_t, const struct timespec *);
RW_DECLARE_REAL(sem_t *, sem_open, const char *, int, ...);

static void report(rw_thread *t, const char *title, sem_t *s, const char *what, uintptr_t pc)
{
    char line[128];
    snprintf(line, sizeof line, "Semaphore %p %s", (void *)s, what);
    rw_report_misuse(t, title, line, pc, 0);
}

/* Before a call on s: was it destroyed (and not initialised since)? */
static void check_destroyed(sem_t *s, const char *call, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync *v = rw_sync_get((uintptr_t)s, 0);
    if (v && __atomic_load_n(&v->destroyed, __ATOMIC_RELAXED)) {
        char line[128], prev_line[64];
        snprintf(line, sizeof line, "Semaphore %p used by %s after its sem_destroy", (void *)s,
                 call);
        snprintf(prev_line, sizeof prev_line, "Previous sem_destroy of semaphore %p", (void *)s);
        rw_misuse_previous prev = { prev_line, 0, 0 };
        rw_spin_lock(&v->lock);
        prev.thread = v->destroy_thread;
        prev.stack = v->destroy_stack;
        rw_spin_unlock(&v->lock);
        rw_report_misuse_previous(t, "use of a destroyed semaphore", line, pc, 0, &prev);
    }
    rw_leave();
}

static void acquired(sem_t *s)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)s);
    rw_leave();
}

RW_EXPORT int sem_init(sem_t *s, int pshared, unsigned value)
{
    rw_sync_object_write(s, 1, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)s);
    if (pshared)
        rw_mark_pshared(s); /* other processes may post it: never judged */
    if (t)
        rw_leave();
    return RW_RESOLVE(sem_init)(s, pshared, value);
}

RW_EXPORT int sem_destroy(sem_t *s)
{
    check_destroyed(s, "sem_destroy", RW_CALLER_PC());
    rw_thread *t = rw_enter();
    if (t) {
        rw_waitfor_lock();
        rw_sync *v = rw_sync_get((uintptr_t)s, 0);
        uint32_t waiters = v && !v->pshared ? v->waiters : 0;
        rw_waitfor_unlock();
        if (waiters > 0) {
            char what[64];
            snprintf(what, sizeof what, "destroyed while %u thread(s) wait in it", waiters);
            report(t, "destroy of a semaphore with waiters", s, what, RW_CALLER_PC());
        }
        rw_leave();
    }
    rw_sync_object_write(s, 0, RW_CALLER_PC());
    t = rw_enter();
    rw_sync_reset((uintptr_t)s);
    rw_sync *v = rw_sync_get((uintptr_t)s, 1);
    if (v)
        __atomic_store_n(&v->destroyed, 1, __ATOMIC_RELAXED);
    if (t)
        rw_leave();
    rw_note_destroy(s, RW_CALLER_PC());
    return RW_RESOLVE(sem_destroy)(s);
}

RW_EXPORT int sem_post(sem_t *s)
{
    check_destroyed(s, "sem_post", RW_CALLER_PC());
    rw_sync_use_at(s, RW_CALLER_PC());
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_release_at(t, (uintptr_t)s);
        rw_leave();
    }
    rw_sem_posted(s);
    int r = RW_RESOLVE(sem_post)(s);
    if (r != 0 && errno == EOVERFLOW) {
        t = rw_enter();
        if (t) {
            char what[64];
            snprintf(what, sizeof what, "posted at SEM_VALUE_MAX (%d): EOVERFLOW", SEM_VALUE_MAX);
            report(t, "sem_post overflow", s, what, RW_CALLER_PC());
            rw_leave();
        }
        errno = EOVERFLOW;
    }
    return r;
}

/* A thread cancelled in a registered sem_wait: its wait is over. */
static void wait_cancelled(void *s)
{
    rw_block_end(RW_WAIT_SEM, s);
}

RW_EXPORT int sem_wait(sem_t *s)
{
    check_destroyed(s, "sem_wait", RW_CALLER_PC());
    rw_sync_use_at(s, RW_CALLER_PC());
    /* A wait that would sleep is registered with the deadlock checks. */
    int r = RW_RESOLVE(sem_trywait)(s);
    if (r != 0 && errno == EAGAIN && rw_cur) {
        struct timespec ts = rw_grace_deadline();
        r = RW_RESOLVE(sem_clockwait)(s, CLOCK_MONOTONIC, &ts);
        if (r != 0 && errno == ETIMEDOUT) {
            int blocked = rw_block_begin(RW_WAIT_SEM, "sem_wait", s, NULL, RW_CALLER_PC());
            if (blocked) {
                pthread_cleanup_push(wait_cancelled, s);
                r = RW_RESOLVE(sem_wait)(s);
                pthread_cleanup_pop(0);
                int saved = errno;
                rw_block_end(RW_WAIT_SEM, s);
                errno = saved;
            } else {
                r = RW_RESOLVE(sem_wait)(s);
            }
        }
    } else if (r != 0 && errno == EAGAIN) {
        r = RW_RESOLVE(sem_wait)(s);
    }
    rw_block_reason_unused();
    if (r == 0)
        acquired(s);
    return r;
}

/* Named semaphores are shared with other processes: never judged. */
RW_EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
    sem_t *s;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode_t mode = (mode_t)va_arg(ap, unsigned);
        unsigned value = va_arg(ap, unsigned);
        va_end(ap);
        s = RW_RESOLVE(sem_open)(name, oflag, mode, value);
    } else {
        s = RW_RESOLVE(sem_open)(name, oflag);
    }
    if (s != SEM_FAILED) {
        rw_thread *t = rw_enter();
        rw_mark_pshared(s);
        if (t)
            rw_leave();
    }
    return s;
}

RW_EXPORT int sem_trywait(sem_t *s)
{
    check_destroyed(s, "sem_trywait", RW_CALLER_PC());
    rw_sync_use_at(s, RW_CALLER_PC());
    int r = RW_RESOLVE(sem_trywait)(s);
    if (r == 0)
        acquired(s);
    return r;
}

RW_EXPORT int sem_timedwait(sem_t *s, const struct timespec *ts)
{
    check_destroyed(s, "sem_timedwait", RW_CALLER_PC());
    rw_sync_use_at(s, RW_CALLER_PC());
    int r = RW_RESOLVE(sem_timedwait)(s, ts);
    if (r == 0)
        acquired(s);
    return r;
}

RW_EXPORT int sem_clockwait(sem_t *s, clockid_t c, const struct timespec *ts)
{
    check_destroyed(s, "sem_clockwait", RW_CALLER_PC());
    rw_sync_use_at(s, RW_CALLER_PC());
    int r = RW_RESOLVE(sem_clockwait)(s, c, ts);
    if (r == 0)
        acquired(s);
    return r;
}
