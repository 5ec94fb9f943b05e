/* barrier_rounds_clean.c: twin of barrier_rounds_race.c.  The same four
 * threads and rounds of a count-2 barrier, but the reader's partner in
 * round 2 is the writer itself: its fill is ordered before the reader's
 * copy by round 2, whatever round 1 did. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done w\n
// PRELOAD-EXPECT: stdout=done w\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_barrier_t bar;
char buffer[64];
char copied[64];
size_t fill_len = 40; /* a non-constant size: memset/memcpy stay calls */
static int round1_over; /* relaxed: orders execution, not memory */

static void *writer(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&bar); /* round 1, with the helper */
    __atomic_store_n(&round1_over, 1, __ATOMIC_RELAXED);
    memset(buffer, 'w', fill_len);
    pthread_barrier_wait(&bar); /* round 2, with the reader */
    return NULL;
}

static void *helper(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&bar);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&round1_over, __ATOMIC_RELAXED))
        usleep(1000);
    pthread_barrier_wait(&bar);
    memcpy(copied, buffer, fill_len);
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    void *(*fn[3])(void *) = {writer, helper, reader};
    pthread_barrier_init(&bar, NULL, 2);
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, fn[i], NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    printf("done %c\n", copied[0]);
    return 0;
}
