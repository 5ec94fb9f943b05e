/* seqcst_race.c: a seq_cst atomic flag publishes only what was written
 * before the store.  The writer sets the flag first and writes the data
 * after it.  Twin: seqcst_clean.c. */
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
    atomic_store(&ready, 1);
    data = 42; /* @data_w */
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load(&ready))
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
