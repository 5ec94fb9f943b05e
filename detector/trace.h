/* trace.h: each thread slot's event history, from which the stack of an
 * earlier access is rebuilt when a race is reported.
 *
 * Every event a slot records (a stored memory access, function entry and
 * exit, markers) takes the next position of the slot's clock and one
 * 32-bit word in a ring of 2^bits words: the top two bits are the event
 * type, the other 30 the low bits of the pc.  The pc's high bits (its
 * *window*, pc >> 30) are the trace's current window: an event whose pc
 * lies in another window is preceded by a window event (a MARK word with
 * RW_WORD_WINDOW_FLAG) that takes a position of its own and changes the
 * window for the events after it.  Instrumented code is normally one
 * executable, so a thread writes a window event at its first event and
 * seldom again.
 *
 * The ring is cut into 8 parts; when an event opens a part, the current
 * call stack and window are copied into the part's header.  To rebuild
 * the stack at position p: start from the header of p's part and replay
 * entries, exits and window changes up to p (ThreadSanitizer v2's
 * scheme).  History reaches back between 7/8 and all of the ring: older
 * positions report "[failed to restore the stack]".  The runtime sizes
 * the ring from the history_size option: 64K << history_size events.
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
 * of its last finished threads).  The handed-on ring's pages are given
 * back first, but for the quarter its new thread writes first: a ring
 * costs the memory its own thread wrote, not the older history it held. */
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

/* An event as callers give it: type << RW_EV_SHIFT | pc. */
#define RW_EV_SHIFT 62
#define RW_EV_PC_MASK ((UINT64_C(1) << RW_EV_SHIFT) - 1)

/* An event as the ring holds it: type << RW_WORD_TYPE_SHIFT | low pc bits.
 * A MARK word is a new-thread marker when its payload is 0, a marker
 * only otherwise, and a window event when RW_WORD_WINDOW_FLAG is set
 * (the rest is the new window). */
#define RW_WORD_TYPE_SHIFT 30
#define RW_WORD_LOW_MASK ((UINT32_C(1) << RW_WORD_TYPE_SHIFT) - 1)
#define RW_WORD_WINDOW_FLAG (UINT32_C(1) << 29)
#define RW_WORD_MARK_MASK (RW_WORD_WINDOW_FLAG - 1)

typedef struct rw_trace_part {
    uint64_t start;                 /* position the part was opened at */
    uint64_t window;                /* the trace's window then */
    uint32_t depth;                 /* frames in stack (innermost last) */
    uint32_t dropped;               /* outer frames that did not fit */
    uintptr_t stack[RW_PART_STACK];
} rw_trace_part;

typedef struct rw_trace {
    uint32_t *ev;
    uint64_t ring_mask;     /* 2^bits - 1: position -> index in ev */
    uint64_t part_mask;     /* 2^(bits-3) - 1: 0 where a part opens */
    uint64_t window;        /* pc >> 30 of the events written now */
    unsigned bits;
    rw_trace_part parts[RW_TRACE_PARTS];
} rw_trace;

/* Map the ring (2^bits events).  Returns 0 or -1. */
int rw_trace_init(rw_trace *tr, unsigned bits);

/* Snapshot the call stack into the part of pos, opened at pos. */
void rw_trace_open_part(rw_trace *tr, uint64_t pos, const uintptr_t *stack, uint32_t depth);

/* The rare cases of rw_trace_put: a part opens, or the pc's window
 * changes (a window event first, at pos).  Returns the event's position. */
uint64_t rw_trace_put_slow(rw_trace *tr, uint64_t pos, uint64_t ev,
                           const uintptr_t *stack, uint32_t depth);

static inline int rw_event_has_pc(unsigned type)
{
    return type == RW_EV_ACCESS || type == RW_EV_ENTRY;
}

/* Record event ev (type << RW_EV_SHIFT | pc) at position pos, or at pos + 1
 * after a window event at pos.  Returns the event's position: the slot's
 * clock goes on from there. */
static inline uint64_t rw_trace_put(rw_trace *tr, uint64_t pos, uint64_t ev,
                                    const uintptr_t *stack, uint32_t depth)
{
    unsigned type = (unsigned)(ev >> RW_EV_SHIFT);
    uint64_t pc = ev & RW_EV_PC_MASK;
    if (__builtin_expect((pos & tr->part_mask) == 0 ||
                         (rw_event_has_pc(type) && (pc >> RW_WORD_TYPE_SHIFT) != tr->window), 0))
        return rw_trace_put_slow(tr, pos, ev, stack, depth);
    uint32_t payload = rw_event_has_pc(type) ? (uint32_t)pc & RW_WORD_LOW_MASK
                                             : (uint32_t)pc & RW_WORD_MARK_MASK;
    __atomic_store_n(&tr->ev[pos & tr->ring_mask],
                     (uint32_t)type << RW_WORD_TYPE_SHIFT | payload, __ATOMIC_RELAXED);
    return pos;
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
