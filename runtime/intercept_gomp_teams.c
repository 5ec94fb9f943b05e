/* intercept_gomp_teams.c: the teams of a target region run on the host,
 * as fibers (libgomp).
 *
 * With no offloading device, libgomp runs a target region on the
 * encountering thread, and gcc 12's code for `teams` inside it loops
 * `while (GOMP_teams4(low, high, limit, first)) body;`: the teams of the
 * league run one after the other on that thread.  OpenMP does not order
 * two teams (on a device they run at once), so, as for tasks and loop
 * chunks (gomp_fiber.c, intercept_gomp_loop.c), each team runs as a fiber
 * of the thread, starting from its clock at the league's start:
 *
 *   GOMP_teams4 returns true    the previous team's fiber ends (its end
 *                               released into the league's key) and the
 *                               next team's starts;
 *   GOMP_teams4 returns false   the last team's fiber ends and the thread
 *                               acquires the league's key: its code after
 *                               the teams construct follows every team.
 *
 * The teams' private variables lie in the target region's frames, below
 * GOMP_target_ext's (intercepted only to know where that is): their
 * history is cleared at each team's start and end, as a loop chunk's is.
 * Only a league of two teams or more asked for (num_teams) gets fibers.
 * Not modelled: critical sections and locks still order two teams (on a
 * device they exclude only within a team), and a target region with
 * nowait that runs as a task somewhere else runs its teams in order. */
#include "runtime/rt.h"
#include "detector/hb_floor.h"

#include <stdbool.h>
#include <stddef.h>

#include "detector/shadow.h"
#include "detector/syncvar.h"
#include "runtime/gomp.h"

#define TARGET_FRAMES_MAX (16u << 20)

static __thread uintptr_t target_frame_top RW_TLS; /* GOMP_target_ext's frame */
static __thread struct rw_thread *team_host RW_TLS; /* while a team's fiber runs */
static __thread int league_open RW_TLS;
static __thread char league_key RW_TLS; /* its address: the league's sync key */

typedef void (*target_fn)(void *);

RW_DECLARE_REAL(void, GOMP_target_ext, int, target_fn, size_t, void **, size_t *,
                unsigned short *, unsigned, void **, void **);
RW_EXPORT void GOMP_target_ext(int device, target_fn fn, size_t mapnum, void **hostaddrs,
                               size_t *sizes, unsigned short *kinds, unsigned flags,
                               void **depend, void **args)
{
    rw_hb_floor_freeze(); /* a fiber may start from a clock made now */
    uintptr_t outer = target_frame_top;
    target_frame_top = (uintptr_t)__builtin_frame_address(0);
    RW_RESOLVE(GOMP_target_ext)(device, fn, mapnum, hostaddrs, sizes, kinds, flags, depend,
                                args);
    target_frame_top = outer;
}

static void clear_team_frames(uintptr_t frame)
{
    uintptr_t top = target_frame_top;
    if (frame >= top || top - frame > TARGET_FRAMES_MAX)
        return;
    rw_in_rt++;
    rw_shadow_clear(frame, top - frame);
    rw_in_rt--;
}

static void team_end(uintptr_t frame)
{
    struct rw_thread *host = team_host;
    if (!host)
        return;
    team_host = NULL;
    rw_thread *f = rw_enter();
    if (f) {
        rw_sync_release_at(f, (uintptr_t)&league_key);
        rw_leave();
    }
    clear_team_frames(frame);
    rw_gomp_fiber_end(host, frame);
}

static __attribute__((noinline)) void team_next(bool more, unsigned low)
{
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    team_end(frame);
    if (!more) {
        if (league_open) {
            league_open = 0;
            rw_thread *t = rw_enter();
            if (t) {
                rw_sync_acquire_at(t, (uintptr_t)&league_key);
                rw_leave();
            }
        }
        return;
    }
    if (low < 2 || !target_frame_top || frame >= target_frame_top)
        return;
    struct rw_thread *host;
    if (!rw_gomp_fiber_begin(0, frame, &host))
        return;
    team_host = host;
    league_open = 1;
    clear_team_frames(frame);
}

RW_DECLARE_REAL(bool, GOMP_teams4, unsigned, unsigned, unsigned, bool);
RW_EXPORT bool GOMP_teams4(unsigned low, unsigned high, unsigned thread_limit, bool first)
{
    rw_hb_floor_freeze(); /* a fiber may start from a clock made now */
    bool more = RW_RESOLVE(GOMP_teams4)(low, high, thread_limit, first);
    team_next(more, low);
    return more;
}
