/* report_deadlock.c: the text of a deadlock report, in the shape of Go's
 * goroutine dump (shared/spec/reports.md):
 *
 *   fatal error: all threads are asleep - deadlock!
 *
 *   thread 2 [pthread_mutex_lock]:
 *   worker()
 *   	/src/x.c:25 +0x31
 *   created by main() in thread 1
 *   	/src/x.c:11 +0x5e
 *
 * Frames are "function()" then a tab and "file:line +0xOFF" (Go's form,
 * unlike the indented frames of race reports); stacks stop at main. */
#include "detector/report.h"

#include <string.h>

#include "detector/stackdepot.h"
#include "detector/waitfor.h"

static void go_frame(rw_buf *out, const rw_frame *f)
{
    rw_buf_printf(out, "%s()\n", f->function[0] ? f->function : "??");
    if (f->file[0]) {
        rw_buf_printf(out, "\t%s:%d", f->file, f->line);
        if (f->has_func_offset)
            rw_buf_printf(out, " +0x%zx", (size_t)f->func_offset);
        rw_buf_printf(out, "\n");
    } else if (f->module[0]) {
        const char *base = strrchr(f->module, '/');
        rw_buf_printf(out, "\t%s+0x%zx\n", base ? base + 1 : f->module, (size_t)f->module_offset);
    } else {
        rw_buf_printf(out, "\t??\n");
    }
}

/* A frame of the C library (libc.so.6, ld-linux...): below a thread's
 * own frames only its start-up code (start_thread, clone3) is left, which
 * Go does not print either; without libc's debug file those frames may
 * have no name at all. */
static int libc_frame(const rw_frame *f)
{
    const char *base = strrchr(f->module, '/');
    base = base ? base + 1 : f->module;
    return rw_thread_entry_function(f->function) || !strncmp(base, "libc.so", 7) ||
           !strncmp(base, "ld-linux", 8);
}

void rw_format_go_stack(rw_buf *out, uint32_t stack_id, rw_symbolize_fn sym)
{
    uintptr_t pcs[RW_MAX_STACK];
    uint32_t n = rw_stack_get(stack_id, pcs, RW_MAX_STACK);
    /* The last pc with a frame of the program's own: the C library's
     * frames after it are dropped. */
    uint32_t last = 0;
    for (uint32_t i = 0; i < n; i++) {
        rw_frame f[8];
        int k = sym(pcs[i], 1, f, 8);
        if (k > 0 && !libc_frame(&f[k - 1]))
            last = i + 1;
    }
    if (last == 0)
        last = n;
    for (uint32_t i = 0; i < last; i++) {
        rw_frame frames[8];
        int k = sym(pcs[i], 1, frames, 8);
        for (int j = 0; j < k; j++) {
            if (rw_thread_entry_function(frames[j].function))
                return;
            go_frame(out, &frames[j]);
            if (!frames[j].inlined && !strcmp(frames[j].function, "main"))
                return;
        }
    }
}

/* "created by main() in thread 1" and the creation site. */
void rw_format_created_by(rw_buf *out, uint32_t parent, uint32_t create_stack,
                          rw_symbolize_fn sym)
{
    if (parent == 0)
        return;
    uintptr_t pc;
    if (rw_stack_get(create_stack, &pc, 1) != 1) {
        rw_buf_printf(out, "created by \?\?() in thread %u\n", parent);
        return;
    }
    rw_frame frames[8];
    int k = sym(pc, 1, frames, 8);
    const rw_frame *f = &frames[k - 1]; /* the real function, not an inlined one */
    rw_buf_printf(out, "created by %s() in thread %u\n", f->function[0] ? f->function : "??",
                  parent);
    const rw_frame *loc = &frames[0];
    if (loc->file[0])
        rw_buf_printf(out, "\t%s:%d +0x%zx\n", loc->file, loc->line, (size_t)f->func_offset);
    else
        rw_buf_printf(out, "\t%s+0x%zx\n", loc->module, (size_t)loc->module_offset);
}

void rw_format_deadlock(rw_buf *out, const rw_deadlock_report *r, rw_symbolize_fn sym)
{
    if (r->verdict == RW_CYCLE)
        rw_buf_printf(out, "fatal error: deadlock! (cycle of %d threads)\n", r->n);
    else
        rw_buf_printf(out, "fatal error: all threads are asleep - deadlock!\n");
    for (int i = 0; i < r->n; i++) {
        const rw_waiter *w = r->threads[i];
        rw_buf_printf(out, "\nthread %u [%s]:\n", w->number, w->reason ? w->reason : "?");
        rw_format_go_stack(out, w->stack, sym);
        rw_format_created_by(out, w->parent, w->create_stack, sym);
    }
}
