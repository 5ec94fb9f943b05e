/* free_end_clean.c: twin of free_end_race.c.  The same three big blocks
 * (64 KiB, 2 MiB in the heap, 4 MiB mapped by glibc) and the same memsets
 * of their last 64 bytes by a worker, but main joins the worker before
 * it frees them: no report. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SMALL = 1 << 16, HEAP_BIG = 2 << 20, MAPPED = 4 << 20, TAIL = 64 };

static char *volatile small, *volatile heap_big, *volatile mapped; /* gcc keeps every store */
size_t tail_len = TAIL;

static void *worker(void *arg)
{
    (void)arg;
    memset(small + SMALL - TAIL, 1, tail_len);
    memset(heap_big + HEAP_BIG - TAIL, 2, tail_len);
    memset(mapped + MAPPED - TAIL, 3, tail_len);
    return NULL;
}

int main(void)
{
    small = malloc(SMALL);
    mapped = malloc(MAPPED);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    heap_big = malloc(HEAP_BIG);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    free(small);
    free(heap_big);
    free(mapped);
    printf("done\n");
    return 0;
}
