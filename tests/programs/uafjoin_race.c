/* uafjoin_race.c: use after free that is ordered after the free, so no
 * data race but a use of freed memory, reported with the free's stack:
 * a worker frees a block and ends, main joins it (the join orders the
 * free first) and then reads the block; and main frees a block of its own
 * and reads it.  The reads are memcpy calls, seen in both modes (plain
 * loads and stores: uafplain_race.c).  ThreadSanitizer reports both (heap-use-after-free).
 * Twin: uafjoin_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: uafs=2
// RACEWATCH-EXPECT: uaf @use_joined @free_worker
// RACEWATCH-EXPECT: uaf @use_own @free_own
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: uafs=2
// PRELOAD-EXPECT: uaf @use_joined @free_worker
// PRELOAD-EXPECT: uaf @use_own @free_own
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The size of the copies, hidden from the optimizer so that each memcpy
 * stays a call (an access both modes see). */
static volatile size_t len = sizeof(int);

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static void *worker(void *block)
{
    free(block); /* @free_worker */
    return NULL;
}

int main(void)
{
    int v = 7, got;
    int *shared = malloc(16 * sizeof *shared);
    memcpy(&shared[4], &v, len);
    pthread_t t;
    pthread_create(&t, NULL, worker, shared);
    pthread_join(t, NULL);
    memcpy(&got, &shared[4], len); /* @use_joined */
    use(got);

    int *own = malloc(16 * sizeof *own);
    memcpy(&own[2], &v, len);
    free(own); /* @free_own */
    memcpy(&got, &own[2], len); /* @use_own */
    use(got);
    printf("done\n");
    return 0;
}
