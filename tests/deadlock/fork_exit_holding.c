/* fork_exit_holding.c: the forking thread still owns, in the child, the
 * mutex it locked before the fork (glibc's owner field holds its kernel id
 * in the parent).  In the child it starts a thread that locks that mutex
 * and leaves by pthread_exit while still holding it: the mutex is held for
 * ever by a finished thread, the other one can never have it (natively the
 * child hangs, and so does the parent waiting for it).  The child warns at
 * the exit, reports the deadlock and exits 2; the parent exits 0. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=parent: child exited 2\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=thread exited while holding mutexes @lock_before_fork
// RACEWATCH-EXPECT: line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 3 [pthread_mutex_lock] @child_lock from 1 @create_in_child
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *parent_worker(void *arg)
{
    return arg;
}

static void *child_locker(void *arg)
{
    pthread_mutex_lock(&m); /* @child_lock */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, parent_worker, NULL);
    pthread_mutex_lock(&m); /* @lock_before_fork */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t2;
        pthread_create(&t2, NULL, child_locker, NULL); /* @create_in_child */
        pthread_exit(NULL);
    }
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("parent: child exited %d\n", WEXITSTATUS(st));
    else
        printf("parent: child killed by signal %d\n", WTERMSIG(st));
    return 0;
}
