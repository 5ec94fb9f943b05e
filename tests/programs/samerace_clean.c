/* samerace_clean.c: twin of samerace_race.c, the same rounds (two readers
 * at once, a writer whose history moves on, a late reader, both orders)
 * with every put and get under one mutex: no report.  The relaxed flags
 * still order the steps; the mutex is the only edge. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;

static void wait_for(atomic_int *flag, int value)
{
    while (atomic_load_explicit(flag, memory_order_relaxed) < value)
        sched_yield();
}

__attribute__((noinline)) static void put(int k)
{
    pthread_mutex_lock(&buf_lock);
    memcpy(buf[k], source, copy_len);
    pthread_mutex_unlock(&buf_lock);
}

__attribute__((noinline)) static void get(int k)
{
    char local[16];
    pthread_mutex_lock(&buf_lock);
    memcpy(local, buf[k], copy_len);
    pthread_mutex_unlock(&buf_lock);
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
