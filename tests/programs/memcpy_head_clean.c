/* memcpy_head_clean.c: twin of memcpy_head_race.c: the peek of byte 5
 * at the range's head and both unaligned fills of [3, 21) hold the
 * mutex, so the second fill replaces the peek's cell and nothing is
 * reported. */
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

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buf[32] __attribute__((aligned(8)));
size_t fill_len = 18; /* non-constant sizes: memcpy stays a call */
size_t peek_len = 1;
char source[32] = "0123456789abcdefghijklmnopq";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int first_done, peek_done;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

__attribute__((noinline)) static void fill(void)
{
    memcpy(buf + 3, source, fill_len); /* @fill */
}

static void *filler(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    fill();
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&first_done, 1, memory_order_relaxed);
    wait_for(&peek_done);
    pthread_mutex_lock(&lock);
    fill();
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    char local[4];
    wait_for(&first_done);
    pthread_mutex_lock(&lock);
    memcpy(local, buf + 5, peek_len); /* @peek */
    use(local[0]);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&peek_done, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    pthread_t f, p;
    pthread_create(&f, NULL, filler, NULL);
    pthread_create(&p, NULL, peeker, NULL);
    pthread_join(f, NULL);
    pthread_join(p, NULL);
    printf("done\n");
    return 0;
}
