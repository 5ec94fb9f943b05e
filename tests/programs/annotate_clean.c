/* annotate_clean.c: a hand-off through a flag whose ordering racewatch
 * cannot see (a relaxed atomic here; in real code a futex, inline assembly
 * or a lock-free queue), which the program declares with the
 * happens-before annotations of racewatch/annotations.h: no race.
 * Twin: annotate_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=42\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/annotations.h"

static int data;
static int ready;

static void *producer(void *arg)
{
    (void)arg;
    data = 42;
    RACEWATCH_HAPPENS_BEFORE(&ready);
    __atomic_store_n(&ready, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
        ;
    RACEWATCH_HAPPENS_AFTER(&ready);
    printf("%d\n", data);
    pthread_join(t, NULL);
    return 0;
}
