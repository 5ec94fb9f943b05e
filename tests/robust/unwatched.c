/* unwatched.c: for the static and set-user-ID cases (run_robust_test.py
 * --case static / --case setuid): racewatch cannot watch such a binary, so
 * `racewatch run` says so in one line and runs it unwatched, keeping its
 * output and its exit status (5).  A thread, so that there is something to
 * watch. */
// ROBUST: exit=5
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("unwatched: euid %d\n", (int)geteuid());
    return 5;
}
