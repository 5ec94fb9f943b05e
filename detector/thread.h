/* thread.h: threads as the detector sees them.
 *
 * A *slot* is what shadow cells and vector clocks name (14 bits).  It owns
 * a clock that only grows and the event trace; its rw_thread state is
 * reused by later threads.  A *thread* is what reports name: "thread N",
 * numbered 1 (main), 2, 3... in creation order and never reused, with its
 * creation stack (rw_thread_info).
 *
 * A new thread takes over a finished thread's slot only when its creator
 * already knows everything that thread did (creator.vc[slot] >= the slot's
 * final clock, as after a join).  The new thread then continues the slot's
 * clock, so treating both threads' accesses as one thread's is exact: all
 * of the old thread happened before all of the new one.  Threads that are
 * never joined keep their slots; at most 16383 slots exist at once. */
#ifndef RW_THREAD_H
#define RW_THREAD_H

#include <stdint.h>

#include "detector/cell.h"
#include "detector/lockgraph.h"
#include "detector/spinlock.h"
#include "detector/trace.h"
#include "detector/vclock.h"
#include "detector/waitfor.h"

typedef struct rw_thread_info {
    uint32_t number;        /* "thread N" */
    uint32_t parent;        /* creator's number, 0 for the main thread */
    uint32_t create_stack;  /* stack depot id of the pthread_create call */
    uint32_t slot;
    int finished;
    int detached;
    int joined;             /* a join of it returned */
    int leak_exempt;        /* never a thread leak: still running when the
                               program began to exit (or main left by
                               pthread_exit), never started, or left
                               behind by fork */
    uintptr_t stack_lo, stack_hi;   /* the thread's stack (and static TLS) */
    uintptr_t tls_lo, tls_hi;
    rw_vclock exit_vc;      /* released at thread end, acquired by join */
    uint64_t start_pos;     /* slot clock when this thread took the slot */
    void *user;             /* runtime-owned data (pthread_t etc.) */
    rw_waiter waiter;       /* its state for the deadlock checks */
} rw_thread_info;

typedef struct rw_thread {
    /* --- hot: touched on every access and call --- */
    uint64_t pos;           /* the slot's clock = position of the last event */
    uint64_t last_release;  /* pos at the last release by this slot */
    uint32_t slot;
    int ignore;             /* > 0: accesses are not recorded */
    int busy;               /* inside the slow path: a signal handler's
                               accesses then go unrecorded instead of
                               re-entering it (it holds spinlocks) */
    rw_cell *open_cells;    /* the open read's granule's cells, NULL when
                               none: tested at every call */
    uintptr_t *stack;       /* call stack (return addresses), outermost first */
    uint32_t depth;
    uint32_t stack_cap;
    rw_trace trace;
    rw_vclock vc;
    /* --- fences: C11 atomic_thread_fence --- */
    rw_vclock fence_release;     /* our clock at the last release fence */
    int has_fence_release;       /* later relaxed stores release it */
    uintptr_t relaxed_reads[16]; /* recent relaxed atomic reads, acquired */
    uint32_t nrelaxed_reads;     /* by the next acquire fence */
    rw_held_set held;            /* locks held now, for the lock order */
    /* Names this clock while it only grows: a new one whenever the slot's
     * clock is set afresh (a new occupant, a fiber), never 0.  A sync
     * object names the clock that holds its own (syncvar.h, clock_of). */
    uint32_t clock_id;
    /* --- the open read (detector/race_check.c, "the open read"): the
     * plain reads of less than 8 bytes this slot made of one granule
     * since it last stored a cell, checked but not stored yet --- */
    struct rw_open_read {
        uintptr_t granule;
        uintptr_t last_pc;      /* the latest read's pc: the store's trace
                                   event is taken for it */
        rw_cell cells[4];       /* the granule's cells when it opened
                                   (RW_CELLS_PER_GRANULE) */
        uintptr_t pc[8];        /* per byte: its latest read's pc, */
        uint8_t read_bits[8];   /* offset and size-log bits (cell bits
                                   57..61) */
        uint32_t mask;          /* the bytes read */
        int storing;            /* its store's reports name the reads */
    } open_read;
    /* The even granule before open_read's, all 8 bytes read, kept while
     * open_read is open so that both are stored by one cmpxchg16b
     * (race_check.c, "The open read's pair"); held_cells is its cells,
     * NULL when none (never set while open_cells is NULL). */
    struct rw_open_read held_read;
    rw_cell *held_cells;
    /* --- the pending write (runtime/pending_write.c): the bytes of this
     * slot's short copies from one call site, checked but not stored
     * yet, in the 128 bytes from pend_base (0: none) --- */
    uintptr_t pend_base;
    uint64_t pend_mask[2];      /* bytes [pend_base, +64), [+64, +128) */
    uintptr_t pend_pc;          /* the copies' call site */
    /* --- cold --- */
    rw_thread_info *info;   /* current occupant */
    uint64_t final_pos;     /* clock when the last occupant finished */
    uint64_t prev_final_pos;/* final_pos before the current occupant */
    int in_use;
    struct rw_occupant { uint64_t start_pos; rw_thread_info *info; } *occupants;
    uint32_t noccupants, occupants_cap;
} rw_thread;

/* Set up the registry; trace_bits = log2 of events per slot's history. */
int rw_threads_init(unsigned trace_bits);

/* The main thread (number 1).  NULL on failure. */
rw_thread *rw_thread_create_main(void);

/* Zero until a second thread or a fiber is created (set by the creator,
 * before the new one runs; never cleared).  Until then no access can take
 * part in a race: every thread that will ever run is created later, so
 * everything done so far happens before all of its accesses.  The
 * runtime's range checks (interceptors, fd and stream objects) store no
 * cells while it is zero (runtime/rt.h, rw_runtime_check_range). */
extern int rw_second_thread_created;

/* Called by the parent before the OS thread exists: picks a slot (reusing
 * one the parent knows finished), performs the parent's release into the
 * child (child.vc = parent.vc), and returns the child's state.  NULL when
 * no slot is left (the child then runs unwatched). */
rw_thread *rw_thread_create(rw_thread *parent, uint32_t create_stack);

/* Fibers: a logical thread that runs for a while on an OS thread (the
 * host), with a slot and a clock of its own, so that what it does is not
 * ordered by program order alone with what its host did before or does
 * after it, nor with other fibers run by the same host.  It starts with
 * the clock start (its creation edge) and the host's call stack; reports
 * name the host's thread.  A slot is reused only if start covers its
 * history, as for threads; fibers make at most RW_MAX_FIBER_SLOTS slots
 * (every vector clock grows with the slots in use, and threads need
 * theirs).  NULL when no slot is left (the caller then goes on with the
 * host).  The caller makes it current and, once done,
 * finishes it (its slot becomes reusable) and goes back to the host. */
#define RW_MAX_FIBER_SLOTS 64
rw_thread *rw_fiber_create(rw_thread *host, const rw_vclock *start);
void rw_fiber_finish(rw_thread *f);

/* Undo rw_thread_create when the OS thread could not be made. */
void rw_thread_abandon(rw_thread *t);

/* The thread's last event: its release for joiners, and its slot becomes
 * reusable.  The rw_thread stays valid (accesses after this are ignored). */
void rw_thread_finish(rw_thread *t);

/* The open read stored (race_check.c): before anything that changes the
 * slot's clock or what it knows (a release, an acquire), a call or a
 * return, and any other check of the slot. */
void rw_open_read_store(rw_thread *t);
static inline void rw_open_read_flush(rw_thread *t)
{
    if (__builtin_expect(t->open_cells != NULL, 0))
        rw_open_read_store(t);
}

/* The runtime's store of t's pending copies (runtime/pending_write.c),
 * set when it opens the first window: before anything that changes the
 * slot's clock or what it knows.  Interceptors store them at entry
 * (rw_enter); this is for the releases and acquires made elsewhere (OMPT
 * callbacks, fibers). */
extern void (*rw_pending_write_hook)(rw_thread *t);
static inline void rw_pending_write_flush(rw_thread *t)
{
    if (__builtin_expect(t->pend_base != 0, 0))
        rw_pending_write_hook(t);
}

/* Release / acquire helpers on the thread's own clock. */
static inline void rw_thread_prepare_release(rw_thread *t)
{
    rw_open_read_flush(t);
    rw_pending_write_flush(t);
    rw_vclock_set(&t->vc, t->slot, t->pos);
    t->last_release = t->pos;
}

/* For each slot s < n: the smallest clock of s that every live thread's
 * vector clock holds (an event of s at or below it happens before
 * everything any thread does from now on: a live thread's clock only
 * grows, a new thread starts from its creator's), into known[s]; returns
 * how many slots were filled, 0 when the registry was busy (never waits:
 * called from the race check's slow path) or fibers exist (a fiber starts
 * from a task's creation clock, which may be older). */
uint32_t rw_threads_known_by_all(uint64_t *known, uint32_t n);

/* Who occupied slot at clock pos (NULL if unknown). */
rw_thread_info *rw_thread_info_at(uint32_t slot, uint64_t pos);
/* The rw_thread of a slot (for trace replay). */
rw_thread *rw_thread_by_slot(uint32_t slot);
/* Thread info by number (NULL if unknown). */
rw_thread_info *rw_thread_info_by_number(uint32_t number);
uint32_t rw_thread_count(void);
/* Slots ever made (statistics). */
uint32_t rw_thread_slots_used(void);
/* The threads an exiting thread leaves behind, for checking their
 * deferred accesses at exit: the next thread after *slot (start at 0) that
 * is live, not self and not inside a check (busy), with *slot set to its
 * slot; NULL after the last. */
rw_thread *rw_thread_next_other_idle(rw_thread *self, uint32_t *slot);

/* Append an event and advance the clock. */
static inline void rw_thread_event(rw_thread *t, unsigned type, uintptr_t pc)
{
    /* The event may follow a window event (trace.h): its position is
     * the clock. */
    t->pos = rw_trace_put(&t->trace, t->pos + 1,
                          ((uint64_t)type << RW_EV_SHIFT) | (pc & RW_EV_PC_MASK), t->stack, t->depth);
}

/* Push/pop the call stack (function entry/exit) with their events. */
void rw_thread_grow_stack(rw_thread *t);
static inline void rw_thread_func_entry(rw_thread *t, uintptr_t callpc)
{
    rw_thread_event(t, RW_EV_ENTRY, callpc);
    if (__builtin_expect(t->depth >= t->stack_cap, 0))
        rw_thread_grow_stack(t);
    t->stack[t->depth++] = callpc;
}
static inline void rw_thread_func_exit(rw_thread *t)
{
    rw_thread_event(t, RW_EV_EXIT, 0);
    if (t->depth > 0)
        t->depth--;
}

/* Locks held by the fork handlers around fork(). */
void rw_threads_lock_all(void);
void rw_threads_unlock_all(void);

/* In a fork child (registry unlocked): only survivor, the forking thread,
 * exists.  Every other thread ends where the fork found it (finished, its
 * slot free, its final clock ready for a join), and survivor acquires
 * every slot's clock: all the parent did happened before the child's
 * next event. */
void rw_threads_after_fork(rw_thread *survivor);

#endif
