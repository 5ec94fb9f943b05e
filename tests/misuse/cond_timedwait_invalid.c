/* cond_timedwait_invalid.c: pthread_cond_timedwait with a deadline whose
 * nanoseconds are out of range (1000000000): glibc returns EINVAL at once,
 * without unlocking.  A warning; exit 66.  Twin: cond_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=timedwait: EINVAL\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=condition wait with an invalid deadline @wait
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec = 1000000000;
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &ts); /* @wait */
    pthread_mutex_unlock(&m);
    printf("timedwait: %s\n", r == EINVAL ? "EINVAL" : "?");
    return 0;
}
