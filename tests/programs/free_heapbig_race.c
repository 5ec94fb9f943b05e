/* free_heapbig_race.c: a 2 MiB block that glibc hands out from its heap
 * (an 8 MiB block freed first raised glibc's mmap threshold past it; a
 * small block after it keeps it off the heap's top, so its free unmaps
 * nothing).  It is past the quarantine's 1 MiB, so glibc has it back at
 * once, but its memory stays mapped: its free must mark the granules in
 * use, as for any block (only a block glibc maps for itself is checked
 * without marks: runtime/intercept_malloc.c, unmapped_by_free).  main
 * writes 64 bytes at 1 MiB and at 1 MiB + 64 KiB, then frees the block;
 * a thread started before the free reads the first after a relaxed flag
 * (no edge: a race with the free), a thread created after the free reads
 * the second (ordered after it: a use after free).  The program stops
 * (exit 2) if the block is one glibc mapped for itself.
 * Twin: free_heapbig_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @race_use @free
// RACEWATCH-EXPECT: uafs=1
// RACEWATCH-EXPECT: uaf @uaf_use @free
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @race_use @free
// PRELOAD-EXPECT: uafs=1
// PRELOAD-EXPECT: uaf @uaf_use @free
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BIG = 8 << 20, BLOCK_SIZE = 2 << 20, RACE_AT = 1 << 20, UAF_AT = (1 << 20) + 65536 };

static char *block;
char *volatile first_big; /* kept from the compiler: a malloc it may not drop */
static char sink[2][64];
size_t use_len = 64; /* not static: library calls, not inlined accesses */
static atomic_int freed;

static void *racer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&freed, memory_order_relaxed))
        usleep(1000);
    memcpy(sink[0], block + RACE_AT, use_len); /* @race_use */
    return NULL;
}

static void *late(void *arg)
{
    (void)arg;
    memcpy(sink[1], block + UAF_AT, use_len); /* @uaf_use */
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
    first_big = malloc(BIG);
    free(first_big);
    block = malloc(BLOCK_SIZE);
    char *guard = malloc(64);
    if (!block || !guard || (((const size_t *)block)[-1] & 2)) {
        printf("not a heap chunk\n");
        return 2;
    }
    memset(block + RACE_AT, 1, use_len);
    memset(block + UAF_AT, 1, use_len);
    pthread_create(&t, NULL, racer, NULL);
    free(block); /* @free */
    atomic_store_explicit(&freed, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, late, NULL);
    pthread_join(t, NULL);
    free(guard);
    printf("done\n");
    return 0;
}
