/* array_race.c: a global array where threads were meant to use distinct
 * indices, but the index is computed as id / 2: threads 0 and 1 share slot
 * 0, threads 2 and 3 share slot 1.  Twin: array_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @slot @slot
// RACEWATCH-EXPECT: location=global slots
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define N 4

int slots[N];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    slots[id / 2] += id + 1; /* @slot */
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
