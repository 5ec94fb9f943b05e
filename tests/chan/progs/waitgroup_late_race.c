/* waitgroup_late_race.c: a worker calls Done before its last write: the
 * Wait is ordered after the Done, not after what follows it.  Twin:
 * waitgroup_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @after_done @read
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int result;
static rw_waitgroup wg = RW_WAITGROUP_INIT;

static void *worker(void *arg)
{
    rw_waitgroup_done(&wg);
    put(&result, 1); /* @after_done */
    return arg;
}

int main(void)
{
    rw_waitgroup_add(&wg, 1);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    rw_waitgroup_wait(&wg);
    int v = get(&result); /* @read */
    (void)v;
    pthread_join(t, NULL);
    rw_waitgroup_destroy(&wg);
    return 0;
}
