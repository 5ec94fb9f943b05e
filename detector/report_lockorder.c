/* report_lockorder.c: the text of a lock-order inversion report
 * (shared/spec/reports.md):
 *
 *   ==================
 *   WARNING: LOCK ORDER INVERSION (potential deadlock)
 *   Cycle in lock order graph: M1 (0x...) => M2 (0x...) => M1
 *   Mutex M2 acquired here while holding mutex M1 in thread 2:
 *     transfer()
 *         /src/bank.c:18 +0x44
 *
 *   Mutex M1 previously acquired by the same thread here:
 *     ...
 *   ==================
 *
 * One pair of stacks per edge of the cycle; locks are named M1, M2... in
 * cycle order. */
#include "detector/lockgraph.h"
#include "detector/report.h"
#include "detector/stackdepot.h"

static void stack_of(rw_buf *out, uint32_t id, rw_symbolize_fn sym)
{
    rw_report_stack s;
    s.n = (int)rw_stack_get(id, s.pcs, RW_MAX_STACK);
    rw_format_stack(out, &s, sym);
}

void rw_format_lock_cycle(rw_buf *out, const rw_lock_cycle *c, rw_symbolize_fn sym, int color)
{
    rw_buf_printf(out, "==================\n");
    rw_buf_printf(out, "%sWARNING: LOCK ORDER INVERSION (potential deadlock)%s\n",
                  color ? "\033[1;31m" : "", color ? "\033[0m" : "");
    rw_buf_printf(out, "Cycle in lock order graph:");
    for (int i = 0; i < c->n; i++)
        rw_buf_printf(out, " M%d (%p) =>", i + 1, (void *)c->edges[i].from_addr);
    rw_buf_printf(out, " M1\n");
    for (int i = 0; i < c->n; i++) {
        const rw_lock_edge *e = &c->edges[i];
        int from = i + 1, to = i + 2 > c->n ? 1 : i + 2;
        if (i > 0)
            rw_buf_printf(out, "\n");
        rw_buf_printf(out, "Mutex M%d acquired here while holding mutex M%d in thread %u:\n", to,
                      from, e->thread);
        stack_of(out, e->to_stack, sym);
        rw_buf_printf(out, "\nMutex M%d previously acquired by the same thread here:\n", from);
        stack_of(out, e->from_stack, sym);
    }
    rw_buf_printf(out, "==================\n");
}
