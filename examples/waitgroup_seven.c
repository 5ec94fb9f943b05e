/* waitgroup_seven.c: the WaitGroup example of the seed "Concurrency in Go
 * Part II" (000): main knows someRoutine runs seven times, so it adds 7 at
 * once, starts seven threads that each print and call Done, and waits.
 * The seven lines are identical, so the output is fixed whatever the
 * order; racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=Hey! Did you know the value is someValue?
// RACEWATCH-EXPECT: out=All finished!
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

static rw_waitgroup wg;

static void *some_routine(void *arg)
{
    const char *s = arg;
    printf("Hey! Did you know the value is %s?\n", s);
    rw_waitgroup_done(&wg);         /* defer wg.Done() */
    return NULL;
}

int main(void)
{
    int n = 7;
    rw_waitgroup_add(&wg, n);       /* wg.Add(n): all seven at once */
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_create(&t, NULL, some_routine, "someValue");
        pthread_detach(t);
    }
    rw_waitgroup_wait(&wg);         /* this waits for the counter to be 0 */
    printf("All finished!\n");
    return 0;
}
