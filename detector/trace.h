/* trace.h: each thread slot's event history, from which the stack of an
 * earlier access is rebuilt when a race is reported.
 *
 * Every event a slot records (a stored memory access, function entry and
 * exit, markers) takes the next position of the slot's clock and one
 * 64-bit word in a ring of 2^bits words: the top two bits are the event
 * type, the rest the pc.  The ring is cut into 8 parts; when an event
 * opens a part, the current call stack is copied into the part's header.
 * To rebuild the stack at position p: start from the header of p's part
 * and replay entries and exits up to p (ThreadSanitizer v2's scheme).
 * History reaches back between 7/8 and all of the ring: older positions
 * report "[failed to restore the stack]".  The ring size is the
 * history_size option: 32K << history_size events.
 *
 * A part's header records the position it was opened at, normally the
 * part's first; a ring handed to a new thread opens at the thread's first
 * event instead, and replay starts there.
 *
 * When a finished thread's slot goes to a new thread, the slot's ring is
 * retired with the old thread's history and the new thread gets another:
 * the RW_RETIRED_TRACES most recently retired histories stay readable
 * (the earlier access of a race is often by a thread that ended), and the
 * oldest one's ring is the one handed on, so the rings in use are at most
 * the slots plus RW_RETIRED_TRACES (as ThreadSanitizer keeps the traces
 * of its last finished threads). */
#ifndef RW_TRACE_H
#define RW_TRACE_H

#include <stdint.h>

#define RW_TRACE_PARTS 8
#define RW_PART_STACK 128
#define RW_RETIRED_TRACES 16

enum rw_event_type {
    RW_EV_ACCESS = 0,
    RW_EV_ENTRY = 1,
    RW_EV_EXIT = 2,
    RW_EV_MARK = 3,     /* pc 0: the slot got a new thread, forget the stack */
};

#define RW_EV_SHIFT 62
#define RW_EV_PC_MASK ((UINT64_C(1) << RW_EV_SHIFT) - 1)

typedef struct rw_trace_part {
    uint64_t start;                 /* position the part was opened at */
    uint32_t depth;                 /* frames in stack (innermost last) */
    uint32_t dropped;               /* outer frames that did not fit */
    uintptr_t stack[RW_PART_STACK];
} rw_trace_part;

typedef struct rw_trace {
    uint64_t *ev;
    uint64_t ring_mask;     /* 2^bits - 1: position -> index in ev */
    uint64_t part_mask;     /* 2^(bits-3) - 1: 0 where a part opens */
    unsigned bits;
    rw_trace_part parts[RW_TRACE_PARTS];
} rw_trace;

/* Map the ring (2^bits events).  Returns 0 or -1. */
int rw_trace_init(rw_trace *tr, unsigned bits);

/* Snapshot the call stack into the part of pos, opened at pos. */
void rw_trace_open_part(rw_trace *tr, uint64_t pos, const uintptr_t *stack, uint32_t depth);

/* Record event ev (type << RW_EV_SHIFT | pc) at position pos. */
static inline void rw_trace_put(rw_trace *tr, uint64_t pos, uint64_t ev,
                                const uintptr_t *stack, uint32_t depth)
{
    if (__builtin_expect((pos & tr->part_mask) == 0, 0))
        rw_trace_open_part(tr, pos, stack, depth);
    __atomic_store_n(&tr->ev[pos & tr->ring_mask], ev, __ATOMIC_RELAXED);
}

/* Rebuild the stack of the event at pos, innermost first (out[0] is the
 * event's own pc).  now is the slot's current position.  Returns the
 * number of frames, 0 when the history no longer holds pos. */
int rw_trace_restore(const rw_trace *tr, uint64_t now, uint64_t pos, uintptr_t *out, int max);

/* A finished thread's slot goes to a new thread whose first event will be
 * at last + 1: keep the ring (history up to last) among the retired ones
 * and give tr another ring, opened at last + 1 with an empty stack.  The
 * caller holds the slot (no event is added meanwhile).  On failure (no
 * memory) tr keeps its ring, as before. */
void rw_trace_retire(rw_trace *tr, uint32_t slot, uint64_t last);

/* rw_trace_restore over the retired history of slot that holds pos. */
int rw_trace_restore_retired(uint32_t slot, uint64_t pos, uintptr_t *out, int max);

/* Held across fork() with the thread registry. */
void rw_trace_lock_retired(void);
void rw_trace_unlock_retired(void);

#endif
