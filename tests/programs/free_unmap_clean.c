/* free_unmap_clean.c: twin of free_unmap_race.c.  The worker's memset and
 * read inside an 8 MiB block that glibc unmaps at its free are ordered
 * before the free by pthread_join, and main's own write under the read
 * is its own: the free (checked, not marked) stays silent in both modes. */
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

enum { BLOCK_SIZE = 8 << 20, WRITE_AT = 3 << 20, READ_AT = 6 << 20 };

static char *block;
static char sink[64];
size_t use_len = 64, half_len = 4; /* not static: library calls, not inlined accesses */

static void *worker(void *arg)
{
    (void)arg;
    memset(block + WRITE_AT, 7, use_len);
    memcpy(sink, block + READ_AT + 4, half_len);
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
    pthread_join(t, NULL);
    free(block);
    printf("done\n");
    return 0;
}
