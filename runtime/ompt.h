/* ompt.h: what the OMPT tool files (ompt_*.c) share: racewatch's own
 * records for LLVM libomp's teams and tasks.
 *
 * clang compiles OpenMP into calls to libomp's __kmpc_* entry points;
 * libomp tells a tool what happens through OMPT callbacks
 * (ompt_tool.c registers them) and lets the tool hang a pointer on each
 * parallel region and task (ompt_data_t).  Ours are:
 *
 *   team   one per parallel region, allocated at parallel_begin, freed
 *          at parallel_end (by the master, after the region's join
 *          barrier: no thread of the team touches it after that).  Its
 *          fields' addresses are sync keys, as in the libgomp side's team
 *          (gomp.h): fork, barrier rounds (two alternating clocks), end,
 *          ordered.
 *   task   one per task: an implicit task (one per thread of a team, and
 *          the initial task) or an explicit task.  It knows its team,
 *          the key its end releases into for its parent's taskwait, the
 *          taskgroup it belongs to, its dependences, and keys of its own
 *          (children, created).  A worker's implicit task outlives its
 *          team: libomp reports the end of a worker's last barrier and
 *          of its implicit task only when the worker is woken for the
 *          next region, so those callbacks never look at the team.
 *
 * rw_ompt_cur is the task the calling thread runs. */
#ifndef RW_OMPT_H
#define RW_OMPT_H

#include <stdint.h>

#include "runtime/omp_units.h"
#include "runtime/ompt_abi.h"
#include "runtime/rt.h"

typedef struct rw_ompt_team {
    uintptr_t pc;              /* the region's line (in the __kmpc_fork_call) */
    uintptr_t outer_spawn_pc;  /* rw_gomp_spawn_pc before the region */
    unsigned nthreads;         /* actual team size, stored by each implicit task */
    /* Sync keys (their addresses): */
    char fork;                 /* master's clock at the region's start */
    char barrier;              /* barrier arrivals (the deadlock checks' count) */
    char round_clock[2];       /* barrier round k's releases: round_clock[k % 2] */
    char end;                  /* every thread's arrival at the join barrier */
    char ordered;              /* ordered sections */
} rw_ompt_team;

typedef struct rw_ompt_group {
    struct rw_ompt_group *outer;
    uintptr_t inherited;       /* the task's taskgroup key before this one */
} rw_ompt_group;

typedef struct rw_ompt_task {
    rw_ompt_team *team;        /* NULL outside a parallel region */
    uintptr_t parent_children; /* key its end releases into, 0 none */
    uintptr_t taskgroup;       /* key of the taskgroup new tasks join, 0 none */
    rw_ompt_group *groups;     /* taskgroups this task opened */
    unsigned index;            /* implicit task: thread number in the team */
    unsigned rounds;           /* implicit task: team barriers passed */
    int implicit;
    int may_fiber;             /* explicit task: deferred, in a team of several threads */
    int league;                /* initial task of a teams league's team */
    int started;               /* explicit task: began running */
    int ended;                 /* explicit task: body done (complete or detached) */
    int in_join;               /* implicit task: at the region's join barrier */
    int barrier_blocked;       /* its barrier wait is registered */
    int suspended;             /* a wait of its thread was put aside while it runs */
    rw_wait_saved wait;
    struct rw_thread *fiber;   /* explicit task: its own clock while it runs, or NULL */
    struct rw_thread *host;    /* the thread's own rw_thread while the fiber is current */
    unsigned *parked_on;       /* while its fiber is put aside at a scheduling
                                  point: the count of parked fibers of the
                                  thread that put it aside (ompt_task.c) */
    uintptr_t frame;           /* explicit task: its frames are below this address */
    uint32_t ndeps, nout;      /* dependences, the nout out-like ones first */
    uintptr_t *deps;
    char children;             /* key: its child tasks release here */
    char created;              /* key: the creator's clock at the creation */
    int reducing;              /* in a task reduction's scope */
    /* Work-sharing units as fibers (ompt_loop.c), implicit tasks only
     * (frame_top: libomp's call into the region's body, found at the
     * first unit): */
    rw_omp_units units;
} rw_ompt_task;

extern __thread rw_ompt_task *rw_ompt_cur RW_TLS;

/* Allocation for our records (the runtime's allocator, not the program's). */
void *rw_ompt_alloc(size_t size);
void rw_ompt_free(void *p);

/* Callbacks, registered by ompt_tool.c. */
void rw_ompt_parallel_begin(ompt_data *encountering_task, const ompt_frame *frame,
                            ompt_data *parallel, unsigned requested, int flags,
                            const void *codeptr);
void rw_ompt_parallel_end(ompt_data *parallel, ompt_data *encountering_task, int flags,
                          const void *codeptr);
void rw_ompt_implicit_task(int endpoint, ompt_data *parallel, ompt_data *task,
                           unsigned actual_parallelism, unsigned index, int flags);
void rw_ompt_sync_region(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                         const void *codeptr);
void rw_ompt_sync_region_wait(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                              const void *codeptr);
void rw_ompt_task_create(ompt_data *encountering_task, const ompt_frame *frame,
                         ompt_data *new_task, int flags, int has_dependences,
                         const void *codeptr);
void rw_ompt_task_schedule(ompt_data *prior, int prior_status, ompt_data *next);
void rw_ompt_dependences(ompt_data *task, const ompt_dependence *deps, int ndeps);
void rw_ompt_mutex_acquired(int kind, ompt_wait_id wait_id, const void *codeptr);
void rw_ompt_mutex_released(int kind, ompt_wait_id wait_id, const void *codeptr);
void rw_ompt_reduction(int kind, int endpoint, ompt_data *parallel, ompt_data *task,
                       const void *codeptr);
/* ompt_mutex.c: a taskgroup's wait is over; inside a task reduction's
 * end (__kmpc_task_reduction_modifier_fini), libomp's combination
 * follows and is not recorded. */
void rw_ompt_taskgroup_wait_done(void);

/* ompt_loop.c: end the implicit task's current unit fiber (loop chunk
 * or single block), if any, and order the thread after every unit it ran
 * in the construct (its end, or a barrier). */
void rw_ompt_units_close(rw_ompt_task *it);

/* ompt_tool.c: libomp's ompt_get_state (NULL if it has none). */
extern int (*rw_ompt_get_state)(ompt_wait_id *wait_id);
/* ompt_tool.c: libomp's ompt_get_task_info (NULL if it has none). */
typedef int (*rw_ompt_get_task_info_fn)(int ancestor_level, int *flags, ompt_data **task_data,
                                        ompt_frame **task_frame, ompt_data **parallel_data,
                                        int *thread_num);
extern rw_ompt_get_task_info_fn rw_ompt_get_task_info;
/* The OMPT thread state libomp 14 reports at a region's join barrier. */
#define RW_OMPT_STATE_OVERHEAD 0x101

/* ompt_tool.c: 1 once libomp started our tool. */
extern int rw_ompt_active;

#endif
