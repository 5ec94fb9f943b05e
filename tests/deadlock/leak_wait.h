/* leak_wait.h: for the thread-leak tests, wait until a thread has really
 * ended (its kernel thread is gone, so racewatch has seen its end) without
 * joining it: the thread publishes its kernel id, the waiter polls
 * tgkill(pid, tid, 0) until ESRCH.  No synchronization is involved. */
#ifndef LEAK_WAIT_H
#define LEAK_WAIT_H

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

/* In the thread: publish its kernel id into *slot. */
static inline void leak_publish_tid(atomic_int *slot)
{
    atomic_store_explicit(slot, (int)syscall(SYS_gettid), memory_order_relaxed);
}

/* Wait until the thread that publishes into *slot has started and ended. */
static inline void leak_wait_gone(atomic_int *slot)
{
    int tid;
    while ((tid = atomic_load_explicit(slot, memory_order_relaxed)) == 0)
        usleep(1000);
    while (syscall(SYS_tgkill, getpid(), tid, 0) == 0 || errno != ESRCH)
        usleep(1000);
}

#endif
