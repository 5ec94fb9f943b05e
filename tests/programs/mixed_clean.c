/* mixed_clean.c: twin of mixed_race.c.  The reset is an atomic store too;
 * atomic accesses never race with each other, whatever their order. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int hits;

static void *counter(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        __atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *resetter(void *arg)
{
    (void)arg;
    __atomic_store_n(&hits, 0, __ATOMIC_RELAXED);
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
