/* relock_alone.c: the only thread locks a normal (default) mutex it already
 * holds.  Nothing else exists to unlock it: all threads are asleep.
 * Twin: relock_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=locked once\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_mutex_lock] @relock
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_lock(&m);
    printf("locked once\n");
    fflush(stdout);
    pthread_mutex_lock(&m); /* @relock */
    printf("unreachable\n");
    return 0;
}
