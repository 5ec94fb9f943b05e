/* sem_destroy_waiters.c: main destroys a semaphore a worker waits in
 * (undefined; glibc's destroy does nothing and the worker waits on).  A
 * warning, and a data race: nothing orders the destroy (a write of the
 * semaphore) after the worker's sem_wait (a read); main then leaves,
 * which ends the worker; exit 66.  Twin: sem_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=destroyed\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: warning=destroy of a semaphore with waiters @destroy
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static sem_t s;
static atomic_int waiting;

static void *waiter(void *arg)
{
    atomic_store_explicit(&waiting, 1, memory_order_relaxed);
    sem_wait(&s);
    return arg;
}

int main(void)
{
    sem_init(&s, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pthread_detach(t);
    while (!atomic_load_explicit(&waiting, memory_order_relaxed))
        usleep(1000);
    usleep(200 * 1000); /* the worker is asleep in sem_wait */
    sem_destroy(&s); /* @destroy */
    printf("destroyed\n");
    return 0;
}
