/* semaphore_clean.c: a channel of capacity 1 used as a lock (Go's
 * semaphore idiom: send to enter, receive to leave).  The k-th receive
 * happens-before the (k+1)-th send completes, so the four workers'
 * updates of the counter are ordered.  Silent.  Twin: semaphore_race.c
 * (the same with capacity 2). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=400\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define WORKERS 4
#define CAPACITY 1

static int counter;
static rw_chan *sem;

static void *worker(void *arg)
{
    for (int i = 0; i < 100; i++) {
        rw_chan_send(sem, NULL);                  /* acquire */
        put(&counter, get(&counter) + 1);
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
    printf("%d\n", get(&counter));
    rw_chan_free(sem);
    return 0;
}
