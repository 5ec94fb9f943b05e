/* barrier_reinit_waiting.c: a worker initialises a barrier for two again
 * while main waits in it (the re-initialised barrier never releases main:
 * natively the program hangs).  Fatal: exit 2.  Twin: barrier_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: sync: pthread_barrier_init of a barrier 1 thread(s) wait on
// RACEWATCH-EXPECT: thread 2 [running] @reinit from 1 @create
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t b;
static atomic_int arriving;

static void *worker(void *arg)
{
    while (!atomic_load_explicit(&arriving, memory_order_relaxed))
        usleep(1000);
    usleep(100 * 1000); /* main is inside its wait */
    pthread_barrier_init(&b, NULL, 2); /* @reinit */
    pthread_barrier_wait(&b);
    return arg;
}

int main(void)
{
    pthread_barrier_init(&b, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* @create */
    atomic_store_explicit(&arriving, 1, memory_order_relaxed);
    pthread_barrier_wait(&b);
    pthread_join(t, NULL);
    printf("unreachable\n");
    return 0;
}
