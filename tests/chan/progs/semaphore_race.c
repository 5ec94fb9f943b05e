/* semaphore_race.c: semaphore_clean.c with a capacity of 2: two workers
 * may be inside at once, and no receive orders one's update before the
 * other's (the k-th receive only orders the (k+2)-th send).  Reported,
 * once for the pair of lines.  Twin: semaphore_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @update @update
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define WORKERS 4
#define CAPACITY 2

static int counter;
static rw_chan *sem;

static void *worker(void *arg)
{
    for (int i = 0; i < 100; i++) {
        rw_chan_send(sem, NULL);                  /* acquire */
        put(&counter, get(&counter) + 1); /* @update */
        rw_chan_recv(sem, NULL, NULL);            /* release */
    }
    return arg;
}

int main(void)
{
    sem = rw_chan_make(0, CAPACITY);
    pthread_t t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    rw_chan_free(sem);
    return 0;
}
