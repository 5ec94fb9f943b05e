/* latency.c: deadlocks at a known moment, for bench/real/run.py.
 *
 * Every thread but one is already blocked for good; the last one sleeps
 * 200 ms (so the others have settled), prints "T <seconds>" read from
 * CLOCK_MONOTONIC on stdout, flushes, and makes the blocking call that
 * completes the deadlock.  run.py notes when racewatch's "fatal error" line
 * reaches it (the same clock) and reports the difference.
 *
 *   latency mutex   ABBA between two threads, main joining: all asleep
 *   latency cycle   ABBA while main sleeps: a cycle of two
 *   latency cond    a worker waits on a condition nobody signals, main joins
 *                   it (the last blocking call is main's pthread_join)
 *   latency sem     main waits on a semaphore nobody posts (the only thread)
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t both;

static void stamp(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("T %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    fflush(stdout);
}

static void *first(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both);
    pthread_mutex_lock(&b);
    return arg;
}

static void *last(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both);
    usleep(200 * 1000);
    stamp();
    pthread_mutex_lock(&a);
    return arg;
}

static void *cond_waiter(void *arg)
{
    pthread_mutex_lock(&cm);
    for (;;)
        pthread_cond_wait(&cv, &cm);
    return arg;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "mutex";
    pthread_t t1, t2;
    if (!strcmp(what, "mutex") || !strcmp(what, "cycle")) {
        pthread_barrier_init(&both, NULL, 2);
        pthread_create(&t1, NULL, first, NULL);
        pthread_create(&t2, NULL, last, NULL);
        if (!strcmp(what, "cycle"))
            for (;;)
                sleep(1);
        pthread_join(t1, NULL);
    } else if (!strcmp(what, "cond")) {
        pthread_create(&t1, NULL, cond_waiter, NULL);
        usleep(200 * 1000);
        stamp();
        pthread_join(t1, NULL);
    } else if (!strcmp(what, "sem")) {
        sem_t s;
        sem_init(&s, 0, 0);
        usleep(200 * 1000);
        stamp();
        sem_wait(&s);
    }
    return 0;
}
