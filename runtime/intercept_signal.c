/* intercept_signal.c: sigaction and signal, only to learn whether the
 * program handles signals.  A handler may post a semaphore (sem_post is
 * async-signal-safe), so once one is installed a thread waiting in
 * sem_wait is never judged asleep (shared/spec/semantics.md). */
#include "runtime/rt.h"

#include <signal.h>

RW_DECLARE_REAL(int, sigaction, int, const struct sigaction *, struct sigaction *);
RW_DECLARE_REAL(sighandler_t, signal, int, sighandler_t);

static void note(sighandler_t h)
{
    if (h != SIG_DFL && h != SIG_IGN)
        __atomic_store_n(&rw_signal_handlers_installed, 1, __ATOMIC_RELAXED);
}

RW_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (act)
        note((act->sa_flags & SA_SIGINFO) ? (sighandler_t)(void *)act->sa_sigaction : act->sa_handler);
    return RW_RESOLVE(sigaction)(sig, act, old);
}

RW_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    note(handler);
    return RW_RESOLVE(signal)(sig, handler);
}
