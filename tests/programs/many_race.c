/* many_race.c: 100 threads add to one total without a lock (the seed
 * tutorial's 1000 goroutines, scaled down).  One source line, one report.
 * Twin: many_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @add @add
// RACEWATCH-EXPECT: location=global total
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define N 100

long total;

static void *worker(void *arg)
{
    total += (long)arg; /* @add */
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
