/* cond_clean.c: twin of cond_race.c.  main fills in the job before setting
 * "go" under the mutex and broadcasting; each worker re-checks the predicate
 * under the mutex, so the mutex edges order the job before its reads. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=results 7 14 21\n
// PRELOAD-EXPECT: stdout=results 7 14 21\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define NWORKERS 3

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static int go;
int job;
static int results[NWORKERS];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    pthread_mutex_lock(&mu);
    while (!go)
        pthread_cond_wait(&go_cv, &mu);
    pthread_mutex_unlock(&mu);
    results[id] = job * (id + 1);
    return NULL;
}

int main(void)
{
    pthread_t t[NWORKERS];
    for (long i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    usleep(5000); /* let some workers block in the wait */
    job = 7;
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&go_cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    printf("results %d %d %d\n", results[0], results[1], results[2]);
    return 0;
}
