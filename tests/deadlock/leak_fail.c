/* leak_fail.c: leak_finished.c's leak of one thread, with
 * --report-thread-leaks=fail: the leak counts like a misuse warning and
 * the clean exit becomes 66.  Twin: leak_clean.c. */
// RACEWATCH-EXPECT: flags=--report-thread-leaks=fail
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=finished\n
// RACEWATCH-EXPECT: leak thread 2 @create
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
    pthread_create(&t, NULL, worker, &tid); /* @create */
    leak_wait_gone(&tid);
    printf("finished\n");
    return 0;
}
