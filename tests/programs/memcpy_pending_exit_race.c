/* memcpy_pending_exit_race.c: a thread's short copy, checked but not
 * stored yet (runtime/pending_write.c), is still pending when the process
 * exits: the copier spins on, calling nothing.  The main thread, not
 * ordered after the copy (a relaxed flag: no edge), reads a byte of it,
 * finds no cell of the copy, and exits: the exit checks the copier's
 * window against what was stored over it since (the read) and reports the
 * race on the copier's behalf.
 * Twin: memcpy_pending_exit_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @peek @copy
// PRELOAD-EXPECT: race @peek @copy
// RACEWATCH-EXPECT: location=global window
// PRELOAD-EXPECT: location=global window
// RACEWATCH-EXPECT: stdout=peeked 1\n
// PRELOAD-EXPECT: stdout=peeked 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char window[64] __attribute__((aligned(64)));
const char source[] = "0123456789";
char peeked[2];
size_t one = 1; /* a non-constant size: memcpy stays a call */

static atomic_int copied;

static void *copier(void *arg)
{
    (void)arg;
    memcpy(window, source, 4 * one); /* @copy */
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    for (;;) /* calls nothing: the copy stays pending */
        __builtin_ia32_pause();
    return NULL;
}

int main(void)
{
    pthread_t c;
    pthread_create(&c, NULL, copier, NULL);
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        __builtin_ia32_pause();
    memcpy(peeked, window + 1, one); /* @peek */
    printf("peeked %s\n", peeked);
    fflush(stdout);
    return 0;
}
