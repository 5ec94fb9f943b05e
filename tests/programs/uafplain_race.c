/* uafplain_race.c: uses after free by plain loads and stores of
 * instrumented code, each ordered after the free, so no data race but a
 * use of freed memory, reported with the free's stack and the block's
 * allocation: a worker frees a block and ends, main joins it (the join
 * orders the free first) and then loads from the block; and main frees a
 * block of its own and stores into it.  ThreadSanitizer reports both
 * (heap-use-after-free).  A plain access is not seen under LD_PRELOAD:
 * instrumented mode only.  Twin: uafplain_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: uafs=2
// RACEWATCH-EXPECT: uaf @load_joined @free_worker
// RACEWATCH-EXPECT: uaf @store_own @free_own
// RACEWATCH-EXPECT: location=heap
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

/* The blocks go through volatile pointers so that gcc keeps every load
 * and store (it may drop a store into memory it knows was freed). */
static int *volatile shared;
static int *volatile own;

static void *worker(void *arg)
{
    (void)arg;
    free(shared); /* @free_worker */
    return NULL;
}

int main(void)
{
    shared = malloc(16 * sizeof(int));
    shared[4] = 7;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    use(shared[4]); /* @load_joined */

    own = malloc(16 * sizeof(int));
    own[2] = 7;
    free(own); /* @free_own */
    own[2] = 8; /* @store_own */
    printf("done\n");
    return 0;
}
