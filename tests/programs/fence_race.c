/* fence_race.c: the fence pattern with its acquire half missing.  The
 * writer has a release fence before its relaxed flag store, but the reader
 * follows its relaxed load with no acquire fence: no edge, the data races.
 * Twin: fence_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @data_w @data_r
// RACEWATCH-EXPECT: location=global data
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int data;
static atomic_int ready;

static void *writer(void *arg)
{
    (void)arg;
    data = 42; /* @data_w */
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&ready, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&ready, memory_order_relaxed))
        usleep(1000);
    use(data); /* @data_r */
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
