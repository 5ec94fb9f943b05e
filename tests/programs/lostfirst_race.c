/* lostfirst_race.c: one race printed first with the earlier stack lost,
 * then found again with both stacks (another pair of pcs): one report.
 *   thread "early reader" gets from buf, then takes and releases a mutex
 *     300,000 times (more events than the default history, 256K);
 *   thread "writer" then puts into buf: it races with the early get, whose
 *     stack is lost by now: the report says "[failed to restore the
 *     stack]" under the previous read;
 *   thread "late reader" then gets from buf: it races with the put, both
 *     stacks known, the same pair of lines: folded into the first report
 *     (same word, the put was the first report's current access).
 * Relaxed atomic flags order the three without ordering memory.
 * Twin: lostfirst_clean.c (put and gets under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: location=global buf
// PRELOAD-EXPECT: location=global buf
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHURN 300000 /* more events than the default history (256K) */

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buf[16];
size_t copy_len = 8;
char source[16] = "payload";

static atomic_int early_done, put_done;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void put(void)
{
    memcpy(buf, source, copy_len); /* @put */
}

__attribute__((noinline)) static void get(void)
{
    char local[16];
    memcpy(local, buf, copy_len); /* @get */
    use(local[1]);
}

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static void *early_reader(void *arg)
{
    (void)arg;
    get();
    for (int i = 0; i < CHURN; i++) {
        pthread_mutex_lock(&own_lock);
        pthread_mutex_unlock(&own_lock);
    }
    atomic_store_explicit(&early_done, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    wait_for(&early_done);
    put();
    atomic_store_explicit(&put_done, 1, memory_order_relaxed);
    return NULL;
}

static void *late_reader(void *arg)
{
    (void)arg;
    wait_for(&put_done);
    get();
    return NULL;
}

int main(void)
{
    pthread_t e, w, l;
    pthread_create(&l, NULL, late_reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&e, NULL, early_reader, NULL);
    pthread_join(e, NULL);
    pthread_join(w, NULL);
    pthread_join(l, NULL);
    printf("done\n");
    return 0;
}
