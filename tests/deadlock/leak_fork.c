/* leak_fork.c: a worker finishes unjoined, then main forks; the child
 * exits at once (_exit) and the parent returns.  The leak is reported
 * once, by the parent: in the child the worker is no thread of that
 * process.  Twin: leak_clean.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=child 0\n
// RACEWATCH-EXPECT: leak thread 2 @create
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>

#include "leak_wait.h"

static atomic_int tid;

static void *worker(void *arg)
{
    leak_publish_tid(arg);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, &tid); /* @create */
    leak_wait_gone(&tid);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status = -1;
    waitpid(pid, &status, 0);
    printf("child %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
