/* once.c: Go's sync.Once (racewatch/once.h).
 *
 * The fast path is one acquire load of `done`.  The slow path takes the
 * mutex, runs fn if nobody has, and publishes `done` with a release store
 * after fn returns; callers that arrive meanwhile wait on the mutex, as in
 * Go.  For the detector (this library is not instrumented, so it cannot
 * see the atomic itself): the end of fn releases the once's token and
 * every return acquires it. */
#include "racewatch/once.h"

#include "hooks.h"
#include "quiet_lock.h"

void rw_once_do(rw_once *once, void (*fn)(void *arg), void *arg)
{
    API_ENTRY();
    if (!__atomic_load_n(&once->done, __ATOMIC_ACQUIRE)) {
        quiet_lock(&once->mu);
        if (!once->done) {
            fn(arg);
            hb_release(&once->token);
            __atomic_store_n(&once->done, 1, __ATOMIC_RELEASE);
        }
        quiet_unlock(&once->mu);
    }
    hb_acquire(&once->token);
}
