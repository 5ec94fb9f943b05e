/* leak_off_clean.c: leak_fail.c's leak with --report-thread-leaks=0:
 * nothing is reported.  Twin of leak_fail.c. */
// RACEWATCH-EXPECT: flags=--report-thread-leaks=0
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=finished\n
// RACEWATCH-EXPECT: clean
#include <pthread.h>
#include <stdio.h>

#include "leak_wait.h"

static atomic_int tid;

static void *worker(void *arg)
{
    leak_publish_tid(arg);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, &tid);
    leak_wait_gone(&tid);
    printf("finished\n");
    return 0;
}
