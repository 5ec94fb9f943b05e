/* unlock_not_owner.c: main holds a mutex; a worker unlocks it.  POSIX
 * leaves that undefined for a normal mutex (glibc just unlocks it); Go
 * allows it for sync.Mutex, so it is not fatal: a warning naming the
 * mutex, its holder and the worker's stack, and the program runs on
 * (exit 66).  Twin of unlock_unlocked.c, which is fatal as in Go. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: native=runs
// RACEWATCH-EXPECT: stdout=main holds it\nworker unlocked it\n
// RACEWATCH-EXPECT: first-line===================
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=unlock of a mutex held by another thread @unlock
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_unlock(&m); /* @unlock */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    printf("main holds it\n");
    fflush(stdout);
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("worker unlocked it\n");
    return 0;
}
