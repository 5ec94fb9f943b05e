/* strlen_last_clean.c: twin of strlen_last_race.c.  The same calls in the
 * same order, each thread's under one mutex: the write of byte 5 and the
 * strlen that reads it are ordered. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=lengths 3 3 3 5\n
// PRELOAD-EXPECT: stdout=lengths 3 3 3 5\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char name[16] = "abc";
size_t one = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int written;
static size_t lengths[4];

__attribute__((noinline)) static size_t measure_short(void)
{
    return strlen(name);
}

__attribute__((noinline)) static size_t measure_long(void)
{
    return strlen(name);
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 3; i++)
        lengths[i] = measure_short();
    name[3] = 'd';
    name[4] = 'e';
    lengths[3] = measure_long();
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    memcpy(name + 5, "", one);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&written, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("lengths %zu %zu %zu %zu\n", lengths[0], lengths[1], lengths[2], lengths[3]);
    return 0;
}
