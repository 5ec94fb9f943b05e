/* stream_close_clean.c: stream_close_race.c made right: both threads
 * fputs() to the first stream at once (calls under the stream's lock are
 * safe with each other: no race), and main fcloses it only after joining
 * the worker; the worker's fputs_unlocked() is inside flockfile /
 * funlockfile, and main takes the stream's lock too around its own
 * unlocked write (the lock orders them).  Silent in both modes.
 * Twin: stream_close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#define _GNU_SOURCE /* fputs_unlocked */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static FILE *closed_later, *shared_log;
static const char *volatile line = "line\n";

static void *worker(void *arg)
{
    fputs(line, closed_later);
    flockfile(shared_log);
    fputs_unlocked(line, shared_log);
    funlockfile(shared_log);
    return arg;
}

int main(void)
{
    closed_later = fopen("/dev/null", "w");
    shared_log = fopen("/dev/null", "w");
    if (!closed_later || !shared_log)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    fputs(line, closed_later);
    flockfile(shared_log);
    fputs_unlocked(line, shared_log);
    funlockfile(shared_log);
    pthread_join(t, NULL);
    fclose(closed_later);
    fprintf(shared_log, "%s", line);
    fclose(shared_log);
    printf("done\n");
    return 0;
}
