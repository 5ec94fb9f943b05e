/* join_twice.c: main joins the same thread twice.  The second join is a
 * warning and returns EINVAL (the thread is gone: natively this is
 * undefined behaviour); exit 66. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: native=runs
// RACEWATCH-EXPECT: stdout=first join: 0\nsecond join: EINVAL\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=pthread_join of a thread that was already joined @join2
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    printf("first join: %d\n", pthread_join(t, NULL));
    int r = pthread_join(t, NULL); /* @join2 */
    printf("second join: %s\n", r == EINVAL ? "EINVAL" : r == ESRCH ? "ESRCH" : "?");
    return 0;
}
