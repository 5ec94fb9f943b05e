/* tsan_func.c: function entry/exit and initialization from the
 * ThreadSanitizer ABI.  Entry and exit keep each thread's call stack
 * (return addresses) and add trace events, so that both the current and
 * an earlier access can be shown with their whole stacks. */
#include "runtime/rt.h"

RW_EXPORT void __tsan_func_entry(void *call_pc)
{
    rw_thread *t = rw_cur;
    if (RW_LIKELY(t != NULL))
        rw_thread_func_entry(t, (uintptr_t)call_pc);
}

RW_EXPORT void __tsan_func_exit(void)
{
    rw_thread *t = rw_cur;
    if (RW_LIKELY(t != NULL))
        rw_thread_func_exit(t);
}

/* Every instrumented module calls this from its constructor; our own
 * constructor has normally run already. */
RW_EXPORT void __tsan_init(void)
{
    rw_init();
}
