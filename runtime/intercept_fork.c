/* intercept_fork.c: fork.  The child is a new process with its own
 * detector state: the parent's history happens before it (semantics.md),
 * and it reports for itself.  Every internal lock is taken around the
 * real fork so that no lock is copied into the child held by a thread
 * that does not exist there.  In the child only the forking thread lives:
 * the wait-for state restarts with it (its new kernel id), and the other
 * threads count as finished, so a mutex one of them held at the fork is
 * known to be held for ever. */
#include "runtime/rt.h"

#include <unistd.h>

#include "detector/heapblock.h"
#include "detector/objectaddr.h"
#include "detector/stackdepot.h"
#include "detector/syncvar.h"
#include "detector/waitfor.h"
#include "runtime/symbolize.h"

RW_DECLARE_REAL(pid_t, fork, void);

RW_EXPORT pid_t fork(void)
{
    rw_thread *t = rw_enter();
    if (!t)
        return RW_RESOLVE(fork)();
    RW_RESOLVE(fork);
    rw_waitfor_lock();
    rw_symbolize_fork_prepare();
    rw_sink_lock();
    rw_threads_lock_all();
    rw_stackdepot_lock_all();
    rw_heap_lock_all();
    rw_objectaddr_lock_all();
    rw_syncs_lock_all();
    pid_t pid = RW_REAL(fork)();
    rw_syncs_unlock_all();
    rw_objectaddr_unlock_all();
    rw_heap_unlock_all();
    rw_stackdepot_unlock_all();
    rw_threads_unlock_all();
    rw_sink_unlock();
    if (pid == 0) {
        rw_blocking_after_fork(t->info); /* also resets the wait-for lock */
        rw_symbolize_fork_child();
        rw_sink_reopen_after_fork();
        rw_report_after_fork();
        rw_thread_leaks_after_fork(t->info);
        rw_report_sync_after_fork();
    } else {
        rw_symbolize_fork_parent();
        rw_waitfor_unlock();
    }
    rw_leave();
    return pid;
}
