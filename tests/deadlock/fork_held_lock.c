/* fork_held_lock.c: the classic fork hazard.  A worker holds a mutex when
 * main forks; in the child that worker does not exist, so the mutex stays
 * locked for ever, and the child's lock of it can never return.  The child
 * reports for itself (all its threads asleep, exit 2); the parent reaps it,
 * prints its status and exits 0.  Natively the child hangs, and so does
 * the parent waiting for it.  Twin: tests/robust/fork.c (children that only
 * use locks no other thread held at the fork). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=parent: child exited 2\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_mutex_lock] @child_lock
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static sem_t holding, forked;

static void *holder(void *arg)
{
    pthread_mutex_lock(&m);
    sem_post(&holding);
    sem_wait(&forked);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    sem_init(&holding, 0, 0);
    sem_init(&forked, 0, 0);
    pthread_create(&t, NULL, holder, NULL);
    sem_wait(&holding);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(&m); /* @child_lock */
        _exit(0);
    }
    sem_post(&forked);
    pthread_join(t, NULL);
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("parent: child exited %d\n", WEXITSTATUS(st));
    else
        printf("parent: child killed by signal %d\n", WTERMSIG(st));
    return 0;
}
