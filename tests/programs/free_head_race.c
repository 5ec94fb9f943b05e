/* free_head_race.c: a 64 KiB block, one of whose bytes nothing touched,
 * freed by main; then another thread's memcpy reads 64 bytes at offset
 * 512 of it, not ordered after the free (a relaxed flag: no edge).  The
 * read races with the free.  Under LD_PRELOAD nothing but the free's own
 * marks can show it (no access was ever noted on that page), so this is
 * what the freed head must keep: a free marks the first KiB of a big
 * block whatever it held (runtime/intercept_malloc.c, FREE_HEAD_MARKED).
 * Twin: free_head_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @use @free
// RACEWATCH-EXPECT: prev=free
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @use @free
// PRELOAD-EXPECT: prev=free
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 1 << 16, USE_OFFSET = 512 };

static char *block;
static char copy[64];
size_t use_len = 64; /* not static: a library call, not an inlined copy */
static atomic_int freed;

static void *worker(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&freed, memory_order_relaxed))
        usleep(1000);
    memcpy(copy, block + USE_OFFSET, use_len); /* @use */
    return NULL;
}

int main(void)
{
    block = calloc(1, BLOCK_SIZE);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    usleep(10000);
    free(block); /* @free */
    atomic_store_explicit(&freed, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
