/* flag_clean.c: twin of flag_race.c.  The flag is a C11 atomic: a release
 * store after writing the data, an acquire load before reading it. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=data = 42\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

int data;
atomic_int ready;
static int seen;

static void *writer(void *arg)
{
    (void)arg;
    usleep(10000);
    data = 42;
    atomic_store_explicit(&ready, 1, memory_order_release);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&ready, memory_order_acquire))
        usleep(1000);
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
