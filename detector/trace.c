/* trace.c: opening trace parts, replaying them, and the histories of
 * finished threads (see trace.h).
 *
 * The owner thread writes its ring without locks while a reporting thread
 * may replay it; the replay checks before and after reading that the part
 * was not reopened, so a torn read is dropped, never reported.  A ring is
 * never unmapped, so a replay that races with a retire reads stale words
 * at worst, and its second check drops them.  The retired histories are
 * kept under their own lock: replaying one and recycling its ring cannot
 * overlap. */
#include "detector/trace.h"

#include <string.h>

#include "detector/alloc.h"
#include "detector/spinlock.h"

static void set_size(rw_trace *tr, unsigned bits)
{
    tr->bits = bits;
    tr->ring_mask = (UINT64_C(1) << bits) - 1;
    tr->part_mask = (UINT64_C(1) << (bits - 3)) - 1;
}

static void close_parts(rw_trace *tr)
{
    for (int i = 0; i < RW_TRACE_PARTS; i++)
        __atomic_store_n(&tr->parts[i].start, UINT64_MAX, __ATOMIC_RELEASE);
}

int rw_trace_init(rw_trace *tr, unsigned bits)
{
    set_size(tr, bits);
    tr->ev = rw_map_reserve_as(((size_t)1 << bits) * sizeof(uint32_t), RW_MAP_TRACE);
    tr->window = 0;
    for (int i = 0; i < RW_TRACE_PARTS; i++) {
        tr->parts[i].start = UINT64_MAX;
        tr->parts[i].window = 0;
        tr->parts[i].depth = 0;
        tr->parts[i].dropped = 0;
    }
    return tr->ev ? 0 : -1;
}

void rw_trace_open_part(rw_trace *tr, uint64_t pos, const uintptr_t *stack, uint32_t depth)
{
    rw_trace_part *p = &tr->parts[(pos >> (tr->bits - 3)) & (RW_TRACE_PARTS - 1)];
    __atomic_store_n(&p->start, UINT64_MAX, __ATOMIC_RELEASE);
    uint32_t keep = depth < RW_PART_STACK ? depth : RW_PART_STACK;
    /* Keep the innermost frames: they matter most in a report. */
    for (uint32_t i = 0; i < keep; i++)
        p->stack[i] = stack[depth - keep + i];
    p->depth = keep;
    p->dropped = depth - keep;
    p->window = tr->window;
    __atomic_store_n(&p->start, pos, __ATOMIC_RELEASE);
}

static void put_word(rw_trace *tr, uint64_t pos, uint32_t word, const uintptr_t *stack,
                     uint32_t depth)
{
    if ((pos & tr->part_mask) == 0) {
        /* A thread that wrote into a part by its events will most likely
         * fill the next one: its pages are mapped in one call rather than
         * by a fault per page (barnes: 2.1M locks, an event each, about
         * 1,000 faults in the four threads' first laps).  Not a new
         * thread's first part (rw_trace_open_part from thread start or
         * rw_trace_retire), so a thread of a few events costs no more than
         * before; on later laps the pages are there and the call is
         * cheap. */
        rw_map_populate(&tr->ev[pos & tr->ring_mask], (tr->part_mask + 1) * sizeof(uint32_t));
        rw_trace_open_part(tr, pos, stack, depth);
    }
    __atomic_store_n(&tr->ev[pos & tr->ring_mask], word, __ATOMIC_RELAXED);
}

uint64_t rw_trace_put_slow(rw_trace *tr, uint64_t pos, uint64_t ev, const uintptr_t *stack,
                           uint32_t depth)
{
    unsigned type = (unsigned)(ev >> RW_EV_SHIFT);
    uint64_t pc = ev & RW_EV_PC_MASK;
    uint32_t payload = (uint32_t)pc & RW_WORD_MARK_MASK;
    if (rw_event_has_pc(type)) {
        uint64_t window = pc >> RW_WORD_TYPE_SHIFT;
        if (window != tr->window) {
            /* The window event opens the part if pos does: the header
             * keeps the old window, the replay meets the change. */
            put_word(tr, pos, (uint32_t)RW_EV_MARK << RW_WORD_TYPE_SHIFT | RW_WORD_WINDOW_FLAG |
                                  (uint32_t)window, stack, depth);
            tr->window = window;
            pos++;
        }
        payload = (uint32_t)pc & RW_WORD_LOW_MASK;
    }
    put_word(tr, pos, (uint32_t)type << RW_WORD_TYPE_SHIFT | payload, stack, depth);
    return pos;
}

int rw_trace_restore(const rw_trace *tr, uint64_t now, uint64_t pos, uintptr_t *out, int max)
{
    const uint32_t *ev = __atomic_load_n(&tr->ev, __ATOMIC_ACQUIRE);
    uint64_t ring = UINT64_C(1) << tr->bits;
    uint64_t part_size = ring / RW_TRACE_PARTS;
    if (!ev || pos > now || max <= 0)
        return 0;
    uint64_t part_first = pos & ~(part_size - 1);
    if (now >= part_first + ring)
        return 0; /* overwritten */
    const rw_trace_part *p = &tr->parts[(pos >> (tr->bits - 3)) & (RW_TRACE_PARTS - 1)];
    uint64_t start = __atomic_load_n(&p->start, __ATOMIC_ACQUIRE);
    if (start == UINT64_MAX || start < part_first || start > pos)
        return 0;

    enum { CAP = 512 };
    uintptr_t stack[CAP];
    uint32_t depth = p->depth < CAP ? p->depth : CAP;
    for (uint32_t i = 0; i < depth; i++)
        stack[i] = p->stack[i];
    uint64_t window = p->window;
    uint64_t mask = ring - 1;
    uintptr_t pc = 0;
    for (uint64_t q = start; q <= pos; q++) {
        uint32_t w = __atomic_load_n(&ev[q & mask], __ATOMIC_RELAXED);
        unsigned type = w >> RW_WORD_TYPE_SHIFT;
        uint32_t low = w & RW_WORD_LOW_MASK;
        uintptr_t epc = (uintptr_t)(window << RW_WORD_TYPE_SHIFT | low);
        if (q == pos) {
            pc = rw_event_has_pc(type) ? epc : low;
            break;
        }
        if (type == RW_EV_ENTRY) {
            if (depth < CAP)
                stack[depth++] = epc;
        } else if (type == RW_EV_EXIT) {
            if (depth > 0)
                depth--;
        } else if (type == RW_EV_MARK && low == 0) {
            depth = 0;
        } else if (type == RW_EV_MARK && (low & RW_WORD_WINDOW_FLAG)) {
            window = low & RW_WORD_MARK_MASK;
        }
    }
    /* The writer may have lapped us while we read: then nothing is sure. */
    if (__atomic_load_n(&p->start, __ATOMIC_ACQUIRE) != start ||
        __atomic_load_n(&tr->ev, __ATOMIC_ACQUIRE) != ev)
        return 0;
    int n = 0;
    out[n++] = pc;
    for (uint32_t i = depth; i > 0 && n < max; i--)
        out[n++] = stack[i - 1];
    return n;
}

/* --- histories of finished threads ------------------------------------ */

static struct retired {
    uint32_t slot;          /* 0: unused */
    uint64_t last;          /* position of the history's last event */
    rw_trace tr;
} retired[RW_RETIRED_TRACES] RW_LARGE_BSS;
static unsigned oldest_retired; /* next to be recycled */
static rw_spin retired_lock = RW_SPIN_INIT;

/* A ring handed on holds an older history that nobody reads any more:
 * its pages go back, except the quarter of the ring the new thread writes
 * first (from position first on), so the ring costs what the new thread
 * writes, and a short thread does not fault its first pages in again.
 * kmeans starts 2 threads per iteration: 16 retired rings were 16 of its
 * 32 MiB, whatever the threads wrote (docs/design.md, "Peak memory,
 * second session"). */
static void forget_stale_pages(uint32_t *ring, uint64_t events, uint64_t first)
{
    size_t size = events * sizeof(uint32_t), keep = size / 4;
    if (keep < 4096)
        return;
    size_t lo = (size_t)(first & (events - 1)) * sizeof(uint32_t) & ~(size_t)4095;
    size_t hi = lo + keep;
    char *base = (char *)ring;
    if (hi <= size) {
        if (lo > 0)
            rw_map_forget(base, lo);
        if (hi < size)
            rw_map_forget(base + hi, size - hi);
    } else {
        rw_map_forget(base + (hi - size), lo - (hi - size));
    }
}

void rw_trace_retire(rw_trace *tr, uint32_t slot, uint64_t last)
{
    rw_spin_lock(&retired_lock);
    struct retired *r = &retired[oldest_retired];
    uint32_t *ring = r->slot ? r->tr.ev : rw_map_reserve_as((tr->ring_mask + 1) * sizeof(uint32_t), RW_MAP_TRACE);
    if (!ring) {
        rw_spin_unlock(&retired_lock);
        return;
    }
    if (r->slot)
        forget_stale_pages(ring, tr->ring_mask + 1, last + 1);
    r->slot = slot;
    r->last = last;
    memcpy(&r->tr, tr, sizeof *tr);
    oldest_retired = (oldest_retired + 1) % RW_RETIRED_TRACES;
    /* Readers of tr see the parts closed before the ring changes. */
    close_parts(tr);
    /* The word at last is the new thread's previous event for
     * __tsan_func_exit's test (a call that stored nothing): a marker, not
     * whatever the recycled ring held there. */
    ring[last & tr->ring_mask] = (uint32_t)RW_EV_MARK << RW_WORD_TYPE_SHIFT;
    __atomic_store_n(&tr->ev, ring, __ATOMIC_RELEASE);
    rw_spin_unlock(&retired_lock);
    rw_trace_open_part(tr, last + 1, NULL, 0);
}

int rw_trace_restore_retired(uint32_t slot, uint64_t pos, uintptr_t *out, int max)
{
    int n = 0;
    rw_spin_lock(&retired_lock);
    /* The history that holds pos is the one that ends first after it. */
    struct retired *best = NULL;
    for (unsigned i = 0; i < RW_RETIRED_TRACES; i++) {
        struct retired *r = &retired[i];
        if (r->slot == slot && r->last >= pos && (!best || r->last < best->last))
            best = r;
    }
    if (best)
        n = rw_trace_restore(&best->tr, best->last, pos, out, max);
    rw_spin_unlock(&retired_lock);
    return n;
}

void rw_trace_lock_retired(void)
{
    rw_spin_lock(&retired_lock);
}

void rw_trace_unlock_retired(void)
{
    rw_spin_unlock(&retired_lock);
}
