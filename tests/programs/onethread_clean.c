/* onethread_clean.c: twin of onethread_race.c.  Main copies into the
 * shared buffer before it creates the reader (pthread_create orders the
 * copy before everything the reader does), and copies from its block
 * before freeing it: no race, no use after free, no report. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile size_t len = sizeof(int);
static volatile size_t shared_len = 48;

static char shared[64];
static char source[64] = "copied into the shared buffer by main";
static int copied;

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static void *reader(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&copied, __ATOMIC_RELAXED))
        usleep(100);
    char local[64];
    memcpy(local, shared, shared_len);
    use(local[5]);
    return NULL;
}

int main(void)
{
    int v = 7, got;
    int *own = malloc(16 * sizeof *own);
    memcpy(&own[2], &v, len);
    memcpy(&got, &own[2], len);
    free(own);
    use(got);

    memcpy(shared, source, shared_len);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    __atomic_store_n(&copied, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
