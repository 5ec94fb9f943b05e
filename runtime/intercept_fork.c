/* intercept_fork.c: fork, through handlers registered with pthread_atfork
 * before any of the program's (from our constructor), so that glibc runs
 * our prepare handler after all of the program's and our parent and child
 * handlers before all of them.  The program's own handlers therefore run
 * watched, like any code: a lock taken in a prepare handler and released
 * in the child handler is an ordinary lock and unlock of the forking
 * thread.
 *
 * prepare  takes every internal lock, in the order written above
 *          fork_prepare (no lock may be copied into the
 *          child held by a thread that does not exist there, nor a table
 *          half updated; per-object sync locks, too many to take, are
 *          mended in the child instead) and stays inside the runtime until
 * parent    releases them, or
 * child     releases them and makes the child's state true: only the
 *          forking thread exists.  Every other thread finished where the
 *          fork found it, and all it did happened before the child's next
 *          event (rw_threads_after_fork acquires every slot's clock); it
 *          waits for nothing (rw_blocking_after_fork: no condition or
 *          semaphore counts it as a waiter), and a lock it held is held
 *          for ever.  The forking thread keeps what it held: glibc's mutex
 *          owner fields still carry its parent kernel id, known here as
 *          its alias.  The child then reports for itself.
 *
 * A fork from an unwatched thread (or from inside the runtime) takes no
 * lock and changes nothing: fork_locked says which case the handlers are
 * in.
 *
 * vfork is a fork here.  The child of a real vfork borrows the parent's
 * memory and its thread (same stack, same thread pointer, so the same
 * rw_cur) until it calls exec or _exit: everything it does through an
 * interceptor -- CPython's subprocess child dup2s and closes descriptors,
 * fd 1 among them -- would be recorded as the parent thread's own work,
 * in the parent's runtime state, with no fork handler run.  Measured: four
 * threads each vforking a child that redirects fd 1 while the others
 * write to it gave 2-4 false "DATA RACE" reports on fd 1 per run.  A
 * program may rely only on what POSIX promises of vfork (the child calls
 * exec or _exit), and a fork keeps that promise; the cost is the copy of
 * the page tables.  ThreadSanitizer does the same.
 *
 * glibc's posix_spawn (and system and popen, built on it) clones its child
 * with CLONE_VM|CLONE_VFORK directly, not through vfork; that child calls
 * only glibc's internal entry points (__dup2, __close_nocancel,
 * __execve...), never an interposable symbol, so no interceptor runs in it
 * and the parent's state cannot change (tests/programs/vfork_clean.c
 * checks both paths). */
#include "runtime/rt.h"

#include <pthread.h>
#include <unistd.h>

#include "detector/heapblock.h"
#include "detector/lockgraph.h"
#include "detector/objectaddr.h"
#include "detector/stackdepot.h"
#include "detector/syncvar.h"
#include "detector/waitfor.h"
#include "runtime/fd_objects.h"
#include "runtime/stack_capture.h"
#include "runtime/stream_objects.h"
#include "runtime/symbolize.h"

static __thread int fork_locked RW_TLS;

/* First the tables made on first use whose makers take a lock (fd and
 * stream objects: the object table's ranges) are made, if they were not:
 * a fork while another thread was making one left the child waiting for
 * ever for a maker that does not exist there (vfork_race.c, pinned, once
 * in 20 runs).  Then the locks.
 *
 * The order the handlers take the runtime's locks in, outermost first.  A
 * thread that holds one of them and takes another always takes them in
 * this order; the arrows are the nestings that fix it (the others are
 * leaves, never held while another is taken):
 *
 *   waitfor        the deadlock verdict is printed under it  -> sink
 *   sink           a report is built and written under it (the sink's
 *                  lock keeps reports whole)  -> symbolizer, thread
 *                  registry, stack depot, heap table, object table
 *   signal reports, symbolizer, thread registry (-> its retired traces),
 *   stack depot (its first-use lock, then its stripes), heap table, object
 *   table (its ranges, then its buckets), sync table inserts, lock-order
 *   graph, thread handles, quarantine: leaves
 *   stack walks    last: no walk needs any of the locks above, but a
 *                  thread may begin one holding any of them
 *
 * The symbolizer's lock once came before the sink's: a fork while another
 * thread wrote a report (sink held, waiting for the symbolizer) hung both
 * threads for ever (tests/programs/fork_report_race.c). */
static void fork_prepare(void)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    fork_locked = 1;
    rw_fd_objects_before_fork();
    rw_stream_objects_before_fork();
    rw_waitfor_lock();
    rw_sink_lock();
    rw_signal_reports_lock();
    rw_symbolize_fork_prepare();
    rw_threads_lock_all();
    rw_stackdepot_lock_all();
    rw_heap_lock_all();
    rw_objectaddr_lock_all();
    rw_syncs_lock_all();
    rw_lockgraph_lock_all();
    rw_thread_handles_lock();
    rw_quarantine_lock();
    rw_stack_walks_stop();
}

/* The locks above but the symbolizer's and the wait-for graph's (each
 * mended its own way in the child), innermost first. */
static void unlock_all_but_waitfor_and_symbolizer(void)
{
    rw_quarantine_unlock();
    rw_thread_handles_unlock();
    rw_lockgraph_unlock_all();
    rw_syncs_unlock_all();
    rw_objectaddr_unlock_all();
    rw_heap_unlock_all();
    rw_stackdepot_unlock_all();
    rw_threads_unlock_all();
    rw_signal_reports_unlock();
    rw_sink_unlock();
}

static void fork_parent(void)
{
    if (!fork_locked)
        return;
    fork_locked = 0;
    rw_stack_walks_resume();
    unlock_all_but_waitfor_and_symbolizer();
    rw_symbolize_fork_parent();
    rw_waitfor_unlock();
    rw_leave();
}

static void fork_child(void)
{
    if (!fork_locked)
        return;
    fork_locked = 0;
    rw_thread *t = rw_cur;
    rw_stack_walks_reset_after_fork();
    unlock_all_but_waitfor_and_symbolizer();
    rw_symbolize_fork_child();
    rw_threads_after_fork(t);
    rw_compared_pendings_after_fork(t);
    rw_syncs_after_fork();
    rw_blocking_after_fork(t->info); /* also resets the wait-for lock */
    rw_sink_reopen_after_fork();
    rw_report_after_fork();
    rw_thread_leaks_after_fork(t->info);
    rw_report_sync_after_fork();
    rw_leave();
}

RW_EXPORT pid_t vfork(void)
{
    return fork();
}

RW_EXPORT pid_t __vfork(void)
{
    return fork();
}

void rw_fork_handlers_install(void)
{
    if (pthread_atfork(fork_prepare, fork_parent, fork_child) != 0)
        rw_die("cannot register the fork handlers");
}
