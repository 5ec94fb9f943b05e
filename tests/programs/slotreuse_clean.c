/* slotreuse_clean.c: twin of slotreuse_race.c, the same threads and
 * steps (a writer that ends, a busy thread in its slot, a late reader)
 * with the put and the get under one mutex: no report. */
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

#define CHURN 300000 /* more events than the default history (256K) */

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buf[16];
size_t copy_len = 8;
char source[16] = "payload";

static atomic_int go;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void put(void)
{
    pthread_mutex_lock(&buf_lock);
    memcpy(buf, source, copy_len);
    pthread_mutex_unlock(&buf_lock);
}

__attribute__((noinline)) static void get(void)
{
    char local[16];
    pthread_mutex_lock(&buf_lock);
    memcpy(local, buf, copy_len);
    pthread_mutex_unlock(&buf_lock);
    use(local[1]);
}

/* Events: a call and a lock each. */
__attribute__((noinline)) static void lock_own(void)
{
    pthread_mutex_lock(&own_lock);
    pthread_mutex_unlock(&own_lock);
}

static void *writer(void *arg)
{
    (void)arg;
    put();
    return NULL;
}

static void *busy(void *arg)
{
    (void)arg;
    for (int i = 0; i < CHURN; i++)
        lock_own();
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&go, memory_order_relaxed))
        sched_yield();
    get();
    return NULL;
}

int main(void)
{
    pthread_t r, w, b;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_create(&b, NULL, busy, NULL);
    pthread_join(b, NULL);
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
