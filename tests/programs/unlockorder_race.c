/* unlockorder_race.c: a mutex unlocked while a later one is still held
 * (not the held set's top entry) releases into its own clock, not into
 * the top entry's (runtime/intercept_mutex.c, unlock_own_top: only the
 * unlock of the lock taken last is found from the top entry).
 *   A locks a, then b, unlocks a, writes buf AFTER that unlock (under b
 *   only), unlocks b; B then reads buf under a: buf races (A's write
 *   follows its release of a).  Had a's unlock released into b and b's
 *   into a, a's clock would cover the write and the race would be lost.
 * Relaxed atomic flags order the threads without ordering memory.
 * Twin: unlockorder_clean.c (A writes buf before unlocking a). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @write @read
// PRELOAD-EXPECT: race @write @read
// RACEWATCH-EXPECT: stdout=done fifteen letters\n
// PRELOAD-EXPECT: stdout=done fifteen letters\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static char buf[16], seen[16];
static const char text[16] = "fifteen letters";
size_t copy_len = 16; /* a non-constant size: memcpy stays a call */
static atomic_int step;

static void *thread_a(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) { /* both locks' clocks become ours */
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
    }
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&a); /* not the lock taken last */
    memcpy(buf, text, copy_len); /* @write */
    pthread_mutex_unlock(&b);
    atomic_store_explicit(&step, 1, memory_order_relaxed);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    while (atomic_load_explicit(&step, memory_order_relaxed) != 1)
        usleep(1000);
    pthread_mutex_lock(&a);
    memcpy(seen, buf, copy_len); /* @read */
    pthread_mutex_unlock(&a);
    return NULL;
}

int main(void)
{
    pthread_t ta, tb;
    pthread_create(&ta, NULL, thread_a, NULL);
    pthread_create(&tb, NULL, thread_b, NULL);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    printf("done %s\n", seen);
    return 0;
}
