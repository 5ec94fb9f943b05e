/* leak_finished.c: thread leaks.  Three workers made on one line and one
 * made on another finish; nobody joins or detaches them; main then
 * returns 0.  Two reports, one per creation stack (the first with "And 2
 * more"), warnings only: the exit stays 0 (report_thread_leaks=1, the
 * default, as ThreadSanitizer's).  Twins: leak_clean.c,
 * leak_mainexit_clean.c; leak_fail.c and leak_off_clean.c are the same
 * program with the option set to fail and to 0. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=4 finished\n
// RACEWATCH-EXPECT: leak thread 2 @create_loop
// RACEWATCH-EXPECT: leak thread 5 @create_one
// RACEWATCH-EXPECT: line=And 2 more similar thread leaks (threads 3, 4).
#include <pthread.h>
#include <stdio.h>

#include "leak_wait.h"

static atomic_int tids[4];

static void *worker(void *arg)
{
    leak_publish_tid(arg);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < 3; i++)
        pthread_create(&t, NULL, worker, &tids[i]); /* @create_loop */
    pthread_create(&t, NULL, worker, &tids[3]); /* @create_one */
    for (int i = 0; i < 4; i++)
        leak_wait_gone(&tids[i]);
    printf("4 finished\n");
    return 0;
}
