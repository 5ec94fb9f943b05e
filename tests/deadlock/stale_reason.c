/* stale_reason.c: a wait named by a library (the channel library
 * names its waits with __racewatch_block_reason) that ends at once must
 * not lend its name to the thread's next wait.  Here the named lock is
 * free; the later relock of a normal mutex is then reported with its own
 * reason, pthread_mutex_lock, not "chan send".  (The name in the file is
 * what matters: the deadlock is relock_alone.c's.) */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=locked once\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_mutex_lock] @relock
#include <pthread.h>
#include <stdio.h>

void __racewatch_block_reason(const char *reason) __attribute__((weak));

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    if (__racewatch_block_reason)
        __racewatch_block_reason("chan send");
    pthread_mutex_lock(&m); /* free: no wait */
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    printf("locked once\n");
    fflush(stdout);
    pthread_mutex_lock(&m); /* @relock */
    return 0;
}
