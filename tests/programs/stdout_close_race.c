/* stdout_close_race.c: a standard stream is an object like any other: a
 * worker prints with puts(), then main, told only by a relaxed flag (no
 * edge), closes stdout (as coreutils' close_stdout does at exit).  The
 * fclose races with the worker's puts; stdout was never seen opened, so
 * the location is `FILE stream stdout` alone.  Both modes.
 * Twin: stdout_close_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @fclose @puts
// RACEWATCH-EXPECT: location=FILE stream stdout
// RACEWATCH-EXPECT: stdout=worker\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @fclose @puts
// PRELOAD-EXPECT: location=FILE stream stdout
// PRELOAD-EXPECT: stdout=worker\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int printed;
/* Not a constant: gcc would turn puts of a literal into fwrite or keep
 * it, depending on the level; a variable keeps it puts. */
static const char *volatile line = "worker";

static void *worker(void *arg)
{
    puts(line); /* @puts */
    atomic_store_explicit(&printed, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&printed, memory_order_relaxed))
        usleep(1000);
    fclose(stdout); /* @fclose */
    pthread_join(t, NULL);
    return 0;
}
