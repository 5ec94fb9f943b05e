/* sem_pshared_clean.c: twin of sem_short.c.  A process-shared semaphore in
 * shared memory is posted by another process (a forked child, after
 * 300 ms).  The parent's only threads wait in sem_wait and pthread_join,
 * but another process may post: racewatch must not judge it. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=waiter woken\nchild exited 0\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sem_t *shared;

static void *waiter(void *arg)
{
    sem_wait(shared);
    return arg;
}

int main(void)
{
    shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 1;
    sem_init(shared, 1, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300 * 1000);
        sem_post(shared);
        _exit(0);
    }
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_join(t, NULL);
    printf("waiter woken\n");
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
