/* once_race.c: pthread_once orders the init routine's writes before every
 * RETURN of pthread_once -- not before code that runs before the call.
 * main runs the init (the worker's call happens strictly later: it waits on
 * a relaxed flag, which orders execution but creates no happens-before edge);
 * the worker peeks at the config before its own pthread_once call.
 * Twin: once_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @init_w @peek
// RACEWATCH-EXPECT: location=global config
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_once_t once = PTHREAD_ONCE_INIT;
int config;
static atomic_int init_done; /* relaxed only: an execution order, no edge */

static void init_config(void)
{
    config = 42; /* @init_w */
}

static void *worker(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&init_done, memory_order_relaxed))
        usleep(1000);
    /* before pthread_once: */
    use(config); /* @peek */
    pthread_once(&once, init_config);
    use(config); /* ordered by pthread_once: fine */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_once(&once, init_config);
    atomic_store_explicit(&init_done, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
