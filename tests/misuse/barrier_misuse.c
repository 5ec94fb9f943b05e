/* barrier_misuse.c: pthread_barrier_init with a count of 0 (EINVAL).  A
 * warning; exit 66.  Twin: barrier_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=init with 0: EINVAL\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=pthread_barrier_init with count 0 @init
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t b;

int main(void)
{
    int r = pthread_barrier_init(&b, NULL, 0); /* @init */
    printf("init with 0: %s\n", r == EINVAL ? "EINVAL" : "?");
    return 0;
}
