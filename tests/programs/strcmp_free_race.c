/* strcmp_free_race.c: a heap string compared many times by one thread
 * (the repeats answered by its table of ranges checked in its epoch,
 * runtime/range_seen.h) is then freed by another thread that is not
 * ordered after the compares: the free races with them.  A relaxed atomic
 * flag makes the free come last without ordering memory.
 * Twin: strcmp_free_clean.c (the compares and the free under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @cmp @free
// PRELOAD-EXPECT: race @cmp @free
// RACEWATCH-EXPECT: location=heap
// PRELOAD-EXPECT: location=heap
// RACEWATCH-EXPECT: stdout=matches 100\n
// PRELOAD-EXPECT: stdout=matches 100\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char key[16] = "initial";
static char *name;
static atomic_int compared;
static int matches;

static void *reader(void *arg)
{
    (void)arg;
    for (int round = 0; round < 100; round++)
        matches += strcmp(name, key) == 0; /* @cmp */
    atomic_store_explicit(&compared, 1, memory_order_relaxed);
    return NULL;
}

static void *freer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&compared, memory_order_relaxed))
        usleep(1000);
    free(name); /* @free */
    return NULL;
}

int main(void)
{
    name = malloc(32);
    strcpy(name, key);
    pthread_t r, f;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&f, NULL, freer, NULL);
    pthread_join(r, NULL);
    pthread_join(f, NULL);
    printf("matches %d\n", matches);
    return 0;
}
