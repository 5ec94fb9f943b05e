/* uaf_race.c: use after free across threads.  main frees a block that a
 * worker still reads; the worker's read comes strictly later (it waits on a
 * relaxed flag: an execution order, no happens-before), so the report names
 * the free as the previous access.  Twin: uaf_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @free @use
// RACEWATCH-EXPECT: prev=free
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static int *block;
static atomic_int freed;

static void *worker(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&freed, memory_order_relaxed))
        usleep(1000);
    use(block[8]); /* @use */
    return NULL;
}

int main(void)
{
    block = malloc(16 * sizeof *block);
    for (int i = 0; i < 16; i++)
        block[i] = i;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    free(block); /* @free */
    atomic_store_explicit(&freed, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
