/* waitgroup_negative.c: the warning of the seed "Concurrency in Go Part
 * II" (000), "a negative counter will panic": one Add(1) and two Done
 * calls.  The second Done panics with Go's words and exit status 2, and
 * racewatch shows the thread's stack.  waitgroup_seven.c balances them.
 */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: out=first Done
// RACEWATCH-EXPECT: first-line=panic: sync: negative WaitGroup counter
// RACEWATCH-EXPECT: thread 1 [running] @second
#include <stdio.h>

#include <racewatch/concurrency.h>

static rw_waitgroup wg;

int main(void)
{
    rw_waitgroup_add(&wg, 1);
    rw_waitgroup_done(&wg);
    printf("first Done\n");
    fflush(stdout);
    rw_waitgroup_done(&wg); /* @second */
    printf("not reached\n");
    return 0;
}
