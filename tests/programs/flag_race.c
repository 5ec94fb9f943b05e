/* flag_race.c: publishing data through a plain int flag.  The writer fills
 * `data` and sets `ready`; the reader polls `ready` and then reads `data`.
 * Neither is synchronized: both the flag and the data race.
 * Twin: flag_clean.c (a C11 atomic flag with release/acquire). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @data_w @data_r
// RACEWATCH-EXPECT: race @flag_w @flag_r
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int data;
int ready;

static void *writer(void *arg)
{
    (void)arg;
    usleep(10000);
    data = 42; /* @data_w */
    ready = 1; /* @flag_w */
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!ready) /* @flag_r */
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
