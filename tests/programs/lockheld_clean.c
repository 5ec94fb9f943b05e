/* lockheld_clean.c: twin of lockheld_race.c.  The same calls in the same
 * order, but the reader takes lock a, which the writer released after its
 * write: every copy is ordered, before and after the locks' clocks
 * outgrow their objects, with locks released out of order. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum 4800\n
// PRELOAD-EXPECT: stdout=sum 4800\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 12
#define ROUNDS 400

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static char buf_x[16], buf_z[16], shared[16];
static const char text[16] = "fifteen letters";
size_t copy_len = 16; /* a non-constant size: memcpy stays a call */
static atomic_int written;
static int sum;

static void wait_for(atomic_int *flag, int value)
{
    while (atomic_load_explicit(flag, memory_order_relaxed) != value)
        usleep(1000);
}

static void *writer(void *arg)
{
    int phase = (int)(long)arg;
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    if (phase == 1)
        memcpy(buf_x, text, copy_len); /* @write_x */
    else
        memcpy(buf_z, text, copy_len); /* @write_z */
    pthread_mutex_unlock(&a);
    atomic_store_explicit(&written, phase, memory_order_relaxed);
    return NULL;
}

static inline void use(const char *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

static void *reader(void *arg)
{
    int phase = (int)(long)arg;
    char copy[16];
    wait_for(&written, phase);
    pthread_mutex_lock(&a);
    if (phase == 1)
        memcpy(copy, buf_x, copy_len); /* @read_x */
    else
        memcpy(copy, buf_z, copy_len); /* @read_z */
    use(copy);
    pthread_mutex_unlock(&a);
    return NULL;
}

/* Both locks, released out of order, around a copy that a alone orders. */
static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        memcpy(shared, text, copy_len);
        pthread_mutex_unlock(&b);
        sum++;
        pthread_mutex_unlock(&a);
    }
    return NULL;
}

static void pair(int phase)
{
    pthread_t w, r;
    pthread_create(&r, NULL, reader, (void *)(long)phase);
    pthread_create(&w, NULL, writer, (void *)(long)phase);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
}

int main(void)
{
    pair(1);
    pthread_t t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    pair(2);
    printf("sum %d\n", sum);
    return 0;
}
