/* free_unmap_race.c: an 8 MiB block, which glibc maps for itself and
 * unmaps at its free (past the quarantine's 1 MiB: freed at once), so
 * its free checks the granules in use without marking them
 * (runtime/intercept_malloc.c, check_free_unmapped).  A worker memsets 64
 * bytes at 3 MiB and reads bytes 4-7 of the granule at 6 MiB, whose bytes
 * 0-3 main wrote before creating it (so the read's cell lies beside
 * main's, in another cell of the granule), then raises a relaxed flag (no
 * edge); main frees the block when it sees the flag.  Both of the
 * worker's accesses race with the free, whichever cell holds them.  The
 * program stops (exit 2) if the block is not one glibc mapped for itself
 * (its chunk's IS_MMAPPED bit): the test would not test the unmapped free
 * then.
 * Twin: free_unmap_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @write @free
// RACEWATCH-EXPECT: race @read @free
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=2
// PRELOAD-EXPECT: race @write @free
// PRELOAD-EXPECT: race @read @free
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 8 << 20, WRITE_AT = 3 << 20, READ_AT = 6 << 20 };

static char *block;
static char sink[64];
size_t use_len = 64, half_len = 4; /* not static: library calls, not inlined accesses */
static atomic_int used;

static void *worker(void *arg)
{
    (void)arg;
    memset(block + WRITE_AT, 7, use_len); /* @write */
    memcpy(sink, block + READ_AT + 4, half_len); /* @read */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return NULL;
}

/* A first thread, joined at once: while a program has had only one
 * thread, its accesses leave no cells (none could race), and main's
 * writes below must. */
static void *nothing(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, nothing, NULL);
    pthread_join(t, NULL);
    block = malloc(BLOCK_SIZE);
    if (!block || !(((const size_t *)block)[-1] & 2)) {
        printf("not an mmapped chunk\n");
        return 2;
    }
    memset(block + READ_AT, 1, half_len);
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    free(block); /* @free */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
