/* fork_atfork.c: the forking thread keeps what it held.  The classic
 * pthread_atfork pattern (lock in prepare, unlock in the parent and in the
 * child) on a mutex a busy worker uses, the same done by hand around
 * fork() with a normal mutex and a write-locked rwlock, a mutex the child
 * keeps locked across a second fork (unlocked in the grandchild), and an
 * error-checking mutex, which glibc's child cannot unlock (EPERM: its
 * owner field holds the forking thread's id in the parent).  The child
 * also joins the parent's worker, which does not exist there (glibc
 * returns 0 at once), and reads what the worker wrote under the atfork
 * mutex.  No report: each unlock is by the thread that locked. */
// ROBUST: exit=0
// ROBUST: stdout=child: handler 1, errorcheck unlock 1, join 0, worker counted 1\ngrandchild: unlock 0\nchild: grandchild exited 0\nchild exited 0\nparent: worker counted 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t atfork_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t by_hand = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t kept = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t errorcheck;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long counted;           /* under atfork_mutex */
static int child_handler_ran;  /* written by the child handler */
static atomic_int stop, worker_started;

static void prepare(void) { pthread_mutex_lock(&atfork_mutex); }
static void in_parent(void) { pthread_mutex_unlock(&atfork_mutex); }
static void in_child(void)
{
    child_handler_ran = 1;
    pthread_mutex_unlock(&atfork_mutex);
}

static void *worker(void *arg)
{
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        pthread_mutex_lock(&atfork_mutex);
        counted++;
        pthread_mutex_unlock(&atfork_mutex);
        pthread_rwlock_rdlock(&table_lock);
        pthread_rwlock_unlock(&table_lock);
        atomic_store_explicit(&worker_started, 1, memory_order_relaxed);
        usleep(100);
    }
    return arg;
}

static int grandchild(void)
{
    int r = pthread_mutex_unlock(&kept);
    printf("grandchild: unlock %d\n", r);
    fflush(stdout);
    return 0;
}

static int child(pthread_t parent_worker)
{
    pthread_mutex_unlock(&by_hand);
    pthread_rwlock_unlock(&table_lock);
    int ec = pthread_mutex_unlock(&errorcheck);
    int j = pthread_join(parent_worker, NULL);
    pthread_mutex_lock(&atfork_mutex);
    long c = counted;
    pthread_mutex_unlock(&atfork_mutex);
    printf("child: handler %d, errorcheck unlock %d, join %d, worker counted %d\n",
           child_handler_ran, ec != 0, j, c > 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        exit(grandchild());
    int st;
    waitpid(pid, &st, 0);
    printf("child: grandchild exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    pthread_mutex_unlock(&kept);
    return 0;
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&errorcheck, &a);
    pthread_atfork(prepare, in_parent, in_child);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&worker_started, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&by_hand);
    pthread_mutex_lock(&kept);
    pthread_mutex_lock(&errorcheck);
    pthread_rwlock_wrlock(&table_lock);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int r = child(t);
        fflush(stdout);
        exit(r);
    }
    pthread_rwlock_unlock(&table_lock);
    pthread_mutex_unlock(&errorcheck);
    pthread_mutex_unlock(&kept);
    pthread_mutex_unlock(&by_hand);
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    atomic_store_explicit(&stop, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    pthread_mutex_lock(&atfork_mutex);
    printf("parent: worker counted %d\n", counted > 0);
    pthread_mutex_unlock(&atfork_mutex);
    return 0;
}
