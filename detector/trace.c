/* trace.c: opening trace parts and replaying them (see trace.h).
 *
 * The owner thread writes its ring without locks while a reporting thread
 * may replay it; the replay checks before and after reading that the part
 * was not overwritten, so a torn read is dropped, never reported. */
#include "detector/trace.h"

#include "detector/alloc.h"

int rw_trace_init(rw_trace *tr, unsigned bits)
{
    tr->bits = bits;
    tr->ring_mask = (UINT64_C(1) << bits) - 1;
    tr->part_mask = (UINT64_C(1) << (bits - 3)) - 1;
    tr->ev = rw_map_reserve(((size_t)1 << bits) * sizeof(uint64_t));
    for (int i = 0; i < RW_TRACE_PARTS; i++) {
        tr->parts[i].start = UINT64_MAX;
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
    __atomic_store_n(&p->start, pos, __ATOMIC_RELEASE);
}

int rw_trace_restore(const rw_trace *tr, uint64_t now, uint64_t pos, uintptr_t *out, int max)
{
    uint64_t ring = UINT64_C(1) << tr->bits;
    uint64_t part_size = ring / RW_TRACE_PARTS;
    if (!tr->ev || pos > now || max <= 0)
        return 0;
    uint64_t start = pos & ~(part_size - 1);
    if (now >= start + ring)
        return 0; /* overwritten */
    const rw_trace_part *p = &tr->parts[(pos >> (tr->bits - 3)) & (RW_TRACE_PARTS - 1)];
    if (__atomic_load_n(&p->start, __ATOMIC_ACQUIRE) != start)
        return 0;

    enum { CAP = 512 };
    uintptr_t stack[CAP];
    uint32_t depth = p->depth < CAP ? p->depth : CAP;
    for (uint32_t i = 0; i < depth; i++)
        stack[i] = p->stack[i];
    uint64_t mask = ring - 1;
    uintptr_t pc = 0;
    for (uint64_t q = start; q <= pos; q++) {
        uint64_t ev = __atomic_load_n(&tr->ev[q & mask], __ATOMIC_RELAXED);
        unsigned type = (unsigned)(ev >> RW_EV_SHIFT);
        uintptr_t epc = (uintptr_t)(ev & RW_EV_PC_MASK);
        if (q == pos) {
            pc = epc;
            break;
        }
        if (type == RW_EV_ENTRY) {
            if (depth < CAP)
                stack[depth++] = epc;
        } else if (type == RW_EV_EXIT) {
            if (depth > 0)
                depth--;
        } else if (type == RW_EV_MARK && epc == 0) {
            depth = 0;
        }
    }
    /* The writer may have lapped us while we read: then nothing is sure. */
    if (__atomic_load_n(&p->start, __ATOMIC_ACQUIRE) != start)
        return 0;
    int n = 0;
    out[n++] = pc;
    for (uint32_t i = depth; i > 0 && n < max; i--)
        out[n++] = stack[i - 1];
    return n;
}
