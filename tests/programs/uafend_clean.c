/* uafend_clean.c: twin of uafend_race.c.  The same blocks and tails, but
 * the copies are made before the frees (the worker's joined first), and a
 * new block of the big size is then filled at its end: a reused block
 * starts clean.  No report. */
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

enum { SMALL = 1 << 16, BIG = 512 << 10, TAIL = 64 };

/* Volatile pointers and an exported copy: gcc may drop a store into
 * memory it sees freed, or a copy nothing reads. */
static char *volatile small, *volatile big;
char copy[TAIL];
size_t tail_len = TAIL;

static void *worker(void *arg)
{
    (void)arg;
    memcpy(copy, small + SMALL - TAIL, tail_len);
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
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    memcpy(copy, big + BIG - TAIL, tail_len);
    free(small);
    free(big);
    char *again = malloc(BIG);
    memset(again + BIG - TAIL, 3, tail_len);
    free(again);
    printf("done\n");
    return 0;
}
