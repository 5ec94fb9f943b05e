/* omp_units.c: a thread's work-sharing units in an implicit task, as
 * fibers (omp_units.h says what and why).  Each entry point takes its own
 * frame address as the bottom of the implicit task's frames: the frames
 * of the interceptor that called it, and of the runtime, lie between
 * there and the program's code, and are dead once it returns. */
#include "runtime/omp_units.h"

#include "detector/shadow.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"
#include "runtime/rt.h"

/* Beyond this, frame_top is not on the calling thread's stack (never
 * expected). */
#define PRIVATE_FRAMES_MAX (16u << 20)

static void clear_private_frames(const rw_omp_units *u, uintptr_t frame)
{
    if (frame >= u->frame_top || u->frame_top - frame > PRIVATE_FRAMES_MAX)
        return;
    rw_in_rt++;
    rw_shadow_clear(frame, u->frame_top - frame);
    rw_in_rt--;
}

/* End the current unit's fiber, if one runs; its end goes to the key. */
static void unit_end(rw_omp_units *u, uintptr_t frame)
{
    rw_thread *host = u->host;
    if (!host)
        return;
    u->host = NULL;
    if (rw_cur != u->fiber)
        return; /* not ours to end (never expected): leave the clocks alone */
    rw_thread *f = rw_enter();
    if (f) {
        rw_sync_release_at(f, (uintptr_t)&u->key);
        rw_leave();
    }
    clear_private_frames(u, frame);
    rw_gomp_fiber_end(host, frame);
}

__attribute__((noinline)) void rw_omp_unit_next(rw_omp_units *u, int may_fiber,
                                                uintptr_t start_key)
{
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    unit_end(u, frame);
    if (u->off || !may_fiber)
        return;
    rw_thread *host;
    if (!rw_gomp_fiber_begin(start_key, frame, &host)) {
        u->off = 1; /* no slot left: not again until the construct ends */
        return;
    }
    u->host = host;
    u->fiber = rw_cur;
    u->open = 1;
    clear_private_frames(u, frame);
}

__attribute__((noinline)) void rw_omp_units_close(rw_omp_units *u)
{
    if (!u->host && !u->open && !u->off)
        return;
    unit_end(u, (uintptr_t)__builtin_frame_address(0));
    u->off = 0;
    if (!u->open)
        return;
    u->open = 0;
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)&u->key);
        rw_leave();
    }
}
