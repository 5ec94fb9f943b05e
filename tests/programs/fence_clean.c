/* fence_clean.c: twin of fence_race.c.  Fence-to-fence synchronization:
 * data; release fence; relaxed store  ||  relaxed load; acquire fence; data.
 * (C11 7.17.4: the release fence synchronizes with the acquire fence.)
 * ThreadSanitizer does not model fences and reports a false race here. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=data = 42\n
// TSAN-EXPECT: false-positive
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

int data;
static atomic_int ready;
static int seen;

static void *writer(void *arg)
{
    (void)arg;
    data = 42;
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&ready, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&ready, memory_order_relaxed))
        usleep(1000);
    atomic_thread_fence(memory_order_acquire);
    seen = data;
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("data = %d\n", seen);
    return 0;
}
