/* tsan_func.c: function entry/exit and initialization from the
 * ThreadSanitizer ABI.  Entry and exit keep each thread's call stack
 * (return addresses) and add trace events, so that both the current and
 * an earlier access can be shown with their whole stacks.
 *
 * They run at every call of instrumented code, so each is a few stores:
 * the next trace position, the event word, the shadow-stack slot.  The
 * rare cases (a trace part opens and takes a stack snapshot, the shadow
 * stack must grow) go to an out-of-line function reached by a tail call,
 * so the common path needs no stack frame and saves no registers
 * (docs/design.md, "Function entry and exit, and the history"). */
#include "runtime/rt.h"

#define ENTRY_EVENT ((uint64_t)RW_EV_ENTRY << RW_EV_SHIFT)
#define EXIT_EVENT ((uint64_t)RW_EV_EXIT << RW_EV_SHIFT)

__attribute__((noinline, cold)) static void func_entry_slow(rw_thread *t, uintptr_t call_pc)
{
    rw_thread_func_entry(t, call_pc);
}

__attribute__((noinline, cold)) static void func_exit_slow(rw_thread *t)
{
    rw_thread_func_exit(t);
}

/* The same as rw_thread_func_entry (detector/thread.h), inline here. */
RW_EXPORT void __tsan_func_entry(void *call_pc)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL))
        return;
    uint64_t pos = t->pos + 1;
    uint32_t depth = t->depth;
    if (RW_UNLIKELY((pos & t->trace.part_mask) == 0 || depth >= t->stack_cap)) {
        func_entry_slow(t, (uintptr_t)call_pc);
        return;
    }
    t->pos = pos;
    __atomic_store_n(&t->trace.ev[pos & t->trace.ring_mask],
                     ENTRY_EVENT | ((uintptr_t)call_pc & RW_EV_PC_MASK), __ATOMIC_RELAXED);
    t->stack[depth] = (uintptr_t)call_pc;
    t->depth = depth + 1;
}

/* The same as rw_thread_func_exit. */
RW_EXPORT void __tsan_func_exit(void)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL))
        return;
    uint64_t pos = t->pos + 1;
    if (RW_UNLIKELY((pos & t->trace.part_mask) == 0)) {
        func_exit_slow(t);
        return;
    }
    t->pos = pos;
    __atomic_store_n(&t->trace.ev[pos & t->trace.ring_mask], EXIT_EVENT, __ATOMIC_RELAXED);
    uint32_t depth = t->depth;
    t->depth = depth - (depth != 0);
}

/* Every instrumented module calls this from its constructor; our own
 * constructor has normally run already. */
RW_EXPORT void __tsan_init(void)
{
    rw_touched_give_up(); /* its accesses store cells unnoted */
    rw_init();
}
