/* uafend_race.c: uses after free at the end of big blocks, each ordered
 * after its free, so no data race but a use of freed memory: main fills
 * the last 64 bytes of a 64 KiB and of a 512 KiB block (kept in the heap
 * by mallopt, so the native run reads mapped memory), frees them, then a
 * worker it creates afterwards (creation orders the free first) copies
 * the 64 KiB block's tail, and main itself copies the 512 KiB block's
 * tail.  Both are far past the first KiB, where ThreadSanitizer stops
 * marking a free; the free marks every granule that held an access.
 * Twin: uafend_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: uafs=2
// RACEWATCH-EXPECT: uaf @use_worker @free_small
// RACEWATCH-EXPECT: uaf @use_own @free_big
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: uafs=2
// PRELOAD-EXPECT: uaf @use_worker @free_small
// PRELOAD-EXPECT: uaf @use_own @free_big
// PRELOAD-EXPECT: stdout=done\n
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SMALL = 1 << 16, BIG = 512 << 10, TAIL = 64 };

/* Volatile pointers and an exported copy: gcc may drop a store into
 * memory it sees freed, or a copy nothing reads. */
static char *volatile small, *volatile big;
char copy[TAIL];
size_t tail_len = TAIL; /* not static: a library call, not an inlined copy */

static void *worker(void *arg)
{
    (void)arg;
    memcpy(copy, small + SMALL - TAIL, tail_len); /* @use_worker */
    return NULL;
}

static void *idle(void *arg)
{
    return arg;
}

int main(void)
{
    /* A second thread first: until one exists, the runtime stores no
     * cell for the memsets (nothing can race with them yet). */
    pthread_t first;
    pthread_create(&first, NULL, idle, NULL);
    pthread_join(first, NULL);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    small = malloc(SMALL);
    big = malloc(BIG);
    memset(small + SMALL - TAIL, 1, tail_len);
    memset(big + BIG - TAIL, 2, tail_len);
    free(small); /* @free_small */
    free(big); /* @free_big */
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    memcpy(copy, big + BIG - TAIL, tail_len); /* @use_own */
    printf("done\n");
    return 0;
}
