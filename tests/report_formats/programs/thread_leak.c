/* thread_leak.c: two workers created on one line finish and are never
 * joined nor detached: one "WARNING: THREAD LEAK" report at exit (with
 * "And 1 more similar thread leak"), a warning: the exit stays 0. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int done;

static void *worker(void *arg)
{
    (void)arg;
    atomic_fetch_add_explicit(&done, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < 2; i++)
        pthread_create(&t, NULL, worker, NULL);
    while (atomic_load_explicit(&done, memory_order_relaxed) < 2)
        usleep(1000);
    usleep(200 * 1000); /* the workers' ends, after their last store */
    return 0;
}
