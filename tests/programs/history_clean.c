/* history_clean.c: twin of history_race.c, the same threads and steps
 * (a put, then 100,000 calls, 40,000 words and 140,000 locks, then a late
 * get) with the put and the get under one mutex: no report. */
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

#define CALLS 100000
#define WORDS 40000
#define LOCKS 140000 /* more events than the former history (128K) alone */

static inline void use(long v) { __asm__ volatile("" : : "r"(v)); }

char buf[16];
size_t copy_len = 8;
char source[16] = "payload";
long scale = 3;
long own_words[WORDS];

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

__attribute__((noinline)) static long scaled(long i)
{
    return i * scale;
}

static void *writer(void *arg)
{
    (void)arg;
    put();
    long sum = 0;
    for (long i = 0; i < CALLS; i++)
        sum += scaled(i);
    use(sum);
    for (long i = 0; i < WORDS; i++)
        own_words[i] = i;
    for (int i = 0; i < LOCKS; i++) {
        pthread_mutex_lock(&own_lock);
        pthread_mutex_unlock(&own_lock);
    }
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&go, memory_order_relaxed))
        usleep(1000);
    get();
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
