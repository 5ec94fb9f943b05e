/* small_reuse_clean.c: a small block that a thread read() into and freed
 * comes back from malloc to another thread, which memsets it with nothing
 * ordering it after the first thread (a relaxed flag: no edge).  A new
 * block starts clean, so this must be silent.  Under LD_PRELOAD the new
 * block's shadow is cleared only on the pages the map of touched pages
 * names (runtime/intercept_malloc.c, clear_new_block, for small blocks as
 * for big ones); the read and the free noted this page, so its old cells
 * and freed marks must go.  main frees blocks of the same size until the
 * quarantine hands the first one back (glibc then gives it to the freeing
 * thread's next malloc of that size).  Twin: small_reuse_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=reused\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=reused\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK_SIZE = 48, TRIES = 100000 };

static char *first; /* main's own: the reader gets it at its creation */
static atomic_int done;
static int fds[2];
size_t fill_len = BLOCK_SIZE; /* not a constant: memset stays a call */

static void *reader(void *arg)
{
    if (read(fds[0], first, BLOCK_SIZE) != BLOCK_SIZE)
        exit(1);
    free(first);
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
    int reused = 0;
    for (int i = 0; i < TRIES && !reused; i++) {
        char *p = malloc(BLOCK_SIZE);
        if (p == first) {
            memset(p, 0, fill_len);
            reused = 1;
        }
        free(p);
    }
    printf("%s\n", reused ? "reused" : "not reused");
    pthread_join(t, NULL);
    return 0;
}
