/* big_reuse_clean.c: a 64 KiB block whose marked head (its first KiB)
 * crosses into a page that lies wholly inside it, read() into by a thread
 * in that head and past it on that page, then freed, comes back from
 * malloc to main, which memsets that page with nothing ordering it after
 * the thread (a relaxed flag: no edge).  A new block starts clean, so
 * this must be silent.  Under LD_PRELOAD the new block's malloc keeps
 * that page in the map of touched pages, since its free will note it
 * again anyway (runtime/intercept_malloc.c, clear_noted_run), but its
 * shadow must still be cleared: the thread's cells and the freed marks
 * must go.  main places the block (64 KiB blocks and 512-byte spacers,
 * kept, until one starts in the last KiB of a page), then takes and frees
 * blocks of the same size until the quarantine hands it back (its
 * neighbours are kept, so glibc gives the same chunk to the next malloc
 * of its size).  Twin: big_reuse_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=reused\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=reused\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 65536, PAGE = 4096, HEAD = 1024, MSG = 64, TRIES = 20000, PLACINGS = 64 };

static char *first; /* main's own: the reader gets it at its creation */
static char *inner_page; /* the page the head crosses into */
static atomic_int done;
static int fds[2];
size_t fill_len = PAGE; /* not a constant: memset stays a call */

static void *reader(void *arg)
{
    if (read(fds[0], first, MSG) != MSG || read(fds[0], inner_page + HEAD, MSG) != MSG)
        exit(1);
    free(first);
    atomic_store_explicit(&done, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    static char msg[2 * MSG] = "one big block's bytes";
    pthread_t t;
    void *p;
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
    memset(first, 0, fill_len); /* main's, before the thread exists */
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        usleep(1000);
    int reused = 0;
    for (int i = 0; i < TRIES && !reused; i++) {
        p = malloc(BLOCK_SIZE);
        if (p == first) {
            memset(inner_page, 0, fill_len);
            reused = 1;
        }
        free(p);
    }
    printf("%s\n", reused ? "reused" : "not reused");
    pthread_join(t, NULL);
    return 0;
}
