/* tls_clean.c: twin of tls_race.c.  Four threads each use their own
 * __thread counter and scratch buffer (same symbol, different memory) and
 * report through their own result slot. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=results 100 101 102 103\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N 4

static __thread int tls_counter;
static __thread char tls_scratch[64];
static int results[N];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    for (int i = 0; i < 100; i++) {
        tls_counter++;
        __asm__ volatile("" ::: "memory");
    }
    snprintf(tls_scratch, sizeof tls_scratch, "%d", id);
    results[id] = tls_counter + tls_scratch[0] - '0';
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("results %d %d %d %d\n", results[0], results[1], results[2], results[3]);
    return 0;
}
