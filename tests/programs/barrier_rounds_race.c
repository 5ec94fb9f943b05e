/* barrier_rounds_race.c: a barrier of count 2 used by four threads makes
 * two rounds: writer and partner first, then reader and helper.  The
 * writer fills a buffer before its round; the reader copies it after the
 * next round, which the writer took no part in: nothing orders the two.
 * A single clock for all rounds hid it (round 2's departures acquired
 * round 1's arrivals).  The rounds are ordered by a relaxed flag (no
 * edge): reader and helper arrive only once round 1 is over.
 * Twin: barrier_rounds_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @fill @copy
// PRELOAD-EXPECT: race @fill @copy
// RACEWATCH-EXPECT: location=global buffer
// PRELOAD-EXPECT: location=global buffer
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_barrier_t bar;
char buffer[64];
size_t fill_len = 40; /* a non-constant size: memset/memcpy stay calls */
static int round1_over; /* relaxed: orders execution, not memory */

static void *writer(void *arg)
{
    (void)arg;
    memset(buffer, 'w', fill_len); /* @fill */
    pthread_barrier_wait(&bar);
    __atomic_store_n(&round1_over, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void *partner(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&bar);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&round1_over, __ATOMIC_RELAXED))
        usleep(1000);
    pthread_barrier_wait(&bar);
    char local[64];
    memcpy(local, buffer, fill_len); /* @copy */
    use(local[3]);
    return NULL;
}

static void *helper(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&round1_over, __ATOMIC_RELAXED))
        usleep(1000);
    pthread_barrier_wait(&bar);
    return NULL;
}

int main(void)
{
    pthread_t t[4];
    void *(*fn[4])(void *) = {writer, partner, reader, helper};
    pthread_barrier_init(&bar, NULL, 2);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, fn[i], NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    printf("done\n");
    return 0;
}
