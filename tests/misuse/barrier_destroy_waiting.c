/* barrier_destroy_waiting.c: main destroys a barrier for two while a
 * worker waits in it (glibc's destroy would wait for ever for the worker
 * to leave; natively the program hangs).  Fatal: exit 2.  Twin:
 * barrier_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: sync: pthread_barrier_destroy of a barrier 1 thread(s) wait on
// RACEWATCH-EXPECT: thread 1 [running] @destroy
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t b;
static atomic_int arriving;

static void *worker(void *arg)
{
    atomic_store_explicit(&arriving, 1, memory_order_relaxed);
    pthread_barrier_wait(&b);
    return arg;
}

int main(void)
{
    pthread_barrier_init(&b, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&arriving, memory_order_relaxed))
        usleep(1000);
    usleep(100 * 1000); /* the worker is inside its wait */
    pthread_barrier_destroy(&b); /* @destroy */
    printf("unreachable\n");
    return 0;
}
