/* atomic_relaxed_race.c: publication through a RELAXED atomic flag.  The
 * flag itself is atomic (no race on it), but a relaxed store/load creates no
 * happens-before edge, so the plain data it was meant to publish races.
 * Twin: atomic_relacq_clean.c. */
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
