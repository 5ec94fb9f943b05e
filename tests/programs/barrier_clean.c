/* barrier_clean.c: twin of barrier_race.c.  Each thread writes its partial
 * result BEFORE the barrier (every arrival releases to every departure of
 * the same round) and reads the others' after it.  A second round reuses
 * the barrier: the reads of round 1 are ordered before round 2's writes. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sums 60 60 60 60 / 61 61 61 61\n
// PRELOAD-EXPECT: stdout=sums 60 60 60 60 / 61 61 61 61\n
#include <pthread.h>
#include <stdio.h>

#define N 4

static pthread_barrier_t bar;
int partial[N];
static int sums[2][N];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    for (int round = 0; round < 2; round++) {
        partial[id] = id * 10 + round * (id == 0);
        pthread_barrier_wait(&bar);
        int s = 0;
        for (int i = 0; i < N; i++)
            s += partial[i];
        sums[round][id] = s;
        pthread_barrier_wait(&bar);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    pthread_barrier_init(&bar, NULL, N);
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    printf("sums %d %d %d %d / %d %d %d %d\n", sums[0][0], sums[0][1], sums[0][2],
           sums[0][3], sums[1][0], sums[1][1], sums[1][2], sums[1][3]);
    return 0;
}
