/* lockgraph.h: the lock-order graph, for potential deadlocks (lock-order
 * inversions) found even in runs that did not deadlock.
 *
 * As in the Linux lockdep validator: when a thread acquires lock B while
 * it holds lock A, the graph gets the edge A -> B (once, with the stacks
 * of both acquisitions and the thread).  An edge that closes a cycle
 * (B already reaches A) is a potential deadlock: some interleaving of
 * those acquisitions deadlocks.  Each cycle is reported once.  Locks are
 * named by their sync object's uid, so a lock destroyed and re-created
 * at the same address is a new node.  Try-lock acquisitions add no edge
 * into the lock (they cannot block), only edges out of it later.
 *
 * Each thread keeps the list of locks it holds (rw_held_set, growable:
 * no limit on how many locks a thread may hold at once). */
#ifndef RW_LOCKGRAPH_H
#define RW_LOCKGRAPH_H

#include <stdint.h>

typedef struct rw_held {
    uint64_t uid;
    uintptr_t addr;
    uint32_t stack;      /* where it was acquired (depot id), 0: not yet
                            made; the runtime rebuilds it from the
                            thread's trace at pos when an edge needs it */
    uint64_t pos;
    uintptr_t pc;
    int robust;          /* a robust mutex: its owner may die holding it
                            (the next locker gets EOWNERDEAD) */
    struct rw_sync *sync;/* the runtime's sync object of addr (the one
                            object that address ever has), or NULL */
} rw_held;

typedef struct rw_held_set {
    rw_held *items;
    uint32_t n, cap;
} rw_held_set;

/* Push a held lock (out of line when the set must grow); NULL if it
 * could not grow. */
rw_held *rw_held_push_grow(rw_held_set *h, uint64_t uid, uintptr_t addr, uint32_t stack);
static inline rw_held *rw_held_push(rw_held_set *h, uint64_t uid, uintptr_t addr, uint32_t stack)
{
    if (__builtin_expect(h->n == h->cap, 0))
        return rw_held_push_grow(h, uid, addr, stack);
    rw_held *e = &h->items[h->n++];
    *e = (rw_held){ .uid = uid, .addr = addr, .stack = stack };
    return e;
}
/* Push a held lock with all its fields, each stored once (the lock
 * path fills them all); NULL if the set could not grow. */
static inline rw_held *rw_held_push_full(rw_held_set *h, uint64_t uid, uintptr_t addr,
                                         uint64_t pos, uintptr_t pc, int robust,
                                         struct rw_sync *sync)
{
    if (__builtin_expect(h->n == h->cap, 0)) {
        rw_held *e = rw_held_push_grow(h, uid, addr, 0);
        if (e) {
            e->pos = pos;
            e->pc = pc;
            e->robust = robust;
            e->sync = sync;
        }
        return e;
    }
    rw_held *e = &h->items[h->n++];
    e->uid = uid;
    e->addr = addr;
    e->stack = 0;
    e->pos = pos;
    e->pc = pc;
    e->robust = robust;
    e->sync = sync;
    return e;
}
/* Remove the most recent entry for uid; 1 if it was held.  Inline for
 * the usual case, the lock taken last released first. */
int rw_held_remove_inner(rw_held_set *h, uint64_t uid);
static inline int rw_held_remove(rw_held_set *h, uint64_t uid)
{
    if (__builtin_expect(h->n > 0 && h->items[h->n - 1].uid == uid, 1)) {
        h->n--;
        return 1;
    }
    return rw_held_remove_inner(h, uid);
}
int rw_held_contains(const rw_held_set *h, uint64_t uid);
void rw_held_clear(rw_held_set *h);

typedef struct rw_lock_edge {
    uint64_t from, to;
    uintptr_t from_addr, to_addr;
    uint32_t from_stack, to_stack;  /* acquisition stacks of from and to */
    uint32_t thread;
} rw_lock_edge;

#define RW_MAX_LOCK_CYCLE 32

typedef struct rw_lock_cycle {
    int n;                                 /* edges (= locks) in the cycle */
    rw_lock_edge edges[RW_MAX_LOCK_CYCLE]; /* edges[i].to == edges[i+1].from */
} rw_lock_cycle;

/* Would acquiring uid while holding h add an edge the graph lacks?  The
 * common answer, no, takes no lock and no stack: callers make stacks only
 * when this says yes. */
int rw_lockgraph_is_new(const rw_held_set *h, uint64_t uid);

/* Thread `thread`, holding h, acquires (uid, addr) with stack `stack`
 * (blocking acquisition).  Adds the new edges; returns 1 and fills *cycle
 * when one of them closes a cycle not reported before. */
int rw_lockgraph_acquire(const rw_held_set *h, uint64_t uid, uintptr_t addr, uint32_t stack,
                         uint32_t thread, rw_lock_cycle *cycle);

/* Number of edges (statistics, tests). */
uint32_t rw_lockgraph_edges(void);

/* The graph's lock, held by the fork handlers around fork(). */
void rw_lockgraph_lock_all(void);
void rw_lockgraph_unlock_all(void);

#endif
