/* free_head_clean.c: free_head_race.c's twin.  The worker's memcpy from
 * the 64 KiB block (64 bytes at offset 512) comes first, and main joins
 * the worker before it frees the block (a join, not an atomic flag: under
 * LD_PRELOAD plain atomics are not seen): the read happens before the
 * free.  Must be silent. */
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

enum { BLOCK_SIZE = 1 << 16, USE_OFFSET = 512 };

static char *block;
static char copy[64];
size_t use_len = 64; /* not static: a library call, not an inlined copy */

static void *worker(void *arg)
{
    (void)arg;
    memcpy(copy, block + USE_OFFSET, use_len);
    return NULL;
}

int main(void)
{
    block = calloc(1, BLOCK_SIZE);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    free(block);
    printf("done\n");
    return 0;
}
