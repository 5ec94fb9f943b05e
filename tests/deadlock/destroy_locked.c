/* destroy_locked.c: a worker destroys a mutex main holds.  A warning (the
 * program goes on), counted at exit; exit 66. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: first-line===================
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=destroy of a locked mutex @destroy
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m;

static void *worker(void *arg)
{
    pthread_mutex_destroy(&m); /* @destroy */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
