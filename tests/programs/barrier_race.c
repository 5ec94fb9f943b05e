/* barrier_race.c: each of four threads publishes its partial result AFTER
 * the barrier and reads its neighbour's: the barrier orders nothing written
 * after it.  Twin: barrier_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @part_w @part_r
// RACEWATCH-EXPECT: location=global partial
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define N 4

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_barrier_t bar;
int partial[N];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    pthread_barrier_wait(&bar);
    partial[id] = id * 10; /* @part_w */
    use(partial[(id + 1) % N]); /* @part_r */
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
    printf("done\n");
    return 0;
}
