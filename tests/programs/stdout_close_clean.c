/* stdout_close_clean.c: stdout_close_race.c made right: main joins the
 * worker before closing stdout.  Silent in both modes.
 * Twin: stdout_close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=worker\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=worker\n
#include <pthread.h>
#include <stdio.h>

static const char *volatile line = "worker";

static void *worker(void *arg)
{
    puts(line);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    fclose(stdout);
    return 0;
}
