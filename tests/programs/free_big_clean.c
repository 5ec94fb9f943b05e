/* free_big_clean.c: twin of free_big_race.c.  The worker's memset deep
 * inside a 1 MiB block is ordered before the free by pthread_join, so the
 * free must stay silent in both modes. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_SIZE = 1 << 20, USE_OFFSET = 40000 };

static char *block;
size_t use_len = 64; /* not static: a library call, not an inlined store */

static void *worker(void *arg)
{
    (void)arg;
    memset(block + USE_OFFSET, 7, use_len);
    return NULL;
}

int main(void)
{
    block = malloc(BLOCK_SIZE);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    free(block);
    printf("done\n");
    return 0;
}
