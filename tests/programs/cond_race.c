/* cond_race.c: workers wait on a condition variable for a "go" broadcast.
 * main broadcasts first and fills in the job description afterwards, outside
 * the mutex: the woken workers read it unordered.  Twin: cond_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @job_w @job_r
// RACEWATCH-EXPECT: location=global job
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define NWORKERS 3

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static int go;
int job;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!go)
        pthread_cond_wait(&go_cv, &mu);
    pthread_mutex_unlock(&mu);
    use(job); /* @job_r */
    return NULL;
}

int main(void)
{
    pthread_t t[NWORKERS];
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    pthread_mutex_lock(&mu);
    go = 1;
    pthread_cond_broadcast(&go_cv);
    pthread_mutex_unlock(&mu);
    job = 7; /* @job_w */
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
