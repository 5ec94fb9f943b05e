/* once_clean.c: twin of once_race.c.  Four threads call pthread_once and
 * then read what the init routine wrote; exactly one runs it. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=init ran 1 time(s), seen 42 42 42 42\n
// PRELOAD-EXPECT: stdout=init ran 1 time(s), seen 42 42 42 42\n
#include <pthread.h>
#include <stdio.h>

#define N 4

static pthread_once_t once = PTHREAD_ONCE_INIT;
int config;
static int init_runs;
static int seen[N];

static void init_config(void)
{
    config = 42;
    init_runs++;
}

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    pthread_once(&once, init_config);
    seen[id] = config;
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("init ran %d time(s), seen %d %d %d %d\n", init_runs, seen[0], seen[1], seen[2],
           seen[3]);
    return 0;
}
