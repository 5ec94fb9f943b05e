/* lostfirst_clean.c: twin of lostfirst_race.c, the same threads and
 * steps (an early get, 300,000 locks, a put, a late get) with the put
 * and the gets under one mutex: no report. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
