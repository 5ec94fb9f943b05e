/* fork_lost_signal.c: a signal that went to a thread which does not exist
 * in the child wakes nobody there.  A worker waits on a condition; main
 * signals it and forks while still holding the mutex, so the worker has
 * not yet taken the signal.  The child's main then waits on that condition
 * with no predicate and nobody left to signal: asleep for ever (natively
 * the child hangs, and so does the parent waiting for it).  The child
 * reports for itself and exits 2; the parent goes on and exits 0. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=parent: worker woke, child exited 2\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_cond_wait] @child_wait
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static atomic_int waiting;
static int woken;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store_explicit(&waiting, 1, memory_order_relaxed);
    while (!woken)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&waiting, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&m); /* the worker is inside its wait */
    woken = 1;
    pthread_cond_signal(&c);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_cond_wait(&c, &m); /* @child_wait */
        _exit(0);
    }
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("parent: worker woke, child exited %d\n", WEXITSTATUS(st));
    else
        printf("parent: worker woke, child killed by signal %d\n", WTERMSIG(st));
    return 0;
}
