/* realloc_race.c: realloc that moves a block frees the old one.  A worker
 * reads the old block; main grows it (1 MiB: glibc must move it) without
 * ordering the worker's read first (a relaxed flag only orders execution).
 * Twin: realloc_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read_old @realloc
// RACEWATCH-EXPECT: stdout=moved\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static int *buf;
static atomic_int read_done;

static void *worker(void *arg)
{
    (void)arg;
    use(buf[3]); /* @read_old */
    atomic_store_explicit(&read_done, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    buf = malloc(16 * sizeof *buf);
    for (int i = 0; i < 16; i++)
        buf[i] = i;
    uintptr_t old = (uintptr_t)buf;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&read_done, memory_order_relaxed))
        usleep(1000);
    int *grown = realloc(buf, 1 << 20); /* @realloc */
    pthread_join(t, NULL);
    printf("%s\n", (uintptr_t)grown != old ? "moved" : "not moved");
    free(grown);
    return 0;
}
