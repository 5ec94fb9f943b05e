/* annotate_race.c: annotate_clean.c without the happens-before
 * annotations: the relaxed flag orders nothing, so the hand-off of `data`
 * is a race racewatch must report.
 * Twin: annotate_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @write @read
// RACEWATCH-EXPECT: location=global data
// RACEWATCH-EXPECT: stdout=42\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/annotations.h"

static int data;
static int ready;

static void *producer(void *arg)
{
    (void)arg;
    data = 42; /* @write */
    __atomic_store_n(&ready, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
        ;
    printf("%d\n", data); /* @read */
    pthread_join(t, NULL);
    return 0;
}
