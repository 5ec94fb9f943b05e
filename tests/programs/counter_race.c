/* counter_race.c: the seed tutorials' first race.  Eight threads each
 * increment a shared counter with no lock: the read-modify-write of every
 * thread races with the others' (one source line, so one report).
 * Twin: counter_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @inc @inc
// RACEWATCH-EXPECT: location=global counter
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 8

int counter;

static void *worker(void *arg)
{
    (void)arg;
    counter++; /* @inc */
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("done\n"); /* the count itself may be wrong: not printed */
    return 0;
}
