/* stack_race.c: a pointer to a stack variable handed to another thread.
 * The thread stores its answer there; main reads its local after a sleep
 * instead of a join.  Twin: stack_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @answer_w @answer_r
// RACEWATCH-EXPECT: location=stack
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static void *worker(void *arg)
{
    int *answer = arg;
    *answer = 42; /* @answer_w */
    return NULL;
}

int main(void)
{
    int answer = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, &answer);
    usleep(50000);
    use(answer); /* @answer_r */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
