/* intercept_sem.c: POSIX semaphores, unnamed and named.  sem_post
 * releases into the semaphore's clock (a join: posts accumulate); every
 * wait that consumes a post acquires it.  sem_init and sem_destroy start a
 * semaphore afresh. */
#include "runtime/rt.h"

#include <semaphore.h>

#include "detector/syncvar.h"

RW_DECLARE_REAL(int, sem_init, sem_t *, int, unsigned);
RW_DECLARE_REAL(int, sem_destroy, sem_t *);
RW_DECLARE_REAL(int, sem_post, sem_t *);
RW_DECLARE_REAL(int, sem_wait, sem_t *);
RW_DECLARE_REAL(int, sem_trywait, sem_t *);
RW_DECLARE_REAL(int, sem_timedwait, sem_t *, const struct timespec *);
RW_DECLARE_REAL(int, sem_clockwait, sem_t *, clockid_t, const struct timespec *);

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
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)s);
    if (t)
        rw_leave();
    return RW_RESOLVE(sem_init)(s, pshared, value);
}

RW_EXPORT int sem_destroy(sem_t *s)
{
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)s);
    if (t)
        rw_leave();
    return RW_RESOLVE(sem_destroy)(s);
}

RW_EXPORT int sem_post(sem_t *s)
{
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_release_at(t, (uintptr_t)s);
        rw_leave();
    }
    return RW_RESOLVE(sem_post)(s);
}

RW_EXPORT int sem_wait(sem_t *s)
{
    int r = RW_RESOLVE(sem_wait)(s);
    if (r == 0)
        acquired(s);
    return r;
}

RW_EXPORT int sem_trywait(sem_t *s)
{
    int r = RW_RESOLVE(sem_trywait)(s);
    if (r == 0)
        acquired(s);
    return r;
}

RW_EXPORT int sem_timedwait(sem_t *s, const struct timespec *ts)
{
    int r = RW_RESOLVE(sem_timedwait)(s, ts);
    if (r == 0)
        acquired(s);
    return r;
}

RW_EXPORT int sem_clockwait(sem_t *s, clockid_t c, const struct timespec *ts)
{
    int r = RW_RESOLVE(sem_clockwait)(s, c, ts);
    if (r == 0)
        acquired(s);
    return r;
}
