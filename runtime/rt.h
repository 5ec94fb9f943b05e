/* rt.h: what every part of the runtime shares: the current thread, the
 * "inside the runtime" flag, options, resolution of the real libc
 * functions behind our interceptors, and the entry points between files.
 *
 * Interceptors follow one pattern:
 *     rw_thread *t = rw_enter();      NULL: pass straight through
 *     ... detector work ...
 *     rw_leave();
 * rw_enter returns NULL when the runtime is not ready, the thread is not
 * watched (made before we started, or finished), or we are already inside
 * the runtime (our own calls to malloc, memcpy, libdw's calls...). */
#ifndef RW_RT_H
#define RW_RT_H

#include <stddef.h>
#include <stdint.h>

#include "detector/race_check.h"
#include "detector/report.h"
#include "detector/report_json.h"
#include "detector/syncvar.h"
#include "detector/thread.h"
#include "runtime/options.h"
#include "runtime/range_seen.h"
#include "runtime/touched_pages.h"

#define RW_TLS __attribute__((tls_model("initial-exec")))
#define RW_EXPORT __attribute__((visibility("default")))
#define RW_LIKELY(x) __builtin_expect(!!(x), 1)
#define RW_UNLIKELY(x) __builtin_expect(!!(x), 0)

extern __thread rw_thread *rw_cur RW_TLS;
extern __thread int rw_in_rt RW_TLS;
extern int rw_ready;             /* set once the constructor has run */
extern rw_options rw_opts;

/* intercept_string.c: the pending compared read of the current thread
 * (a strcmp's growing prefix checked for earlier conflicts but not stored
 * yet), NULL when none; stored by rw_compared_pending_store before
 * anything that changes the thread's clock or makes another thread
 * current: at the thread's next rw_enter, its end, exit. */
struct rw_compared_pending;
extern __thread struct rw_compared_pending *rw_compared_pending RW_TLS;
void rw_compared_pending_store(void);
/* At exit: the pending compared reads of the threads the exit will end,
 * checked on their behalf (as rw_open_reads_check_at_exit does). */
void rw_compared_pendings_check_at_exit(rw_thread *self);
/* In a fork child: the other threads' pending compared reads are
 * forgotten (those threads do not exist here; their slots may be taken). */
void rw_compared_pendings_after_fork(rw_thread *survivor);

/* Make t (possibly NULL) the thread of this OS thread's accesses: a new
 * thread at its start, a fiber and back to its host.  The range
 * table's era ends (range_seen.h: its stamp does not name the thread). */
static inline void rw_set_current_thread(rw_thread *t)
{
    if (RW_UNLIKELY(rw_compared_pending != NULL))
        rw_compared_pending_store();
    rw_cur = t;
    rw_range_seen_thread_switched();
}

/* pending_write.c: t's short copies checked but not stored yet (its
 * window), stored now. */
void rw_pending_write_store(rw_thread *t);

/* The interceptors' entry without the store of the pending write (a copy
 * that may continue it: memcpy). */
static inline rw_thread *rw_enter_keep_pending(void)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL || rw_in_rt))
        return NULL;
    rw_open_read_flush(t); /* before any sync operation (race_check.c) */
    if (RW_UNLIKELY(rw_compared_pending != NULL))
        rw_compared_pending_store(); /* likewise */
    rw_in_rt = 1;
    return t;
}

/* rw_enter without storing the pending compared read: for the compare
 * interceptors, whose other checks may come between its reads and its
 * store (nothing they do changes the thread's clock). */
static inline rw_thread *rw_enter_keeping_compared(void)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL || rw_in_rt))
        return NULL;
    rw_open_read_flush(t);
    rw_in_rt = 1;
    return t;
}

static inline rw_thread *rw_enter(void)
{
    rw_thread *t = rw_enter_keep_pending();
    if (t && RW_UNLIKELY(t->pend_base != 0))
        rw_pending_write_store(t); /* before any sync operation, too */
    return t;
}

static inline void rw_leave(void)
{
    rw_in_rt = 0;
}

/* Look up the next definition of a symbol (libc's); dies with a message if
 * there is none.  version may be NULL. */
void *rw_resolve(const char *name, const char *version);
#define RW_REAL(name) rw_real_##name
/* Each real function's pointer is also listed in the section
 * rw_real_slots, so that rw_reports_prepare can find them all at once,
 * before a report needs one under a lock (init.c). */
typedef struct rw_real_slot {
    void **slot;
    const char *name;
} rw_real_slot;
#define RW_DECLARE_REAL(ret, name, ...)                                             \
    static ret (*RW_REAL(name))(__VA_ARGS__);                                       \
    static const rw_real_slot rw_real_slot_##name                                   \
        __attribute__((used, section("rw_real_slots"), aligned(sizeof(void *)))) =  \
            { (void **)&RW_REAL(name), #name }
#define RW_RESOLVE(name)                                                          \
    ({                                                                            \
        if (RW_UNLIKELY(RW_REAL(name) == NULL))                                   \
            RW_REAL(name) = (__typeof__(RW_REAL(name)))rw_resolve(#name, NULL);   \
        RW_REAL(name);                                                            \
    })
#define RW_RESOLVE_V(name, ver)                                                   \
    ({                                                                            \
        if (RW_UNLIKELY(RW_REAL(name) == NULL))                                   \
            RW_REAL(name) = (__typeof__(RW_REAL(name)))rw_resolve(#name, ver);    \
        RW_REAL(name);                                                            \
    })

/* init.c */
void rw_init(void);
/* Everything a report needs that takes the loader's lock (libdw's dlopen,
 * the real functions libdw's calls reach through our interceptors), done
 * now if not done yet.  Called holding no lock of ours, inside the
 * runtime: at the start of a report and before the first thread we start
 * (symbolize.h, init.c). */
void rw_reports_prepare(void);
/* intercept_string.c: resolve the real memcpy, memmove, memset. */
void rw_string_resolve(void);
void rw_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Record the status the program is exiting with; returns the status to
 * use (66 instead of 0 when reports were made), after printing the
 * summary.  Safe to call more than once. */
int rw_finish_process(int status);
void rw_halt(void) __attribute__((noreturn));
/* End the process now with status (after the race summary). */
void rw_exit_now(int status) __attribute__((noreturn));

/* stack_capture.c: the calling thread's stack, innermost first, with pc
 * (a return address into the caller of the interceptor) on top. */
void rw_capture_stack(rw_thread *t, uintptr_t pc, rw_report_stack *out);
/* While set, rw_capture_stack gives pc alone: the access being reported
 * was made by a call that has returned since (a pending compared read,
 * intercept_string.c; pending copies, pending_write.c), so the stack now
 * is not its stack, and its own
 * frames below pc are not known (as a previous access's are not under
 * LD_PRELOAD). */
extern __thread int rw_stack_pc_only RW_TLS;
/* A deferred access of t (made at pc, by a call that has returned) found
 * racing with cell old at exit: reported on t's behalf, by pc alone. */
static inline void rw_report_deferred_race(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old,
                                           uintptr_t pc)
{
    rw_stack_pc_only = 1;
    rw_race_handler(t, addr, cur, old, pc);
    rw_stack_pc_only = 0;
}
/* The same by walking the real stack (libunwind), whatever the mode. */
void rw_capture_stack_walk(uintptr_t pc, rw_report_stack *out);
/* The stack where a thread blocks for good or dies, as a Go report shows
 * it: walked, without the runtime's frames (our thread trampoline
 * included), and starting at the program's last call into an API library
 * that declared it (__racewatch_api_caller) when that call is on the
 * stack. */
void rw_capture_program_stack(uintptr_t pc, rw_report_stack *out);
uint32_t rw_capture_stack_id(rw_thread *t, uintptr_t pc);
/* A heap block's allocation stack: the same, its RW_ALLOC_STACK_MAX
 * innermost frames only (docs/design.md, "Peak memory (issue 11)"). */
#define RW_ALLOC_STACK_MAX 16
uint32_t rw_capture_alloc_stack_id(rw_thread *t, uintptr_t pc);
uint32_t rw_held_stack(rw_thread *t, rw_held *h);
int rw_pc_in_runtime(uintptr_t pc);

/* report_race.c */
void rw_report_init(void);
void rw_on_race(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc);
uint64_t rw_reported_races(void);
/* An access that a free happens before (freed: the free's cell). */
void rw_on_use_after_free(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell freed, uintptr_t pc);
uint64_t rw_reported_uses_after_free(void);
void rw_report_after_fork(void);

/* report_thread_leak.c: at exit, the joinable threads that finished and
 * were never joined nor detached. */
void rw_report_thread_leaks(void);
uint64_t rw_reported_thread_leaks(void);
/* The program begins to exit, or main leaves by pthread_exit: threads
 * running now are no leaks. */
void rw_thread_leaks_exempt_running(void);
/* In a fork child: only survivor is a thread of this process. */
void rw_thread_leaks_after_fork(rw_thread_info *survivor);

/* suppressions.c */
void rw_suppressions_init(void);
/* kind: enum rw_supp_kind; top_only: match each stack's top frame only. */
int rw_suppressed(int kind, const rw_report_stack *const *stacks, int nstacks, int top_only);
void rw_suppressions_summary(void);

/* report_sync.c: lock-order inversions, misuse. */
struct rw_lock_cycle;
void rw_report_lock_cycle(const struct rw_lock_cycle *c);
void rw_report_misuse(rw_thread *t, const char *title, const char *object_line, uintptr_t pc,
                      uint32_t stack);
/* intercept_mutex.c: remember who destroyed the object at obj, and where
 * (after its reset), for a later misuse report about it. */
void rw_note_destroy(const void *obj, uintptr_t pc);
/* The earlier call a misuse conflicts with: "<line> in thread N:" and its
 * stack (a depot id) after the call's own. */
typedef struct rw_misuse_previous {
    const char *line;
    uint32_t thread;
    uint32_t stack;
} rw_misuse_previous;
void rw_report_misuse_previous(rw_thread *t, const char *title, const char *object_line,
                               uintptr_t pc, uint32_t stack, const rw_misuse_previous *prev);
void rw_report_fatal(rw_thread *t, const char *prefix, const char *msg, uintptr_t pc)
    __attribute__((noreturn));
/* A signal handler's misuse, reported after the handler (signal_reports.c). */
void rw_report_signal_misuse(uint32_t thread_number, const char *title, const char *object_line,
                             uint32_t stack);
uint64_t rw_reported_lock_cycles(void);
uint64_t rw_reported_misuse(void);
void rw_report_sync_after_fork(void);

/* report_sink.c: where reports go. */
void rw_sink_write(const char *text, size_t len);
/* JSON records (docs/json-format.md), when json_path is set. */
int rw_json_enabled(void);
void rw_sink_json(const char *text, size_t len);
const char *rw_program_path(void);
/* At start-up, with JSON records on: keep the command line for them. */
void rw_sink_init(void);
/* This process, as its JSON records name it: pid, program, argv. */
rw_json_context rw_json_here(void);
int rw_sink_color(void);
void rw_sink_reopen_after_fork(void);
void rw_sink_lock(void);
/* The exit summary's close (report_sink.c): reports found later are
 * dropped; asked under the sink lock. */
void rw_sink_close_reports(void);
int rw_sink_reports_closed(void);
void rw_sink_unlock(void);

/* blocking.c: the deadlock checks' runtime side. */
#define RW_GRACE_MS 10
struct timespec;
/* CLOCK_MONOTONIC now + RW_GRACE_MS: the timed first try of a wait. */
struct timespec rw_grace_deadline(void);
extern int rw_signal_handlers_installed;
void rw_blocking_init(void);
void rw_waiter_start(rw_thread_info *in);
/* pthread_create: before the real call, for a child that will run
 * rw_waiter_start and then rw_waiter_started (or rw_waiter_started alone
 * in the parent, when the call failed).  While any such child has not
 * started, no "all threads are asleep" verdict is given. */
void rw_waiter_expect_start(void);
void rw_waiter_started(void);
void rw_waiter_end(rw_thread_info *in);
void rw_waiter_cancel_requested(rw_thread_info *in);
/* Before a wait without timeout that may sleep; returns 1 if registered
 * (then call rw_block_end after the wait). */
int rw_block_begin(int kind, const char *reason, const void *obj, const void *obj2,
                   uintptr_t pc);
/* The same, for a wait whose only meaningful frame is pc (a libgomp
 * worker idle between regions: the region's line). */
int rw_block_begin_at(int kind, const char *reason, const void *obj, const void *obj2,
                      uintptr_t pc);
void rw_block_end(int kind, const void *obj);
void rw_cond_timed_begin(const void *cond);
void rw_cond_timed_end(void);
void rw_cond_signalled(const void *cond, int all);
void rw_sem_posted(const void *sem);
void rw_barrier_set_count(const void *barrier, unsigned count);
/* Set a barrier's party count if none is set yet (OpenMP teams). */
void rw_barrier_count_once(const void *barrier, unsigned count);
/* Count an arrival that does not wait for the round to complete. */
void rw_barrier_arrive(const void *barrier);
/* A pool of worker threads (libgomp's): a thread starting a job the
 * pool was handed takes it (and is no longer idle: RW_WAIT_IDLE); the
 * thread handing out jobs counts them first, so an idle worker that was
 * woken but has not yet started is never taken for asleep. */
void rw_pool_handout(unsigned jobs);
void rw_pool_take(void);
/* A thread about to run other work in the middle of a registered wait
 * (libgomp runs queued tasks inside barriers) puts the wait aside and
 * takes it up again after, same object and ticket (the checks run
 * again).  rw_wait_suspend returns 1 if there was a wait to put aside. */
typedef struct rw_wait_saved {
    int kind;
    const char *reason;
    const void *obj, *obj2;
    uint64_t ticket;
    uint32_t stack;
} rw_wait_saved;
int rw_wait_suspend(rw_wait_saved *out);
void rw_wait_resume(const rw_wait_saved *in);
void rw_mark_pshared(const void *obj);
/* The report about to end the process with rw_exit_now: counted in the
 * summary ("Found 1 deadlock(s)" / "Found 1 misuse error(s)"). */
enum { RW_FATAL_DEADLOCK = 1, RW_FATAL_MISUSE = 2 };
void rw_note_fatal(int kind);
/* The thread number of a live watched thread by kernel id, else -1. */
int rw_thread_number_by_tid(int tid);
/* The name a library gave to this thread's next wait
 * (__racewatch_block_reason), until a wait uses it or ends without
 * needing it. */
extern __thread const char *rw_block_reason RW_TLS;

/* The wait that __racewatch_block_reason named is over without having
 * been registered: forget the name (one thread-local test on the
 * uncontended lock path). */
static inline void rw_block_reason_unused(void)
{
    if (RW_UNLIKELY(rw_block_reason != NULL) && !rw_in_rt) /* not the runtime's own locks */
        rw_block_reason = NULL;
}
/* Flush stdout and stderr unless another thread holds their locks. */
void rw_flush_stdio_nowait(void);
/* In a fork child, with the wait-for lock held since before the fork:
 * only survivor lives; the others finish, leave their condition and
 * semaphore waits, and survivor keeps its parent's kernel id as an alias
 * (glibc's mutex owner fields hold it). */
void rw_blocking_after_fork(rw_thread_info *survivor);
/* Synchronization the detector must not see (the channel library's own
 * locks): no happens-before edges, no lock order. */
extern __thread int rw_ignore_sync RW_TLS;

/* intercept_mutex.c: at a thread's real end (in the runtime): robust
 * mutexes it holds are released to their next locker, any other lock it
 * holds is a misuse warning. */
void rw_locks_at_thread_end(rw_thread *t);
/* sync_memory.c: synchronization objects as memory.  init and destroy
 * write the object (call before the real call)... */
void rw_sync_object_write(const volatile void *obj, int init, uintptr_t pc);
/* ... its uses read it: a lock, wait, signal or post, right after the
 * thread's trace event for it (t->pos), with the object found. */
void rw_sync_use_checked(rw_thread *t, rw_sync *s, const volatile void *obj, uintptr_t pc);
static inline void rw_sync_use(rw_thread *t, rw_sync *s, const volatile void *obj, uintptr_t pc)
{
    __atomic_store_n(&s->last_use,
                     rw_cell_make(t->slot, t->pos, (unsigned)((uintptr_t)obj & 7), 0, 0, 0),
                     __ATOMIC_RELAXED);
    if (RW_UNLIKELY(__atomic_load_n(&s->write_to_check, __ATOMIC_RELAXED) != 0))
        rw_sync_use_checked(t, s, obj, pc);
}
/* The same for an interceptor that has not looked the object up: records
 * its own trace event. */
void rw_sync_use_at(const volatile void *obj, uintptr_t pc);
/* intercept_gomp_parallel.c: while libgomp starts a team, the pc of the
 * program's GOMP_parallel call (the region's line), which the threads it
 * creates name as their creation; 0 otherwise. */
extern __thread uintptr_t rw_gomp_spawn_pc RW_TLS;

/* intercept_signal.c: how many signal handlers the thread is inside
 * (the program's, called by our trampoline), and the innermost one's
 * signal (0 outside). */
extern __thread int rw_signal_depth RW_TLS;
int rw_signal_current(void);
/* signal_reports.c: a handler returned with errno changed; a call to a
 * function that is not async-signal-safe inside a handler (queued, and
 * printed by rw_signal_reports_flush once it is safe: after the
 * outermost handler, or at exit). */
void rw_signal_errno_spoiled(int sig, uintptr_t handler, int before, int after);
void rw_signal_unsafe_call_report(const char *fn, uintptr_t pc);
void rw_signal_reports_flush(void);
/* Held by the fork handlers around fork(). */
void rw_signal_reports_lock(void);
void rw_signal_reports_unlock(void);
/* In an interceptor of a function that is not async-signal-safe. */
static inline void rw_signal_unsafe_call(const char *fn, uintptr_t pc)
{
    if (RW_UNLIKELY(rw_signal_depth != 0))
        rw_signal_unsafe_call_report(fn, pc);
}

/* intercept_thread.c */
void rw_thread_stack_bounds(rw_thread_info *in);
/* Only the static TLS bounds (rw_thread_stack_bounds sets both). */
void rw_thread_tls_bounds(rw_thread_info *in);
/* The main thread's: TLS now, the stack on the first
 * rw_thread_main_stack_bounds_settle (before any use of stack_lo/hi). */
void rw_thread_main_stack_bounds_later(rw_thread_info *in);
void rw_thread_main_stack_bounds_settle(void);
/* The pthread_t table's lock, held by the fork handlers around fork(). */
void rw_thread_handles_lock(void);
void rw_thread_handles_unlock(void);

/* intercept_malloc.c: the free quarantine's lock, likewise. */
void rw_quarantine_lock(void);
void rw_quarantine_unlock(void);

/* intercept_fork.c: registers the fork handlers (first of all, from the
 * constructor). */
void rw_fork_handlers_install(void);
/* The calling thread (the main thread, at start-up) becomes known by its
 * pthread_t, as pthread_create makes its children known: a thread that
 * joins it is then a wait on it. */
void rw_thread_register_self(rw_thread_info *in);

/* use_after_free.c: the access at addr starts in a granule holding a
 * freed cell: report it if the free happens before it (an unordered free
 * is the race check's "Previous free"). */
void rw_check_use_after_free(rw_thread *t, uintptr_t addr, size_t size, int write, uintptr_t pc);

/* The race check of a range by the runtime itself (interceptor ranges,
 * fd, stream and sync objects): every cell it stores is on a page noted
 * first in the map of touched pages (touched_pages.h), which a big
 * block's free and malloc trust under LD_PRELOAD.  Nothing is stored
 * while the program has had only one thread (rw_second_thread_created):
 * such an access happens before every access of every later thread, so
 * no race can involve it (a single-threaded program's read() of 20 MiB
 * would otherwise fill 80 MiB of shadow for nothing). */
static inline void rw_runtime_check_range(rw_thread *t, uintptr_t addr, size_t size, int write,
                                          int atomic, uintptr_t pc)
{
    if (RW_UNLIKELY(!__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED)))
        return;
    rw_touched_note(addr, size);
    rw_check_range(t, addr, size, write, atomic, pc);
}

/* The look for a free that happens before a range access (a use after
 * free, reported as such): not on a page that holds no cell (touched_pages.h), whose
 * shadow read there, before rw_runtime_check_range notes the page and maps
 * its shadow writable, was a page fault for every fresh page of the heap
 * (libuv's ping-pong tests: ~180 per test, a read() into a new buffer). */
static inline void rw_intercepted_use_after_free_look(rw_thread *t, uintptr_t addr, size_t size,
                                                      int write, uintptr_t pc)
{
    rw_cell *c = rw_touched_page_clean(addr) ? NULL : rw_shadow_cells(addr);
    if (c && RW_UNLIKELY(rw_cells_or(c, 0, __ATOMIC_RELAXED) & RW_FREED_BIT))
        rw_check_use_after_free(t, addr, size, write, pc);
}

/* The race check of a range, after that look. */
static inline void rw_intercepted_range_checked(rw_thread *t, uintptr_t addr, size_t size,
                                                int write, int atomic, uintptr_t pc)
{
    rw_intercepted_use_after_free_look(t, addr, size, write, pc);
    rw_runtime_check_range(t, addr, size, write, atomic, pc);
}

/* The same for a plain range, returning 1 when a short one was found
 * covered by our own cells of this epoch (rw_check_range_covered: nothing
 * stored), which is rw_range_seen's shadow test answered by the check's
 * own loads of the cells. */
static inline int rw_intercepted_range_checked_covered(rw_thread *t, uintptr_t addr, size_t size,
                                                       int write, uintptr_t pc)
{
    rw_intercepted_use_after_free_look(t, addr, size, write, pc);
    if (RW_UNLIKELY(!__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED)))
        return 0;
    rw_touched_note(addr, size);
    return rw_check_range_covered(t, addr, size, write, pc);
}

/* A range accessed by an interceptor (memcpy, str*, read/write buffers):
 * what this thread has not checked of it since its last release
 * (runtime/range_seen.h) goes to rw_intercepted_range_checked. */
/* The short plain range [addr, addr+size) whose start's exact entry x
 * holds [addr, addr+held) of this era (0 < held < size): only the bytes
 * past that prefix are checked, and the entry grows to the whole range
 * (word_count's binary search, where a word is compared with keys of
 * growing common prefix: before, each longer compare asked the shadow for
 * the whole range, then checked it all again granule by granule).  The
 * check starts at the granule where the new bytes begin (or the range's
 * start): the granule's run is stored as one piece over our smaller ones,
 * not as one more piece beside them (a granule of growing tails filled
 * its cells and took the general check: more work than checking the
 * whole range). */
static inline void rw_intercepted_range_grow(rw_thread *t, rw_range_seen_exact *x, uintptr_t addr,
                                             size_t held, size_t size, int write, uintptr_t pc)
{
    uintptr_t from = (addr + held) & ~(uintptr_t)7;
    if (from < addr)
        from = addr;
    rw_intercepted_range_checked(t, from, addr + size - from, write, 0, pc);
    /* The entry grows (it holds what was checked, of its kind only) if
     * the era did not move meanwhile (a free in a report's own calls). */
    if (!t->busy && __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED) &&
        x->key == (addr | rw_range_seen_current_key(t)) && x->write == (uint32_t)write &&
        size > x->len)
        x->len = (uint32_t)size;
}

static inline void rw_intercepted_range_looked(rw_thread *t, uintptr_t addr, size_t size,
                                               int write, int atomic, uintptr_t pc)
{
    if (!size)
        return;
    /* A short range whose start's exact entry holds a shorter prefix of
     * it: only the bytes past that prefix (rw_intercepted_range_grow). */
    size_t held = atomic ? 0 : rw_range_seen_exact_prefix(t, addr, size, write);
    if (held) {
        rw_intercepted_range_grow(t, rw_range_seen_exact_slot(&rw_range_seen_tab, addr), addr,
                                  held, size, write, pc);
        return;
    }
    /* A short plain range: the granule cache and the exact entry (no
     * shadow), then the check itself, which answers the shadow test. */
    if (!atomic && size <= RW_RANGE_SEEN_SHADOW_MAX) {
        if (rw_range_seen_cached_only(t, addr, size, write))
            return;
        int covered = rw_intercepted_range_checked_covered(t, addr, size, write, pc);
        if (t->busy)
            return;
        if (covered)
            rw_range_seen_found_covered(t, addr, size, write);
        else if (__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED))
            rw_range_seen_exact_extend(t, addr, size, write);
        return;
    }
    /* While the program has had only one thread the check stores nothing
     * (rw_runtime_check_range) and only the use-after-free test runs: the
     * range table's look-ups and notes below cost more than that test
     * (single-threaded GNU sort -n: a fifth of each output line's
     * fwrite_unlocked).  Nothing is noted either (as the short ranges
     * above note nothing then): a range noted now was checked without
     * storing a cell, and its entry must not answer for it once a second
     * thread exists.  Here, not at the top: the short ranges of a
     * threaded program (xz's copies) would pay the test too. */
    if (RW_UNLIKELY(!__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED))) {
        rw_intercepted_range_checked(t, addr, size, write, atomic, pc);
        return;
    }
    if (rw_range_seen(t, addr, size, write, atomic))
        return;
    /* Part of it checked since our last release (a growing memmove):
     * only the rest is. */
    rw_range_seen_entry *seen = size > RW_RANGE_SEEN_SHADOW_MAX
                                    ? rw_range_seen_overlap(t, addr, size, write, atomic)
                                    : NULL;
    if (seen) {
        uintptr_t end = addr + size;
        if (addr < seen->lo)
            rw_intercepted_range_checked(t, addr, seen->lo - addr, write, atomic, pc);
        if (seen->hi < end)
            rw_intercepted_range_checked(t, seen->hi, end - seen->hi, write, atomic, pc);
        if (!t->busy)
            rw_range_seen_widen(seen, addr, size, write, atomic);
        return;
    }
    rw_intercepted_range_checked(t, addr, size, write, atomic, pc);
    if (t->busy)
        return;
    if (size > RW_RANGE_SEEN_SHADOW_MAX)
        rw_range_seen_note(t, addr, size, write, atomic);
    else if (!atomic && __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED))
        rw_range_seen_exact_extend(t, addr, size, write);
}

void rw_intercepted_range_out_of_line(rw_thread *t, uintptr_t addr, size_t size, int write,
                                      int atomic, uintptr_t pc);

/* The same, with the exact entry of a short plain range asked inline
 * first: string_match's strcmp and strlen calls (48 million ranges, all
 * answered there) spent more in the out-of-line call's frame than in the
 * test itself. */
static inline void rw_intercepted_range(rw_thread *t, uintptr_t addr, size_t size, int write,
                                        int atomic, uintptr_t pc)
{
    if (!atomic && size) {
        /* A short write that continues the last one (a decoder's window):
         * checked at once, without the look-ups that would not find it. */
        if (write && size <= RW_RANGE_SEEN_SHADOW_MAX &&
            rw_range_seen_write_continues(addr, size)) {
            rw_intercepted_range_checked(t, addr, size, write, atomic, pc);
            return;
        }
        if (rw_range_seen_exact_hit(t, addr, size, write))
            return;
    }
    rw_intercepted_range_out_of_line(t, addr, size, write, atomic, pc);
}

/* pending_write.c: the short plain write [addr, addr+size) (a copy's
 * destination) added to t's window of pending writes from call site pc,
 * checked now and stored later; 0 when it must take the ordinary check
 * (another slot's cell in its granules that does not happen before us, a
 * free, no shadow yet), after the window was stored. */
int rw_pending_write_add(rw_thread *t, uintptr_t addr, size_t size, uintptr_t pc);
/* A read of [addr, addr+size) while t's window is open: 1 when the
 * window's bytes hold all of it (nothing to check), else 0, after the
 * window was stored if the read touches it. */
int rw_pending_write_read(rw_thread *t, uintptr_t addr, size_t size);
/* At exit: the other threads' pending copies against what was stored
 * over them since (reported on their behalf). */
void rw_pending_writes_check_at_exit(rw_thread *self);

/* Is the short plain read [addr, addr+size) (size <= 64) covered, byte
 * for byte, by t's own plain cells of this epoch (clock past its last
 * release), with no free's cell or extension's marker in its granules?
 * Then the read is redundant, as check_range would find (it returns 1,
 * stores nothing), without the range table's look-ups and the check's
 * frames: xz -d's match copies read their dictionary, and 54% of the
 * sources were written or read by the same thread since its last
 * release (its copies' destinations of this epoch).  Another slot's cell
 * is not looked at, as the range loop's own covered test does not: it
 * raced with our covering cell already, and that pair was checked when
 * the later of the two was stored.  The free's cell is the use-after-free
 * look's (rw_intercepted_use_after_free_look), which then decides. */
static inline int rw_read_covered_by_own_cells(const rw_thread *t, uintptr_t addr, size_t size)
{
    const uint64_t kind_bits =
        ((uint64_t)(RW_MAX_SLOTS - 1) << RW_SLOT_SHIFT) | RW_FREED_BIT | RW_ATOMIC_BIT;
    const uint64_t ours = (uint64_t)t->slot << RW_SLOT_SHIFT;
    const uintptr_t end = addr + size;
    if (end < addr || end > RW_APP_LIMIT)
        return 0;
    for (uintptr_t g = addr & ~(uintptr_t)7; g < end; g += 8) {
        const rw_cell *cells = rw_shadow_cells_mapped(g);
        if (!cells)
            return 0;
        const unsigned lo = g < addr ? (unsigned)(addr - g) : 0;
        const unsigned hi = end - g < 8 ? (unsigned)(end - g) : 8;
        const unsigned run = (0xffu >> (8 - hi)) & (0xffu << lo);
        rw_cell snap[RW_CELLS_PER_GRANULE];
        rw_cells_load_all(cells, snap, __ATOMIC_RELAXED);
        unsigned cover = 0;
        rw_cell any = 0;
        for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
            rw_cell c = snap[i];
            any |= c;
            if ((c & kind_bits) == ours && rw_cell_clock(c) > t->last_release)
                cover |= rw_cell_mask(c);
        }
        if ((run & ~cover) != 0 || (any & RW_FREED_BIT) != 0)
            return 0;
    }
    return 1;
}

/* A copy's ranges (memcpy): a short destination, while no instrumented
 * code is loaded (rw_touched_valid: every release and acquire is then an
 * interceptor's, which stores the window first), joins the window of
 * pending writes (pending_write.c); a source held by the window is not
 * checked. */
static inline void rw_intercepted_copy(rw_thread *t, uintptr_t d, uintptr_t s, size_t n,
                                       uintptr_t pc)
{
    if (!n)
        return;
    /* A short source our own cells of this epoch cover: nothing to check,
     * and the window (whatever it holds of it) need not be stored first.
     * Else the check at once, without the range table (range_seen.h):
     * the shadow's own test above answers what its entries would, and
     * xz's sources, noted all over the table, cost a cache miss each. */
    if (n > RW_RANGE_SEEN_SHADOW_MAX) {
        if (!t->pend_base || !rw_pending_write_read(t, s, n))
            rw_intercepted_range(t, s, n, 0, 0, pc);
    } else if (!rw_read_covered_by_own_cells(t, s, n) &&
               (!t->pend_base || !rw_pending_write_read(t, s, n))) {
        rw_intercepted_range_checked_covered(t, s, n, 0, pc);
    }
    if (n <= RW_RANGE_SEEN_SHADOW_MAX && !t->busy &&
        __atomic_load_n(&rw_touched_valid, __ATOMIC_RELAXED) &&
        __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED) &&
        rw_pending_write_add(t, d, n, pc))
        return;
    if (t->pend_base)
        rw_pending_write_store(t);
    rw_intercepted_range(t, d, n, 1, 0, pc);
}

/* called_from_lib.c: the code range of a library whose calls to our
 * interceptors record nothing (libgomp: its internal memory is not the
 * program's).  Empty until rw_ignore_calls_from_lib_of names a function
 * of it. */
extern uintptr_t rw_ignored_lib_lo, rw_ignored_lib_len;
void rw_ignore_calls_from_lib_of(const void *fn);
static inline int rw_called_from_ignored_lib(uintptr_t pc)
{
    return pc - rw_ignored_lib_lo < rw_ignored_lib_len;
}

/* Memory accesses made by interceptors (memcpy...). */
static inline void rw_range_access(rw_thread *t, const void *addr, size_t size, int write,
                                   uintptr_t pc)
{
    if (size && !t->ignore && !rw_called_from_ignored_lib(pc))
        rw_intercepted_range(t, (uintptr_t)addr, size, write, 0, pc);
}

/* Ask for the shadow line of addr before the real call, so that its load
 * (a cache miss when the program compares words scattered over a big
 * input) overlaps the call instead of following it.  Only a hint; the
 * caller asks it only for a string with no exact entry in t's table
 * (range_seen.h): those are answered without the shadow, and prefetching
 * them anyway was a fifth of string_match's time.  Nothing if no shadow
 * yet, or none mapped for addr. */
static inline void rw_prefetch_shadow_of(const void *addr)
{
    if (__atomic_load_n(&rw_shadow_dir, __ATOMIC_RELAXED) == NULL)
        return;
    rw_cell *cells = rw_shadow_cells_mapped((uintptr_t)addr);
    if (cells)
        __builtin_prefetch(cells, 0, 3);
}

#define RW_CALLER_PC() ((uintptr_t)__builtin_return_address(0))

#endif
