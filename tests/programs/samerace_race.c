/* samerace_race.c: one race, one report, however often and by whom it is
 * found.  A writer puts 8 bytes into buf[k] and readers copy them out,
 * with no edge between the two, in 16 rounds:
 *   even rounds: the writer puts, then two readers get at once (both find
 *     the race at the same moment), then the writer runs 300,000 lock
 *     calls (its history moves past the put), then a third reader gets
 *     (finds the race with the put, whose stack is lost by then);
 *   odd rounds: the two readers get first, then the writer puts (the race
 *     found from the other side: current put, previous get).
 * Every report is the pair @put @get: it is printed once.  Relaxed atomic
 * flags order the steps without ordering memory.  memcpy with a size not
 * known at compile time stays a call the runtime sees in both modes.
 * Twin: samerace_clean.c (the copies under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @put @get
// PRELOAD-EXPECT: race @put @get
// RACEWATCH-EXPECT: location=global buf
// PRELOAD-EXPECT: location=global buf
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 16
#define CHURN 300000 /* more events than the default history (256K) */

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buf[ROUNDS][16];
size_t copy_len = 8;
char source[16] = "payload";

static atomic_int go, reads_done, churned, late_done;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

static void wait_for(atomic_int *flag, int value)
{
    while (atomic_load_explicit(flag, memory_order_relaxed) < value)
        sched_yield();
}

__attribute__((noinline)) static void put(int k)
{
    memcpy(buf[k], source, copy_len); /* @put */
}

__attribute__((noinline)) static void get(int k)
{
    char local[16];
    memcpy(local, buf[k], copy_len); /* @get */
    use(local[1]);
}

/* Events of the writer's own: a call and a lock each. */
__attribute__((noinline)) static void lock_own(void)
{
    pthread_mutex_lock(&own_lock);
    pthread_mutex_unlock(&own_lock);
}

/* Before the put of round k: in odd rounds the readers go first. */
__attribute__((noinline)) static void before_put(int k)
{
    if (k % 2) {
        atomic_store_explicit(&go, k + 1, memory_order_relaxed);
        wait_for(&reads_done, 2 * (k + 1));
    }
}

/* After the put of round k: in even rounds the readers go now, then the
 * writer's history moves on, then the late reader goes. */
__attribute__((noinline)) static void after_put(int k)
{
    if (k % 2 == 0) {
        atomic_store_explicit(&go, k + 1, memory_order_relaxed);
        wait_for(&reads_done, 2 * (k + 1));
        for (int i = 0; i < CHURN; i++)
            lock_own();
        atomic_store_explicit(&churned, k + 1, memory_order_relaxed);
        wait_for(&late_done, k + 1);
    }
}

/* put and get are each called from one line, so that all reports have
 * the same stacks too (ThreadSanitizer folds equal stacks). */
static void *writer(void *arg)
{
    (void)arg;
    for (int k = 0; k < ROUNDS; k++) {
        before_put(k);
        put(k);
        after_put(k);
    }
    return NULL;
}

/* arg NULL: one of the two readers of every round; else the late reader
 * of the even rounds. */
static void *reader(void *arg)
{
    int late = arg != NULL;
    for (int k = 0; k < ROUNDS; k += late ? 2 : 1) {
        wait_for(late ? &churned : &go, k + 1);
        get(k);
        if (late)
            atomic_store_explicit(&late_done, k + 1, memory_order_relaxed);
        else
            atomic_fetch_add_explicit(&reads_done, 1, memory_order_relaxed);
    }
    return NULL;
}

int main(void)
{
    pthread_t w, r1, r2, late;
    pthread_create(&r1, NULL, reader, NULL);
    pthread_create(&r2, NULL, reader, NULL);
    pthread_create(&late, NULL, reader, &late);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r1, NULL);
    pthread_join(r2, NULL);
    pthread_join(late, NULL);
    printf("done\n");
    return 0;
}
