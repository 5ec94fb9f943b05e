/* big_reuse_race.c: big_reuse_clean.c without the free: a thread read()s
 * into a 64 KiB block, past its marked head on the page the head crosses
 * into, and main memsets that page with nothing ordering the two (a
 * relaxed flag: no edge).  A race in both modes; under LD_PRELOAD both
 * accesses come through interceptors, on a page the map of touched pages
 * names (the block's malloc kept it, the read noted it).
 * Twin: big_reuse_clean.c. */
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 65536, PAGE = 4096, HEAD = 1024, MSG = 64, PLACINGS = 64 };

static char *first;
static char *inner_page; /* the page the head crosses into */
static atomic_int done;
static int fds[2];
size_t fill_len = PAGE; /* not a constant: memset stays a call */

static void *reader(void *arg)
{
    if (read(fds[0], inner_page + HEAD, MSG) != MSG) /* @read */
        exit(1);
    atomic_store_explicit(&done, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    static char msg[MSG] = "one big block's bytes";
    pthread_t t;
    if (pipe(fds) != 0 || write(fds[1], msg, sizeof msg) != (ssize_t)sizeof msg)
        return 1;
    for (int i = 0; i < PLACINGS && !first; i++) {
        char *b = malloc(BLOCK_SIZE);
        if (((uintptr_t)b & (PAGE - 1)) > PAGE - HEAD)
            first = b;
        else if (!malloc(512))
            return 1;
    }
    if (!first)
        return 1;
    inner_page = (char *)(((uintptr_t)first | (PAGE - 1)) + 1);
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        usleep(1000);
    memset(inner_page, 0, fill_len); /* @fill */
    printf("filled\n");
    pthread_join(t, NULL);
    free(first);
    return 0;
}
