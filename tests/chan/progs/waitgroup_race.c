/* waitgroup_race.c: waitgroup_clean.c's first round without the Wait:
 * main reads the results while the workers may still write them.  One
 * report for the pair of lines.  Twin: waitgroup_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @fill @read
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define WORKERS 4

static int results[WORKERS];
static rw_waitgroup wg;

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    put(&results[i], i); /* @fill */
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    pthread_t t[WORKERS];
    rw_waitgroup_add(&wg, WORKERS);
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    int sum = 0;
    for (int i = 0; i < WORKERS; i++)
        sum += get(&results[i]); /* @read */
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    (void)sum;
    return 0;
}
