/* array_clean.c: twin of array_race.c.  Each thread updates only slots[id]
 * (adjacent 4-byte elements of the same words: no false sharing reports). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=slots 1 2 3 4\n
#include <pthread.h>
#include <stdio.h>

#define N 4

int slots[N];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    slots[id] += id + 1;
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("slots %d %d %d %d\n", slots[0], slots[1], slots[2], slots[3]);
    return 0;
}
