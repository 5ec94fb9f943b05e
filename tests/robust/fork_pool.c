/* fork_pool.c: a thread pool forks, as libuv's fork_threadpool_queue_work
 * test does.  The parent's workers wrote their statistics slots (ordered
 * with main by nothing: a relaxed flag only says they are done) and sleep
 * in sem_wait; two watchers sleep in a condition wait and a timed one on
 * the pool's condition variable.  The child, where none of them exists,
 * rewrites the statistics, re-initializes the pool's mutex and condition
 * as libuv's child handler does, runs a pool of its own, shuts it down and
 * destroys the condition.  Everything the parent's threads did happened
 * before the child's first instruction and nobody waits in the child: no
 * race, no "destroy of a condition variable with waiters". */
// ROBUST: exit=0
// ROBUST: stdout=child: 4 jobs, sum 10, stats 0\nchild exited 0\nparent: stats 10\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS 4

static long stats[NWORKERS];
static atomic_int stats_written, watchers_waiting;
static sem_t work;
static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static int stopping;

static void *parent_worker(void *arg)
{
    long i = (long)arg;
    stats[i] = i + 1;
    atomic_fetch_add_explicit(&stats_written, 1, memory_order_relaxed);
    sem_wait(&work);
    return NULL;
}

static void *watcher(void *arg)
{
    int timed = arg != NULL;
    pthread_mutex_lock(&pool_mutex);
    atomic_fetch_add_explicit(&watchers_waiting, 1, memory_order_relaxed);
    while (!stopping) {
        if (timed) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 60;
            pthread_cond_timedwait(&pool_cond, &pool_mutex, &ts);
        } else {
            pthread_cond_wait(&pool_cond, &pool_mutex);
        }
    }
    pthread_mutex_unlock(&pool_mutex);
    return NULL;
}

/* The child's own pool: jobs handed out under pool_mutex. */
static int jobs[4], njobs, next_job, done_jobs, sum;

static void *child_worker(void *arg)
{
    pthread_mutex_lock(&pool_mutex);
    for (;;) {
        while (next_job == njobs && !stopping)
            pthread_cond_wait(&pool_cond, &pool_mutex);
        if (next_job == njobs)
            break;
        int job = jobs[next_job++];
        pthread_mutex_unlock(&pool_mutex);
        pthread_mutex_lock(&pool_mutex);
        sum += job;
        done_jobs++;
        pthread_cond_broadcast(&pool_cond);
    }
    pthread_mutex_unlock(&pool_mutex);
    return arg;
}

static int child(void)
{
    long total = 0;
    for (int i = 0; i < NWORKERS; i++) {
        total += stats[i];
        stats[i] = 0;
    }
    if (total != 10)
        return 1;
    /* libuv's child handler: the pool's locks start afresh. */
    pthread_mutex_init(&pool_mutex, NULL);
    pthread_cond_init(&pool_cond, NULL);
    stopping = 0;
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, child_worker, NULL);
    pthread_mutex_lock(&pool_mutex);
    for (int i = 0; i < 4; i++)
        jobs[njobs++] = i + 1;
    pthread_cond_broadcast(&pool_cond);
    while (done_jobs < 4)
        pthread_cond_wait(&pool_cond, &pool_mutex);
    stopping = 1;
    pthread_cond_broadcast(&pool_cond);
    pthread_mutex_unlock(&pool_mutex);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_cond_destroy(&pool_cond);
    pthread_mutex_destroy(&pool_mutex);
    long left = 0;
    for (int i = 0; i < NWORKERS; i++)
        left += stats[i];
    printf("child: %d jobs, sum %d, stats %ld\n", done_jobs, sum, left);
    return 0;
}

int main(void)
{
    pthread_t w[NWORKERS], watchers[2];
    sem_init(&work, 0, 0);
    for (long i = 0; i < NWORKERS; i++)
        pthread_create(&w[i], NULL, parent_worker, (void *)i);
    pthread_create(&watchers[0], NULL, watcher, NULL);
    pthread_create(&watchers[1], NULL, watcher, (void *)1);
    while (atomic_load_explicit(&stats_written, memory_order_relaxed) < NWORKERS ||
           atomic_load_explicit(&watchers_waiting, memory_order_relaxed) < 2)
        usleep(1000);
    /* Both watchers are inside their waits once the mutex is free. */
    pthread_mutex_lock(&pool_mutex);
    pthread_mutex_unlock(&pool_mutex);
    usleep(20 * 1000); /* the workers reach sem_wait (order does not matter) */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int r = child();
        fflush(stdout);
        exit(r);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    for (int i = 0; i < NWORKERS; i++)
        sem_post(&work);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(w[i], NULL);
    pthread_mutex_lock(&pool_mutex);
    stopping = 1;
    pthread_cond_broadcast(&pool_cond);
    pthread_mutex_unlock(&pool_mutex);
    for (int i = 0; i < 2; i++)
        pthread_join(watchers[i], NULL);
    long total = 0;
    for (int i = 0; i < NWORKERS; i++)
        total += stats[i];
    printf("parent: stats %ld\n", total);
    return 0;
}
