/* stack_capture.c: the current thread's call stack.
 *
 * In instrumented code the stack is the one __tsan_func_entry/exit keep
 * (exact, free to read).  Where there is none (a binary run by LD_PRELOAD,
 * or a call from uninstrumented code) libunwind walks the real stack; that
 * costs microseconds, so it is used for reports and thread creation, while
 * per-allocation stacks then keep only the caller's pc.  Frames inside
 * libracewatch.so itself are dropped.
 *
 * The stack where a thread blocks for good, or dies of a fatal error, is
 * always walked: the call may come from an uninstrumented library (the
 * channel library, say) that the instrumented stack knows nothing about,
 * not even the user's call into it.
 *
 * Such a library may name the call the program made into it
 * (__racewatch_api_caller, before it may block or panic): the frames
 * above that call are the library's own, and a Go-format report starts at
 * the program's frame, as Go's hide the runtime's.
 *
 * Walks stop around a fork (stack_capture.h): a walk announces itself in
 * walks_in_progress and looks at walks_stopped after; the fork handlers
 * raise walks_stopped and look at the count after.  Both sides store and
 * load sequentially consistent (a Dekker handshake: one of the two sees
 * the other), and a walk that sees the flag withdraws and waits. */
#include "runtime/stack_capture.h"
#include "runtime/rt.h"
#include "runtime/wait_context.h"

#include <sched.h>

#include <link.h>
#include <string.h>

/* The address range of libracewatch.so's own segments, found once. */
static uintptr_t runtime_lo = 1, runtime_hi;

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uintptr_t me = (uintptr_t)data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr;
        if (a < lo)
            lo = a;
        if (a + ph->p_memsz > hi)
            hi = a + ph->p_memsz;
    }
    if (me >= lo && me < hi) {
        runtime_lo = lo;
        runtime_hi = hi;
        return 1;
    }
    return 0;
}

int rw_pc_in_runtime(uintptr_t pc)
{
    if (__builtin_expect(runtime_lo > runtime_hi, 0))
        dl_iterate_phdr(find_self, (void *)(uintptr_t)&rw_pc_in_runtime);
    return pc >= runtime_lo && pc < runtime_hi;
}

static void from_shadow_stack(rw_thread *t, uintptr_t pc, rw_report_stack *out, int max)
{
    out->n = 0;
    out->pcs[out->n++] = pc;
    for (uint32_t i = t->depth; i > 0 && out->n < max; i--)
        out->pcs[out->n++] = t->stack[i - 1];
    /* The outermost entry may be a call site in our thread trampoline. */
    while (out->n > 1 && rw_pc_in_runtime(out->pcs[out->n - 1]))
        out->n--;
}

__thread int rw_stack_pc_only RW_TLS;

void rw_capture_stack(rw_thread *t, uintptr_t pc, rw_report_stack *out)
{
    if (RW_UNLIKELY(rw_stack_pc_only)) { /* a deferred access's (rt.h) */
        out->n = 1;
        out->pcs[0] = pc;
        return;
    }
    if (t && t->depth > 0) {
        from_shadow_stack(t, pc, out, RW_MAX_STACK);
        return;
    }
    rw_capture_stack_walk(pc, out);
}

static int walks_stopped;
static int walks_in_progress;
static __thread int walking RW_TLS;

int rw_in_stack_walk(void)
{
    return walking;
}

static void walk_begin(void)
{
    walking = 1;
    for (;;) {
        __atomic_fetch_add(&walks_in_progress, 1, __ATOMIC_SEQ_CST);
        if (RW_LIKELY(!__atomic_load_n(&walks_stopped, __ATOMIC_SEQ_CST)))
            return;
        __atomic_fetch_sub(&walks_in_progress, 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&walks_stopped, __ATOMIC_ACQUIRE))
            sched_yield();
    }
}

static void walk_end(void)
{
    walking = 0;
    __atomic_fetch_sub(&walks_in_progress, 1, __ATOMIC_RELEASE);
}

void rw_stack_walks_stop(void)
{
    __atomic_store_n(&walks_stopped, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&walks_in_progress, __ATOMIC_SEQ_CST))
        sched_yield();
}

void rw_stack_walks_resume(void)
{
    __atomic_store_n(&walks_stopped, 0, __ATOMIC_RELEASE);
}

void rw_stack_walks_reset_after_fork(void)
{
    __atomic_store_n(&walks_in_progress, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&walks_stopped, 0, __ATOMIC_RELEASE);
}

/* A thread's first walks step frame by frame; later ones use
 * unw_backtrace.  unw_backtrace keeps a per-thread cache of frame shapes
 * (0.1 us a walk once warm, ~35 us stepping), but its first call in a
 * thread maps and initializes 256 KiB for it: 64 page faults, ~2 ms of
 * CPU on this machine, paid by every process that creates one file
 * descriptor (rw_fd_created walks) under LD_PRELOAD.  Past
 * STEPPED_WALKS walks in a thread the cache pays for itself. */
#define STEPPED_WALKS 16
static __thread unsigned walks_done RW_TLS;

static int walk_by_steps_from(unw_context_t *uc, void **buf, int max)
{
    unw_cursor_t cursor;
    if (unw_init_local(&cursor, uc) != 0)
        return 0;
    int n = 0;
    do {
        unw_word_t ip;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0)
            break;
        buf[n++] = (void *)(uintptr_t)ip;
    } while (n < max && unw_step(&cursor) > 0);
    return n;
}

static int walk_by_steps(void **buf, int max)
{
    unw_context_t uc;
    if (unw_getcontext(&uc) != 0)
        return 0;
    return walk_by_steps_from(&uc, buf, max);
}

/* A walk's frames as a stack: the runtime's innermost frames dropped, and
 * any above the program's call pc. */
static void stack_from_walk(void *const *buf, int n, uintptr_t pc, rw_report_stack *out)
{
    out->n = 0;
    int i = 0;
    while (i < n && rw_pc_in_runtime((uintptr_t)buf[i]))
        i++;
    /* The stack starts at pc, the program's call: frames above it are
     * the callee's (an API library's, for its objects' accesses). */
    for (int k = i + 1; k < n; k++) {
        if ((uintptr_t)buf[k] == pc) {
            i = k;
            break;
        }
    }
    for (; i < n && out->n < RW_MAX_STACK; i++)
        out->pcs[out->n++] = (uintptr_t)buf[i];
    if (out->n == 0) {
        out->pcs[0] = pc;
        out->n = 1;
    }
}

void rw_capture_stack_walk(uintptr_t pc, rw_report_stack *out)
{
    void *buf[RW_MAX_STACK + 16];
    walk_begin();
    int n = walks_done < STEPPED_WALKS ? walk_by_steps(buf, RW_MAX_STACK + 16)
                                       : unw_backtrace(buf, RW_MAX_STACK + 16);
    walks_done++;
    walk_end();
    stack_from_walk(buf, n, pc, out);
}

/* The acquisition stack of a held lock, rebuilt from the thread's own
 * trace the first time it is needed (or just its pc, once the history
 * has moved on). */
uint32_t rw_held_stack(rw_thread *t, rw_held *h)
{
    if (h->stack)
        return h->stack;
    rw_report_stack s;
    s.n = rw_trace_restore(&t->trace, t->pos, h->pos, s.pcs, RW_MAX_STACK);
    if (s.n == 0) {
        s.pcs[0] = h->pc;
        s.n = 1;
    }
    while (s.n > 1 && rw_pc_in_runtime(s.pcs[s.n - 1]))
        s.n--;
    h->stack = rw_stack_put(s.pcs, (uint32_t)s.n);
    return h->stack;
}

static uint32_t shadow_stack_id(rw_thread *t, uintptr_t pc, int max)
{
    rw_report_stack s;
    if (t && t->depth > 0)
        from_shadow_stack(t, pc, &s, max);
    else {
        s.pcs[0] = pc;
        s.n = 1;
    }
    return rw_stack_put(s.pcs, (uint32_t)s.n);
}

uint32_t rw_capture_stack_id(rw_thread *t, uintptr_t pc)
{
    return shadow_stack_id(t, pc, RW_MAX_STACK);
}

/* A heap block's allocation stack keeps its RW_ALLOC_STACK_MAX innermost
 * frames: one is stored per allocation, and where the outer frames differ
 * each time (OpenMP tasks run nested inside taskwaits, recursion) whole
 * stacks would each be new to the depot. */
uint32_t rw_capture_alloc_stack_id(rw_thread *t, uintptr_t pc)
{
    return shadow_stack_id(t, pc, RW_ALLOC_STACK_MAX);
}

/* The return address into the program of the library call this thread is
 * in (set by the channel library's public functions). */
static __thread uintptr_t api_caller RW_TLS;

RW_EXPORT void __racewatch_api_caller(const void *return_address)
{
    api_caller = (uintptr_t)return_address;
}

uintptr_t rw_api_caller(void)
{
    return api_caller;
}

static void trim_to_api_caller(rw_report_stack *s, uintptr_t caller)
{
    if (!caller)
        return;
    for (int i = 1; i < s->n; i++) {
        if (s->pcs[i] == caller) {
            memmove(s->pcs, s->pcs + i, (size_t)(s->n - i) * sizeof s->pcs[0]);
            s->n -= i;
            return;
        }
    }
}

/* A walked stack as the program's: no frame of the runtime's, and none
 * above the call the program made into an API library. */
static void program_frames_only(rw_report_stack *out, uintptr_t caller)
{
    int k = 0;
    for (int i = 0; i < out->n; i++)
        if (!rw_pc_in_runtime(out->pcs[i]))
            out->pcs[k++] = out->pcs[i];
    out->n = k;
    trim_to_api_caller(out, caller);
}

void rw_capture_program_stack(uintptr_t pc, rw_report_stack *out)
{
    rw_capture_stack_walk(pc, out);
    program_frames_only(out, api_caller);
}

/* Another thread's stack (wait_context.h): stepped, as libunwind's
 * unw_backtrace walks only the calling thread's. */
void rw_capture_program_stack_saved(const unw_context_t *context, uintptr_t pc,
                                    uintptr_t caller, rw_report_stack *out)
{
    void *buf[RW_MAX_STACK + 16];
    unw_context_t uc = *context;
    walk_begin();
    int n = walk_by_steps_from(&uc, buf, RW_MAX_STACK + 16);
    walk_end();
    stack_from_walk(buf, n, pc, out);
    program_frames_only(out, caller);
}
