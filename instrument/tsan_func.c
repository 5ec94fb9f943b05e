/* tsan_func.c: function entry/exit and initialization from the
 * ThreadSanitizer ABI.  Entry and exit keep each thread's call stack
 * (return addresses) and add trace events, so that both the current and
 * an earlier access can be shown with their whole stacks.
 *
 * They run at every call of instrumented code, so each is a few stores:
 * the next trace position, the event word, the shadow-stack slot.  The
 * rare cases (a trace part opens and takes a stack snapshot, the shadow
 * stack must grow, the pc lies outside the trace's pc window) go to an
 * out-of-line function reached by a tail call, so the common path needs
 * no stack frame and saves no registers.  Both start on a 64-byte
 * boundary: placed at an odd 32-byte boundary by an unrelated change, the
 * same code ran 45% slower (2 threads calling, 0.56 s against 0.38 s),
 * the known cost on x86 of branches that straddle a 32-byte boundary and
 * fall out of the decoded-instruction cache.
 *
 * A call that recorded nothing (its entry is still the thread's last
 * event, no release since) leaves no events: its exit takes back the
 * entry's position.  Nothing can have seen that position: a release
 * would have moved last_release to it, and a stored access or lock takes
 * a position of its own.  So leaf calls whose accesses were all already
 * recorded cost the history nothing (docs/design.md, "Function entry and
 * exit, and the history"). */
#include "runtime/rt.h"

#define ENTRY_WORD ((uint32_t)RW_EV_ENTRY << RW_WORD_TYPE_SHIFT)
#define EXIT_WORD ((uint32_t)RW_EV_EXIT << RW_WORD_TYPE_SHIFT)

__attribute__((noinline, cold)) static void func_entry_slow(rw_thread *t, uintptr_t call_pc)
{
    rw_thread_func_entry(t, call_pc);
}

__attribute__((noinline, cold)) static void func_exit_slow(rw_thread *t)
{
    rw_thread_func_exit(t);
}

/* The same as rw_thread_func_entry (detector/thread.h), inline here. */
RW_EXPORT __attribute__((aligned(64))) void __tsan_func_entry(void *call_pc)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL))
        return;
    uintptr_t pc = (uintptr_t)call_pc;
    rw_open_read_flush(t); /* its reports need the reads' stack */
    uint64_t pos = t->pos + 1;
    uint32_t depth = t->depth;
    if (RW_UNLIKELY((pos & t->trace.part_mask) == 0 || depth >= t->stack_cap ||
                    (pc >> RW_WORD_TYPE_SHIFT) != t->trace.window)) {
        func_entry_slow(t, pc);
        return;
    }
    t->pos = pos;
    __atomic_store_n(&t->trace.ev[pos & t->trace.ring_mask],
                     ENTRY_WORD | ((uint32_t)pc & RW_WORD_LOW_MASK), __ATOMIC_RELAXED);
    t->stack[depth] = pc;
    t->depth = depth + 1;
}

/* rw_thread_func_exit, or the fold of a call that recorded nothing. */
RW_EXPORT __attribute__((aligned(64))) void __tsan_func_exit(void)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL))
        return;
    rw_open_read_flush(t);
    uint64_t last = t->pos;
    uint32_t depth = t->depth;
    uint32_t last_word = __atomic_load_n(&t->trace.ev[last & t->trace.ring_mask], __ATOMIC_RELAXED);
    if ((last_word >> RW_WORD_TYPE_SHIFT) == RW_EV_ENTRY && last > t->last_release) {
        t->pos = last - 1;
        t->depth = depth - (depth != 0);
        return;
    }
    uint64_t pos = last + 1;
    if (RW_UNLIKELY((pos & t->trace.part_mask) == 0)) {
        func_exit_slow(t);
        return;
    }
    t->pos = pos;
    __atomic_store_n(&t->trace.ev[pos & t->trace.ring_mask], EXIT_WORD, __ATOMIC_RELAXED);
    t->depth = depth - (depth != 0);
}

/* Every instrumented module calls this from its constructor; our own
 * constructor has normally run already. */
RW_EXPORT void __tsan_init(void)
{
    rw_touched_give_up(); /* its accesses store cells unnoted */
    rw_init();
}
