/* memcpy_pending_exit_clean.c: twin of memcpy_pending_exit_race.c.  The
 * copier's short copy is still pending when the process exits (it spins
 * on, calling nothing), over a byte the main thread wrote before an
 * unlock the copier's lock is ordered after: the exit's check of the
 * copier's window finds that write ordered before the copy, and is
 * silent. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=copied\n
// PRELOAD-EXPECT: stdout=copied\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char window[64] __attribute__((aligned(64)));
const char source[] = "0123456789";
size_t one = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int copied;

static void *copier(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock); /* after main's write */
    pthread_mutex_unlock(&lock);
    memcpy(window, source, 4 * one);
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    for (;;) /* calls nothing: the copy stays pending */
        __builtin_ia32_pause();
    return NULL;
}

int main(void)
{
    pthread_t c;
    pthread_mutex_lock(&lock);
    memcpy(window + 1, "x", one);
    pthread_create(&c, NULL, copier, NULL);
    pthread_mutex_unlock(&lock);
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        __builtin_ia32_pause();
    printf("copied\n");
    fflush(stdout);
    return 0;
}
