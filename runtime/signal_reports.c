/* signal_reports.c: misuse inside signal handlers, as ThreadSanitizer
 * reports it: a handler that returns with errno changed ("signal handler
 * spoils errno": the interrupted code may be between a failing call and
 * its read of errno), and a call to a function that is not
 * async-signal-safe from a handler ("signal-unsafe call inside of a signal
 * handler": malloc, free, printf, pthread_mutex_lock... may deadlock or
 * corrupt state the interrupted code holds).
 *
 * Inside a handler only the stack is captured (into the depot) and the
 * report queued; it is printed when the outermost handler returns, unless
 * that handler runs on an alternate signal stack (small: symbolizing there
 * could overflow it) or interrupted the runtime itself, and else at the
 * process's exit.  Each report is made once per call site (and signal). */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "detector/spinlock.h"
#include "detector/stackdepot.h"

#define MAX_PENDING 32
#define MAX_SEEN 256

struct pending {
    const char *title;
    char line[160];
    uint32_t stack;
    uint32_t thread;
};
static struct pending pending[MAX_PENDING] RW_LARGE_BSS;
static int npending;
static uintptr_t seen[MAX_SEEN]; /* call sites reported, by a hash */
static int nseen;
static rw_spin lock = RW_SPIN_INIT;

static const char *signal_name(int sig, char *buf, size_t size)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, size, "SIG%s", abbrev);
    else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        snprintf(buf, size, "SIGRTMIN+%d", sig - SIGRTMIN);
    else
        snprintf(buf, size, "signal %d", sig);
    return buf;
}

/* Queue a report unless this site was reported already; runs inside the
 * handler, with the runtime entered. */
static void queue(rw_thread *t, const char *title, const char *line, uint32_t stack,
                  uintptr_t site)
{
    rw_spin_lock(&lock);
    for (int i = 0; i < nseen; i++) {
        if (seen[i] == site) {
            rw_spin_unlock(&lock);
            return;
        }
    }
    if (nseen < MAX_SEEN)
        seen[nseen++] = site;
    if (npending < MAX_PENDING) {
        struct pending *p = &pending[npending++];
        p->title = title;
        snprintf(p->line, sizeof p->line, "%s", line);
        p->stack = stack;
        p->thread = t->info ? t->info->number : 0;
    }
    rw_spin_unlock(&lock);
}

/* The stack, walked (the shadow stack of instrumented code does not
 * know where the handler interrupted it): from top_pc, the call made in
 * the handler, if it is on the stack; else (the handler has returned)
 * top_pc, then the interrupted code's frames. */
static uint32_t capture(uintptr_t top_pc)
{
    rw_report_stack walked, s;
    rw_capture_stack_walk(top_pc, &walked);
    s.n = 0;
    if (walked.n == 0 || walked.pcs[0] != top_pc)
        s.pcs[s.n++] = top_pc;
    for (int i = 0; i < walked.n && s.n < RW_MAX_STACK; i++)
        if (!rw_pc_in_runtime(walked.pcs[i]))
            s.pcs[s.n++] = walked.pcs[i];
    return rw_stack_put(s.pcs, (uint32_t)s.n);
}

void rw_signal_errno_spoiled(int sig, uintptr_t handler, int before, int after)
{
    /* Faults and the like run their handler in place of the faulting
     * code, which reads no errno after it (ThreadSanitizer skips these
     * too). */
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
        sig == SIGABRT || sig == SIGSYS)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    int saved = errno;
    char name[32], line[160];
    snprintf(line, sizeof line, "Signal %d (%s) handler changed errno from %d to %d (%s)", sig,
             signal_name(sig, name, sizeof name), before, after,
             strerrorname_np(after) ? strerrorname_np(after) : "?");
    /* The handler's entry: symbolized as its first line. */
    uint32_t stack = capture(handler + 1);
    queue(t, "signal handler spoils errno", line, stack, handler * 64 + (uintptr_t)sig);
    errno = saved;
    rw_leave();
}

void rw_signal_unsafe_call_report(const char *fn, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    int saved = errno;
    int sig = rw_signal_current();
    char name[32], line[160];
    snprintf(line, sizeof line, "Call to %s() in the handler of signal %d (%s)", fn, sig,
             signal_name(sig, name, sizeof name));
    uint32_t stack = capture(pc);
    queue(t, "signal-unsafe call inside of a signal handler", line, stack,
          pc * 64 + (uintptr_t)sig);
    errno = saved;
    rw_leave();
}

void rw_signal_reports_flush(void)
{
    if (__atomic_load_n(&npending, __ATOMIC_RELAXED) == 0 || rw_in_rt)
        return;
    int saved_errno = errno;
    rw_in_rt = 1;
    for (;;) {
        struct pending p;
        rw_spin_lock(&lock);
        if (npending == 0) {
            rw_spin_unlock(&lock);
            break;
        }
        p = pending[0];
        memmove(pending, pending + 1, (size_t)(npending - 1) * sizeof pending[0]);
        npending--;
        rw_spin_unlock(&lock);
        rw_report_signal_misuse(p.thread, p.title, p.line, p.stack);
    }
    rw_in_rt = 0;
    errno = saved_errno;
}

/* The fork handlers hold the lock around fork() (intercept_fork.c). */
void rw_signal_reports_lock(void)
{
    rw_spin_lock(&lock);
}

void rw_signal_reports_unlock(void)
{
    rw_spin_unlock(&lock);
}
