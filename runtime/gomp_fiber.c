/* gomp_fiber.c: OpenMP's logical concurrency on one OS thread.
 *
 * OpenMP does not order two tasks, or two sections, that a thread happens
 * to run one after the other, nor a deferred task with the code its host
 * thread runs around it: they could have run on two threads.  Seen as the
 * thread's program order, a race between them would only be found in the
 * runs where libgomp gives them two threads.  So each task and each
 * section runs as a fiber (detector/thread.h): a slot and clock of its
 * own, starting from its creation edge, current on the thread (rw_cur)
 * for its duration.  Its end is only known to whoever acquires it (a
 * taskwait, a barrier, the end of the sections); the host goes on with
 * its own clock.  With no slot left, the host runs it as before. */
#include "runtime/rt.h"

#include "detector/alloc.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

/* A fiber's frames are on its host's stack, below where it starts, where
 * the host's deeper calls had theirs before and will again after it: that
 * memory is dead at both moments, and the history of one must not race
 * with the locals of the other.  So at a fiber's start and end the
 * history below the current frame is cleared, 1 KiB block by block
 * downwards, until two blocks in a row have none or 256 KiB. */
#define STACK_BLOCK 1024
#define STACK_CLEAR_MAX (256 * 1024)

static int block_has_history(uintptr_t lo)
{
    rw_cell *c = rw_shadow_cells(lo);
    return c && rw_shadow_empty_prefix(c, STACK_BLOCK / RW_GRANULE) < STACK_BLOCK / RW_GRANULE;
}

void rw_gomp_clear_dead_stack(uintptr_t frame)
{
    /* As the runtime: rw_shadow_clear's memset is not the program's. */
    rw_in_rt++;
    uintptr_t hi = frame & ~(uintptr_t)(STACK_BLOCK - 1);
    rw_shadow_clear(hi, frame - hi);
    int clean = 0;
    for (uintptr_t lo = hi - STACK_BLOCK; hi - lo <= STACK_CLEAR_MAX && clean < 2;
         lo -= STACK_BLOCK) {
        if (block_has_history(lo)) {
            rw_shadow_clear(lo, STACK_BLOCK);
            clean = 0;
        } else {
            clean++;
        }
    }
    rw_in_rt--;
}

int rw_gomp_fiber_begin(uintptr_t key, uintptr_t frame, rw_thread **host)
{
    rw_thread *t = rw_enter();
    if (!t)
        return 0;
    rw_thread *f;
    if (key) {
        rw_vclock start;
        rw_vclock_init(&start);
        rw_sync *s = rw_sync_get(key, 1);
        if (s) {
            rw_spin_lock(&s->lock);
            rw_vclock_assign(&start, &s->vc);
            rw_spin_unlock(&s->lock);
        }
        f = rw_fiber_create(t, &start);
        rw_vclock_free(&start);
    } else {
        rw_thread_prepare_release(t);
        f = rw_fiber_create(t, &t->vc);
    }
    if (f)
        rw_gomp_clear_dead_stack(frame);
    rw_leave();
    if (!f)
        return 0;
    *host = t;
    rw_set_current_thread(f);
    return 1;
}

void rw_gomp_fiber_end(rw_thread *host, uintptr_t frame)
{
    rw_thread *f = rw_cur;
    rw_set_current_thread(host);
    rw_in_rt++;
    rw_fiber_finish(f);
    rw_gomp_clear_dead_stack(frame);
    rw_in_rt--;
}
