/* strlen_repeat_clean.c: twin of strlen_repeat_race.c.  The same calls in
 * the same order, each under one mutex: the repeated strlen calls
 * answered inline by the reader's exact entries, and the copies, are
 * ordered. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=length 1400\n
// PRELOAD-EXPECT: stdout=length 1400\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name_a[32] = "initial";
char name_b[32] = "initial";
char new_name[32] = "renamed";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int reader_done, writer_done;
static size_t length;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

__attribute__((noinline)) static size_t measure_a(void)
{
    return strlen(name_a);
}

__attribute__((noinline)) static size_t measure_b(void)
{
    return strlen(name_b);
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++) {
        length += measure_a();
        barrier();
    }
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    wait_for(&writer_done);
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++) {
        length += measure_b();
        barrier();
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    strcpy(name_b, new_name);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    wait_for(&reader_done);
    pthread_mutex_lock(&lock);
    strcpy(name_a, new_name);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("length %zu\n", length);
    return 0;
}
