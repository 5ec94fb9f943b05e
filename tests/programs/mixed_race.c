/* mixed_race.c: one variable accessed both atomically and plainly.  One
 * thread counts hits with __atomic_fetch_add; another "resets" the counter
 * with a plain store.  Atomic vs non-atomic on the same bytes is a race.
 * Twin: mixed_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @atomic_add @plain_reset
// RACEWATCH-EXPECT: location=global hits
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int hits;

static void *counter(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        __atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST); /* @atomic_add */
    return NULL;
}

static void *resetter(void *arg)
{
    (void)arg;
    hits = 0; /* @plain_reset */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, counter, NULL);
    pthread_create(&b, NULL, resetter, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
