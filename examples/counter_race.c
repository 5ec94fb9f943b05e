/* counter_race.c: the classic data race from the Go tutorials, in C.
 * Two threads increment a shared counter with no lock; the final value
 * depends on timing, and racewatch reports the race. */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *increment(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        counter++; /* unsynchronized read-modify-write */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, increment, NULL);
    pthread_create(&b, NULL, increment, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("counter = %d (expected 2000)\n", counter);
    return 0;
}

/* What racewatch says (checked by tests/examples/run_example_test.py; the
 * printed count is unpredictable, so stdout is not checked):
 * counter++ races with itself; at -O1 gcc attributes both accesses to the
 * loop header, line 12, as the README shows. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race 12 12
