/* stream_close_race.c: stdio streams are racy objects: a call that takes
 * the stream's lock (fputs, fprintf) reads the stream, fclose and the
 * calls that take no lock (fputs_unlocked) write it.  A worker fputs()s
 * to one stream and fputs_unlocked()s to another; then main fcloses the
 * first and fprintf()s to the second, with nothing ordering main's calls
 * after the worker's (a relaxed flag orders execution only): two races,
 * each named by its stream and where main opened it.  Both modes see the
 * calls.  ThreadSanitizer finds the fclose race only (on the FILE's heap
 * block): it does not model the unlocked calls.  Twin: stream_close_clean.c. */
// TSAN-EXPECT: miss
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @fclose @fputs
// RACEWATCH-EXPECT: race @fprintf @unlocked
// RACEWATCH-EXPECT: location=FILE stream
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=2
// PRELOAD-EXPECT: race @fclose @fputs
// PRELOAD-EXPECT: race @fprintf @unlocked
// PRELOAD-EXPECT: location=FILE stream
// PRELOAD-EXPECT: stdout=done\n
#define _GNU_SOURCE /* fputs_unlocked */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static FILE *closed_later, *shared_log;
static atomic_int used;
/* Not constants: gcc would turn fputs of a literal into fwrite. */
static const char *volatile line = "line\n";

static void *worker(void *arg)
{
    fputs(line, closed_later); /* @fputs */
    fputs_unlocked(line, shared_log); /* @unlocked */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
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
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    fclose(closed_later); /* @fclose */
    fprintf(shared_log, "%s", line); /* @fprintf */
    pthread_join(t, NULL);
    fclose(shared_log);
    printf("done\n");
    return 0;
}
