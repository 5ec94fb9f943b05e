/* gomp.h: what the libgomp interceptors (intercept_gomp_*.c) share.
 *
 * gcc compiles OpenMP constructs into calls to libgomp's GOMP_* entry
 * points; libgomp's own synchronization (futexes) is invisible to us, so
 * each entry point is intercepted and turned into the happens-before
 * edges OpenMP promises (docs/openmp.md):
 *
 *   team      one per parallel region, on the stack of the thread that
 *             starts it (the master), which stays inside GOMP_parallel
 *             until every thread of the team is done.  Its fields' own
 *             addresses are the keys of its sync objects (fork, barrier,
 *             end, copy, ordered).  A barrier round's clock is not the
 *             next round's: a thread already past round k must not lend
 *             what it did after it to a thread still leaving round k,
 *             so rounds alternate between two keys (round k + 2 may
 *             reuse round k's: everyone acquired round k + 1 first).
 *   context   the task a thread is running: a region's implicit task
 *             (on the stack of the region trampoline) or an explicit
 *             task (rw_gomp_task_run).  It knows its team, the key its
 *             child tasks release into (taskwait acquires it) and the
 *             innermost taskgroup its new tasks join.  rw_gomp_cur is the
 *             thread's current context; trampolines save and restore it,
 *             as tasks nest on a thread's stack at scheduling points.
 *
 * libgomp's own calls to intercepted functions (malloc, free, memset on
 * its internal structures) are ignored by caller address
 * (called_from_lib.c): its internal memory is not the program's. */
#ifndef RW_GOMP_H
#define RW_GOMP_H

#include <stdint.h>

#include "runtime/omp_units.h"

typedef struct rw_gomp_team {
    /* GOMP_parallel_reductions reads the first word of the region's data
     * (the reduction table): the team stands in for the data, so it
     * starts with a copy of that word. */
    void *first_word;
    void (*fn)(void *);
    void *data;
    struct rw_thread *master;
    uintptr_t pc;            /* the GOMP_parallel call: the region's line */
    uintptr_t outer_spawn_pc; /* rw_gomp_spawn_pc before this region */
    unsigned nthreads;       /* team size, stored by each thread at its start */
    int master_end_blocked;  /* the master registered its wait for the team's end */
    int reducing;            /* parallel reduction(task, ...) */
    /* Sync keys (their addresses): */
    char fork;               /* master's clock at the region's start */
    char barrier;            /* barrier arrivals (the deadlock checks' count) */
    char round_clock[2];     /* barrier round k's releases: round_clock[k % 2] */
    char end;                /* every thread's end of body; arrivals there */
    char copy;               /* single copyprivate: the copier's clock */
    char ordered;            /* ordered sections, in iteration order */
} rw_gomp_team;

typedef struct rw_gomp_taskgroup {
    struct rw_gomp_taskgroup *outer;
    uintptr_t inherited;     /* the context's taskgroup before this one */
} rw_gomp_taskgroup;

typedef struct rw_gomp_ctx {
    rw_gomp_team *team;      /* NULL outside any parallel region */
    unsigned rounds;         /* implicit task: team barriers passed */
    uintptr_t children;      /* key: this task's child tasks release here */
    uintptr_t dep_scope;     /* what its children's dependence keys are
                                made from (dependences order siblings) */
    struct rw_gomp_task_keys *keys; /* explicit task: the record its
                                children key is in (intercept_gomp_task.c) */
    uintptr_t taskgroup;     /* key of the taskgroup new tasks join, 0 none */
    rw_gomp_taskgroup *groups; /* taskgroups this context opened */
    int final;               /* a final task: the tasks it makes are undeferred */
    int reducing;            /* in a task reduction's scope (its tasks share
                                per-thread copies, intercept_gomp_task.c) */
    /* Work-sharing units as fibers (intercept_gomp_loop.c), implicit
     * tasks only (frame_top: the region trampoline's frame; 0 in an
     * explicit task): */
    rw_omp_units units;
} rw_gomp_ctx;

extern __thread rw_gomp_ctx *rw_gomp_cur __attribute__((tls_model("initial-exec")));

/* The team of the calling thread's current context, NULL if none. */
static inline rw_gomp_team *rw_gomp_team_now(void)
{
    rw_gomp_ctx *c = rw_gomp_cur;
    return c ? c->team : 0;
}

/* gomp_fiber.c: run a task or a section as a fiber of the calling
 * thread, starting from the clock released at key (0: from the thread's
 * own clock).  frame: the caller's frame address; the fiber's frames will
 * be below it.  Returns 1, with the host thread in *host, if a fiber is
 * now current; 0 if it runs on the host as before.  rw_gomp_fiber_end
 * finishes the current fiber (its releases done) and returns to host. */
struct rw_thread;
int rw_gomp_fiber_begin(uintptr_t key, uintptr_t frame, struct rw_thread **host);
void rw_gomp_fiber_end(struct rw_thread *host, uintptr_t frame);
/* Clear the history of the dead stack below frame (a fiber's, or a task
 * run on its host's clock, takes the place of earlier ones' frames). */
void rw_gomp_clear_dead_stack(uintptr_t frame);

/* intercept_gomp_loop.c: end the calling implicit task's current loop
 * chunk or section fiber, if any, and order the thread after every unit
 * it ran in the construct (the construct's end, or its implicit
 * barrier). */
void rw_gomp_units_close(void);

/* intercept_gomp_loop.c: the calling thread got a single block: it runs
 * as a unit fiber from the team's last barrier (or the region's start),
 * not from the thread's clock, since any thread could have run it. */
void rw_gomp_single_begin(void);

/* A thread that will run a task in the middle of a wait (libgomp runs
 * queued tasks inside barriers and taskwaits) puts the wait aside for the
 * task's duration: rw_wait_suspend / rw_wait_resume (blocking.c). */

#endif
