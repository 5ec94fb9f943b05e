/* detach_race.c: a detached thread cannot be joined; main sleeps and then
 * reads the status the thread wrote.  No edge: a race.
 * Twin: detach_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @status_w @status_r
// RACEWATCH-EXPECT: location=global status
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int status;

static void *worker(void *arg)
{
    (void)arg;
    status = 1; /* @status_w */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_detach(t);
    usleep(50000);
    use(status); /* @status_r */
    printf("done\n");
    return 0;
}
