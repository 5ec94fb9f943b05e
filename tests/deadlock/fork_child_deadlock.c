/* fork_child_deadlock.c: a threaded parent forks; the child (a separate
 * process with its own detector state) deadlocks: it relocks a normal
 * mutex while its only other thread waits for that mutex.  The child
 * reports for itself and exits 2; the parent reaps it, prints its status
 * and exits 0.  (Natively the child hangs, and so does the parent.) */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=parent: child exited 2\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_mutex_lock] @relock
// RACEWATCH-EXPECT: thread 3 [pthread_mutex_lock] @lock from 1 @create_in_child
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *parent_worker(void *arg)
{
    return arg;
}

static void *child_worker(void *arg)
{
    pthread_mutex_lock(&m); /* @lock */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, parent_worker, NULL);
    pthread_join(t, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(&m);
        pthread_create(&t, NULL, child_worker, NULL); /* @create_in_child */
        /* Let the worker block first: then both threads are asleep when
         * the relock comes (without the pause the relock alone may be
         * reported first, as a cycle of one, which is also right). */
        usleep(300 * 1000);
        pthread_mutex_lock(&m); /* @relock */
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("parent: child exited %d\n", WEXITSTATUS(st));
    else
        printf("parent: child killed by signal %d\n", WTERMSIG(st));
    return 0;
}
