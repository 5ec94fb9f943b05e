/* counter_clean.c: twin of counter_race.c.  The same eight increments under
 * one mutex; main reads the total after joining every thread. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=count = 8\n
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 8

int counter;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("count = %d\n", counter);
    return 0;
}
