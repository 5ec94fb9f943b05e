/* free_end_race.c: three big blocks freed by main while another thread's
 * memset of their last 64 bytes (far past the first KiB, where
 * ThreadSanitizer stops checking a free) is not ordered before the free:
 * a 64 KiB block, a 2 MiB block kept in the heap (mallopt: above the
 * quarantine's 1 MiB, so glibc gets it back at once) and a 4 MiB block
 * glibc maps with mmap (unmapped by the free).  The worker raises a
 * relaxed flag after each memset (no edge) and main frees when it sees
 * it; each free races with its memset.  Under LD_PRELOAD the memsets are
 * the only accesses seen.  Twin: free_end_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=3
// RACEWATCH-EXPECT: race @use64k @free64k
// RACEWATCH-EXPECT: race @use2m @free2m
// RACEWATCH-EXPECT: race @usemmap @freemmap
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=3
// PRELOAD-EXPECT: race @use64k @free64k
// PRELOAD-EXPECT: race @use2m @free2m
// PRELOAD-EXPECT: race @usemmap @freemmap
// PRELOAD-EXPECT: stdout=done\n
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SMALL = 1 << 16, HEAP_BIG = 2 << 20, MAPPED = 4 << 20, TAIL = 64 };

static char *volatile small, *volatile heap_big, *volatile mapped; /* gcc keeps every store */
size_t tail_len = TAIL; /* not static: a library call, not an inlined store */
static atomic_int step;

static void wait_step(int n)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) < n)
        usleep(1000);
}

static void *worker(void *arg)
{
    (void)arg;
    memset(small + SMALL - TAIL, 1, tail_len); /* @use64k */
    atomic_store_explicit(&step, 1, memory_order_relaxed);
    memset(heap_big + HEAP_BIG - TAIL, 2, tail_len); /* @use2m */
    atomic_store_explicit(&step, 2, memory_order_relaxed);
    memset(mapped + MAPPED - TAIL, 3, tail_len); /* @usemmap */
    atomic_store_explicit(&step, 3, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    small = malloc(SMALL);
    mapped = malloc(MAPPED); /* above the default mmap threshold */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    heap_big = malloc(HEAP_BIG);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    wait_step(1);
    free(small); /* @free64k */
    wait_step(2);
    free(heap_big); /* @free2m */
    wait_step(3);
    free(mapped); /* @freemmap */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
