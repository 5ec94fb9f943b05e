/* stack_capture.c: the current thread's call stack.
 *
 * In instrumented code the stack is the one __tsan_func_entry/exit keep
 * (exact, free to read).  Where there is none (a binary run by LD_PRELOAD,
 * or a call from uninstrumented code) libunwind walks the real stack; that
 * costs microseconds, so it is used for reports and thread creation, while
 * per-allocation stacks then keep only the caller's pc.  Frames inside
 * libracewatch.so itself are dropped. */
#include "runtime/rt.h"

#include <dlfcn.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>

static void *runtime_base;

int rw_pc_in_runtime(uintptr_t pc)
{
    Dl_info info;
    if (!runtime_base) {
        if (dladdr((void *)&rw_pc_in_runtime, &info) == 0)
            return 0;
        runtime_base = info.dli_fbase;
    }
    if (dladdr((void *)pc, &info) == 0)
        return 0;
    return info.dli_fbase == runtime_base;
}

static void from_shadow_stack(rw_thread *t, uintptr_t pc, rw_report_stack *out)
{
    out->n = 0;
    out->pcs[out->n++] = pc;
    for (uint32_t i = t->depth; i > 0 && out->n < RW_MAX_STACK; i--)
        out->pcs[out->n++] = t->stack[i - 1];
}

void rw_capture_stack(rw_thread *t, uintptr_t pc, rw_report_stack *out)
{
    if (t && t->depth > 0) {
        from_shadow_stack(t, pc, out);
        return;
    }
    void *buf[RW_MAX_STACK + 16];
    int n = unw_backtrace(buf, RW_MAX_STACK + 16);
    out->n = 0;
    int i = 0;
    while (i < n && rw_pc_in_runtime((uintptr_t)buf[i]))
        i++;
    for (; i < n && out->n < RW_MAX_STACK; i++)
        out->pcs[out->n++] = (uintptr_t)buf[i];
    if (out->n == 0) {
        out->pcs[0] = pc;
        out->n = 1;
    }
}

uint32_t rw_capture_stack_id(rw_thread *t, uintptr_t pc)
{
    rw_report_stack s;
    if (t && t->depth > 0)
        from_shadow_stack(t, pc, &s);
    else {
        s.pcs[0] = pc;
        s.n = 1;
    }
    return rw_stack_put(s.pcs, (uint32_t)s.n);
}
