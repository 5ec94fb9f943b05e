/* fork.c: fork while other threads run and hold locks of their own; the
 * children create threads, use mutexes, condition variables, malloc, and
 * fork grandchildren; each exits with its own status, which the parent
 * prints.  Under racewatch each child has its own state and nothing
 * changes. */
// ROBUST: exit=0
// ROBUST: stdout=child 0: sum 4950 grandchild 21\nchild 1: sum 4950 grandchild 21\nchild 2: sum 4950 grandchild 21\nchild 0 exited 10\nchild 1 exited 11\nchild 2 exited 12\nbusy workers: ok\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t busy_m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop;
static long busy_count;

static void *busy(void *arg)
{
    while (!atomic_load(&stop)) {
        pthread_mutex_lock(&busy_m);
        busy_count++;
        char *p = malloc(64);
        memset(p, 1, 64);
        free(p);
        pthread_mutex_unlock(&busy_m);
    }
    return arg;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int sum, arrived;

static void *adder(void *arg)
{
    int base = (int)(long)arg;
    for (int i = 0; i < 25; i++) {
        pthread_mutex_lock(&m);
        sum += base * 25 + i;
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    arrived++;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    return NULL;
}

static int child(int k)
{
    pthread_t t[4];
    /* the parent's mutexes are in the state fork left them in; ours are
     * fresh, and the parent's busy threads do not exist here */
    pthread_mutex_init(&m, NULL);
    pthread_cond_init(&c, NULL);
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, adder, (void *)i);
    pthread_mutex_lock(&m);
    while (arrived < 4)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    pid_t g = fork();
    if (g == 0) {
        pthread_t t2;
        pthread_create(&t2, NULL, adder, (void *)0);
        pthread_join(t2, NULL);
        _exit(21);
    }
    int st;
    waitpid(g, &st, 0);
    printf("child %d: sum %d grandchild %d\n", k, sum, WEXITSTATUS(st));
    fflush(stdout);
    return 10 + k;
}

int main(void)
{
    pthread_t b[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&b[i], NULL, busy, NULL);
    pid_t pids[3];
    for (int k = 0; k < 3; k++) {
        fflush(stdout);
        pids[k] = fork();
        if (pids[k] == 0)
            exit(child(k));
        int st;
        waitpid(pids[k], &st, 0);   /* in order, so the output is too */
        pids[k] = WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
    }
    for (int k = 0; k < 3; k++)
        printf("child %d exited %d\n", k, pids[k]);
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(b[i], NULL);
    printf("busy workers: %s\n", busy_count > 0 ? "ok" : "idle");
    return 0;
}
