/* unlock_unlocked.c: main unlocks a mutex that nobody locked.  Fatal, as in
 * Go ("sync: unlock of unlocked mutex"), with the thread's stack; exit 2.
 * Twin: relock_clean.c (correct lock/unlock pairs). */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=runs
// RACEWATCH-EXPECT: stdout=about to unlock\n
// RACEWATCH-EXPECT: first-line=fatal error: sync: unlock of unlocked mutex
// RACEWATCH-EXPECT: thread 1 [running] @unlock
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    printf("about to unlock\n");
    fflush(stdout);
    pthread_mutex_unlock(&m); /* @unlock */
    printf("unreachable\n");
    return 0;
}
