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
 * history_size option: 32K << history_size events. */
#ifndef RW_TRACE_H
#define RW_TRACE_H

#include <stdint.h>

#define RW_TRACE_PARTS 8
#define RW_PART_STACK 128

enum rw_event_type {
    RW_EV_ACCESS = 0,
    RW_EV_ENTRY = 1,
    RW_EV_EXIT = 2,
    RW_EV_MARK = 3,     /* pc 0: the slot got a new thread, forget the stack */
};

#define RW_EV_SHIFT 62
#define RW_EV_PC_MASK ((UINT64_C(1) << RW_EV_SHIFT) - 1)

typedef struct rw_trace_part {
    uint64_t start;                 /* position of the part's first event */
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

/* Snapshot the call stack into the part that pos opens. */
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

#endif
