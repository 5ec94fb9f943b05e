/* free_heapbig_clean.c: twin of free_heapbig_race.c.  The same 2 MiB
 * block from glibc's heap, whose free marks the granules in use; both
 * threads read it before the free, each ordered before it by
 * pthread_join, so nothing is reported in either mode. */
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

enum { BIG = 8 << 20, BLOCK_SIZE = 2 << 20, RACE_AT = 1 << 20, UAF_AT = (1 << 20) + 65536 };

static char *block;
char *volatile first_big; /* kept from the compiler: a malloc it may not drop */
static char sink[2][64];
size_t use_len = 64; /* not static: library calls, not inlined accesses */

static void *racer(void *arg)
{
    (void)arg;
    memcpy(sink[0], block + RACE_AT, use_len);
    return NULL;
}

static void *late(void *arg)
{
    (void)arg;
    memcpy(sink[1], block + UAF_AT, use_len);
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
    pthread_join(t, NULL);
    pthread_create(&t, NULL, late, NULL);
    pthread_join(t, NULL);
    free(block);
    free(guard);
    printf("done\n");
    return 0;
}
