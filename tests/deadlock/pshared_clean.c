/* pshared_clean.c: process-shared mutex and barrier, in a shared file
 * mapping, used by this process and another one (a fresh process: the
 * child execs this program again as "holder").  The holder locks the mutex,
 * sleeps, unlocks, sleeps, then arrives at the barrier.  Meanwhile this
 * process, single-threaded, blocks in pthread_mutex_lock on a mutex owned
 * by a thread of *another process*, then in pthread_barrier_wait for a
 * party of another process: it looks asleep, but another process can wake
 * it, so racewatch must not judge it (semantics.md: process-shared objects
 * are a documented exception).  Twin of relock_alone.c / barrier_missing.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=got the mutex the holder had\npassed the barrier\nholder exited 0\n
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    pthread_mutex_t m;
    pthread_barrier_t b;
    atomic_int holding;
};

static struct shared *map(int create)
{
    int fd = open("pshared.mem", create ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0600);
    if (fd < 0 || (create && ftruncate(fd, sizeof(struct shared)) != 0))
        return NULL;
    void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static int holder(void)
{
    struct shared *s = map(0);
    if (!s)
        return 10;
    pthread_mutex_lock(&s->m);
    atomic_store(&s->holding, 1);
    usleep(300 * 1000);
    pthread_mutex_unlock(&s->m);
    usleep(300 * 1000);
    pthread_barrier_wait(&s->b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "holder"))
        return holder();
    struct shared *s = map(1);
    if (!s)
        return 1;
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->m, &ma);
    pthread_barrierattr_t ba;
    pthread_barrierattr_init(&ba);
    pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
    pthread_barrier_init(&s->b, &ba, 2);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "holder", (char *)NULL);
        _exit(127);
    }
    while (!atomic_load(&s->holding))
        usleep(1000);
    pthread_mutex_lock(&s->m);
    printf("got the mutex the holder had\n");
    pthread_mutex_unlock(&s->m);
    pthread_barrier_wait(&s->b);
    printf("passed the barrier\n");
    int st;
    waitpid(pid, &st, 0);
    printf("holder exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
