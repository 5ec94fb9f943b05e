/* small_reuse_race.c: small_reuse_clean.c without the free: a thread
 * read()s into a small block and another memsets it with nothing ordering
 * the two (a relaxed flag: no edge).  A race in both modes; under
 * LD_PRELOAD both accesses come through interceptors, on a page of the
 * heap the map of touched pages names (the read noted it).
 * Twin: small_reuse_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @fill
// RACEWATCH-EXPECT: stdout=filled\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @read @fill
// PRELOAD-EXPECT: stdout=filled\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 48 };

static char *first;
static atomic_int done;
static int fds[2];
size_t fill_len = BLOCK_SIZE; /* not a constant: memset stays a call */

static void *reader(void *arg)
{
    if (read(fds[0], first, BLOCK_SIZE) != BLOCK_SIZE) /* @read */
        exit(1);
    atomic_store_explicit(&done, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    static char msg[BLOCK_SIZE] = "one small block's bytes";
    pthread_t t;
    if (pipe(fds) != 0 || write(fds[1], msg, sizeof msg) != (ssize_t)sizeof msg)
        return 1;
    first = malloc(BLOCK_SIZE);
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        usleep(1000);
    memset(first, 0, fill_len); /* @fill */
    printf("filled\n");
    pthread_join(t, NULL);
    free(first);
    return 0;
}
