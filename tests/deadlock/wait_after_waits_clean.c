/* wait_after_waits_clean.c: twin of wait_after_waits.c.  The same barrier
 * meetings and condition turns, then the worker waits for a predicate main
 * sets under the mutex before signalling, and both meet at the second
 * barrier: every wait ends, nothing is reported. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turns = PTHREAD_COND_INITIALIZER;
static pthread_cond_t lost = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t meet, last;
static int turn, ready;
static atomic_int signalled;

static void take_turns(int parity)
{
    for (int i = 0; i < 20; i++) {
        pthread_mutex_lock(&m);
        while (turn != 2 * i + parity)
            pthread_cond_wait(&turns, &m);
        turn++;
        pthread_cond_broadcast(&turns);
        pthread_mutex_unlock(&m);
    }
}

static __attribute__((noinline)) void wait_ready(void)
{
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&lost, &m);
    pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
    for (int i = 0; i < 20; i++)
        pthread_barrier_wait(&meet);
    take_turns(1);
    while (!atomic_load_explicit(&signalled, memory_order_relaxed))
        usleep(1000);
    wait_ready();
    pthread_barrier_wait(&last);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&meet, NULL, 2);
    pthread_barrier_init(&last, NULL, 2);
    pthread_create(&t, NULL, worker, NULL);
    for (int i = 0; i < 20; i++)
        pthread_barrier_wait(&meet);
    take_turns(0);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_signal(&lost);
    pthread_mutex_unlock(&m);
    atomic_store_explicit(&signalled, 1, memory_order_relaxed);
    pthread_barrier_wait(&last);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
