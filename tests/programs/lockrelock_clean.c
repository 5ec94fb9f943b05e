/* lockrelock_clean.c: a mutex taken again by the thread that released it
 * last has nothing to acquire, and its lock skips the acquire
 * (runtime/intercept_mutex.c, own_release_skip); a lock taken after
 * another thread's release must still acquire that release.
 *   A locks and unlocks m 100 times (the skip), then writes buf_a under
 *   m; B then reads buf_a and writes buf_b under m; A then reads buf_b
 *   under m (B released m last: A must acquire), then relocks m again.
 * Every access is ordered by m: no report.  Relaxed atomic flags order
 * the threads without ordering memory.
 * Twin: lockrelock_race.c (A writes buf_a after its unlock). */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done fifteen letters\n
// PRELOAD-EXPECT: stdout=done fifteen letters\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static char buf_a[16], buf_b[16], seen[16];
static const char text[16] = "fifteen letters";
size_t copy_len = 16; /* a non-constant size: memcpy stays a call */
static atomic_int step;

static void wait_for(int value)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) != value)
        usleep(1000);
}

static void *thread_a(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    memcpy(buf_a, text, copy_len); /* @write_a */
    pthread_mutex_unlock(&m);
    atomic_store_explicit(&step, 1, memory_order_relaxed);
    wait_for(2);
    pthread_mutex_lock(&m);
    memcpy(seen, buf_b, copy_len); /* @read_b */
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    char copy[16];
    wait_for(1);
    pthread_mutex_lock(&m);
    memcpy(copy, buf_a, copy_len); /* @read_a */
    memcpy(buf_b, copy, copy_len); /* @write_b */
    pthread_mutex_unlock(&m);
    atomic_store_explicit(&step, 2, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done %s\n", seen);
    return 0;
}
