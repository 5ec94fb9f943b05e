/* waitgroup_clean.c: every Done happens-before the Wait it releases: four
 * workers fill their part of the results, main reads them all after Wait.
 * The group is used twice (reuse after reaching zero).  Silent.  Twins:
 * waitgroup_race.c (no Wait), waitgroup_late_race.c (a write after Done). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=6 16\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

#define WORKERS 4

static int results[WORKERS];
static rw_waitgroup wg;

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    put(&results[i], get(&results[i]) + i);
    rw_waitgroup_done(&wg);
    return NULL;
}

static int round_sum(void)
{
    pthread_t t[WORKERS];
    rw_waitgroup_add(&wg, WORKERS);
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    rw_waitgroup_wait(&wg);
    int sum = 0;
    for (int i = 0; i < WORKERS; i++)
        sum += get(&results[i]);
    for (int i = 0; i < WORKERS; i++)
        pthread_detach(t[i]);
    return sum;
}

int main(void)
{
    int a = round_sum();
    put(&results[0], 4);                 /* ordered by Wait before round 2 */
    int b = round_sum();
    printf("%d %d\n", a, b);
    return 0;
}
