/* free_big_race.c: a 1 MiB block freed while another thread's memset of a
 * range deep inside it (past the first 4 KiB, where a free only checks the
 * granules that hold an access; a free checks the first 64 KiB of a block,
 * ThreadSanitizer the first 1 KiB) is not ordered before the free.  The worker
 * clears 64 bytes at offset 40000 and raises a relaxed flag (no edge); main
 * frees when it sees the flag.  Under LD_PRELOAD the memset is the only
 * access seen, so this is what the map of touched pages must keep.
 * Twin: free_big_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @use @free
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @use @free
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 1 << 20, USE_OFFSET = 40000 };

static char *block;
size_t use_len = 64; /* not static: a library call, not an inlined store */
static atomic_int used;

static void *worker(void *arg)
{
    (void)arg;
    memset(block + USE_OFFSET, 7, use_len); /* @use */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    block = malloc(BLOCK_SIZE);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    free(block); /* @free */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
