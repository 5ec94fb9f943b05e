/* misuse_rules.c: the table of misuse kinds and their rule ids.  A title
 * matches the first entry whose text starts it (titles carry no
 * addresses; a few fatal messages end with a count). */
#include "detector/misuse_rules.h"

#include <string.h>

const rw_misuse_rule rw_misuse_rules[] = {
    { "sync: unlock of unlocked mutex", "mutex-unlock-unlocked",
      "A mutex that is not locked was unlocked." },
    { "unlock of a mutex held by another thread", "mutex-unlock-not-owner",
      "A thread unlocked a mutex another thread holds." },
    { "destroy of a locked mutex", "mutex-destroy-locked", "A locked mutex was destroyed." },
    { "lock of a destroyed mutex", "mutex-lock-destroyed", "A destroyed mutex was locked." },
    { "lock of an uninitialised mutex", "mutex-lock-uninitialized",
      "A mutex that was never initialised was locked." },
    { "re-initialisation of a locked mutex", "mutex-reinit-locked",
      "A locked mutex was initialised again." },
    { "thread exited while holding mutexes", "thread-exit-holding",
      "A thread ended while it held mutexes." },
    { "sync: unlock of unlocked rwlock", "rwlock-unlock-unlocked",
      "A read-write lock that is not locked was unlocked." },
    { "second write lock of a rwlock by its holder", "rwlock-relock",
      "The write holder of a read-write lock locked it again." },
    { "read lock of a rwlock by its write holder", "rwlock-relock",
      "The write holder of a read-write lock locked it again." },
    { "condition wait with a mutex the caller does not hold", "cond-wait-unheld-mutex",
      "A condition variable was waited on with a mutex the caller does not hold." },
    { "condition variable waited on with two mutexes", "cond-two-mutexes",
      "Threads waited on one condition variable with different mutexes at once." },
    { "condition wait with an invalid deadline", "cond-invalid-deadline",
      "A timed condition wait was given a deadline with nanoseconds out of range." },
    { "destroy of a condition variable with waiters", "cond-destroy-waiters",
      "A condition variable was destroyed while threads waited on it." },
    { "re-initialisation of a condition variable with waiters", "cond-reinit-waiters",
      "A condition variable was initialised again while threads waited on it." },
    { "pthread_barrier_init with count 0", "barrier-count-zero",
      "A barrier was initialised with a count of 0." },
    { "sync: pthread_barrier_destroy of a barrier", "barrier-destroy-waiting",
      "A barrier was destroyed while threads waited in it." },
    { "sync: pthread_barrier_init of a barrier", "barrier-reinit-waiting",
      "A barrier was initialised again while threads waited in it." },
    { "sem_post overflow", "sem-post-overflow", "A semaphore at SEM_VALUE_MAX was posted." },
    { "destroy of a semaphore with waiters", "sem-destroy-waiters",
      "A semaphore was destroyed while threads waited in it." },
    { "use of a destroyed semaphore", "sem-use-destroyed", "A destroyed semaphore was used." },
    { "pthread_join of a thread that was already joined", "thread-join-twice",
      "A thread was joined twice." },
    { "pthread_join of a detached thread", "thread-join-detached",
      "A detached thread was joined." },
    { "pthread_detach of a thread that was already joined", "thread-detach-joined",
      "A joined thread was detached." },
    { "pthread_detach of a thread that was already detached", "thread-detach-twice",
      "A thread was detached twice." },
    { "pthread_join of a thread that does not exist", "thread-unknown",
      "A pthread_t that no thread has was joined or detached." },
    { "pthread_detach of a thread that does not exist", "thread-unknown",
      "A pthread_t that no thread has was joined or detached." },
    { "signal handler spoils errno", "signal-errno",
      "A signal handler returned with errno changed." },
    { "signal-unsafe call inside of a signal handler", "signal-unsafe-call",
      "A signal handler called a function that is not async-signal-safe." },
    { "", "other", "A synchronization primitive or channel was misused." },
};

const int rw_misuse_nrules = (int)(sizeof rw_misuse_rules / sizeof rw_misuse_rules[0]);

const rw_misuse_rule *rw_misuse_rule_of(const char *title)
{
    static const char *const prefixes[] = { "WARNING: ", "fatal error: ", "panic: " };
    for (unsigned i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(title, prefixes[i], n) == 0) {
            title += n;
            break;
        }
    }
    for (int i = 0; i < rw_misuse_nrules - 1; i++)
        if (strncmp(title, rw_misuse_rules[i].title, strlen(rw_misuse_rules[i].title)) == 0)
            return &rw_misuse_rules[i];
    return &rw_misuse_rules[rw_misuse_nrules - 1];
}
