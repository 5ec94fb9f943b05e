/* intercept_once.c: pthread_once.  The init routine runs through a
 * trampoline that releases into the once object's clock when the routine
 * returns; every return of pthread_once acquires it.  The routine and its
 * object travel to the trampoline in thread-local variables (pthread_once
 * gives the routine no argument), saved and restored so that nested
 * pthread_once calls work. */
#include "runtime/rt.h"

#include <pthread.h>

#include "detector/syncvar.h"

RW_DECLARE_REAL(int, pthread_once, pthread_once_t *, void (*)(void));

static __thread void (*once_routine)(void) RW_TLS;
static __thread pthread_once_t *once_object RW_TLS;

static void once_trampoline(void)
{
    void (*routine)(void) = once_routine;
    pthread_once_t *obj = once_object;
    routine();
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_release_at(t, (uintptr_t)obj);
        rw_leave();
    }
}

RW_EXPORT int pthread_once(pthread_once_t *once, void (*routine)(void))
{
    void (*saved_routine)(void) = once_routine;
    pthread_once_t *saved_object = once_object;
    once_routine = routine;
    once_object = once;
    int r = RW_RESOLVE(pthread_once)(once, once_trampoline);
    once_routine = saved_routine;
    once_object = saved_object;
    if (r == 0) {
        rw_thread *t = rw_enter();
        if (t) {
            rw_sync_acquire_at(t, (uintptr_t)once);
            rw_leave();
        }
    }
    return r;
}
