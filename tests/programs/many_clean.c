/* many_clean.c: twin of many_race.c.  100 threads, all alive at once: each
 * fills its own slot of a shared array, adds to the total under a mutex and
 * waits at a 101-party barrier with main; main sums after joining. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=total = 4950, slots = 9900\n
#include <pthread.h>
#include <stdio.h>

#define N 100

long total;
static long slots[N];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_up;

static void *worker(void *arg)
{
    long id = (long)arg;
    slots[id] = 2 * id;
    pthread_mutex_lock(&mu);
    total += id;
    pthread_mutex_unlock(&mu);
    pthread_barrier_wait(&all_up);
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    pthread_barrier_init(&all_up, NULL, N + 1);
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    pthread_barrier_wait(&all_up);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&all_up);
    long s = 0;
    for (int i = 0; i < N; i++)
        s += slots[i];
    printf("total = %ld, slots = %ld\n", total, s);
    return 0;
}
