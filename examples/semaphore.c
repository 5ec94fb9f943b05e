/* semaphore.c: the semaphore made of a buffered channel, from the seed on
 * Go's sync patterns (003).  The channel holds n tokens: Acquire sends one
 * (blocking while n are out), Release receives one, TryAcquire is a select
 * with a default.  ProcessTasks runs eight tasks, at most three at once.
 *
 * Each task records its result in its own slot; main reads them after the
 * wait group's Wait.  A counter under a pthread mutex tracks how many tasks
 * run at once.  racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=TryAcquire on an empty semaphore(1): true
// RACEWATCH-EXPECT: out=TryAcquire on a full semaphore(1): false
// RACEWATCH-EXPECT: out=TryAcquire after Release: true
// RACEWATCH-EXPECT: out=task alpha: 5 letters
// RACEWATCH-EXPECT: out=task bravo: 5 letters
// RACEWATCH-EXPECT: out=task charlie: 7 letters
// RACEWATCH-EXPECT: out=task delta: 5 letters
// RACEWATCH-EXPECT: out=task echo: 4 letters
// RACEWATCH-EXPECT: out=task foxtrot: 7 letters
// RACEWATCH-EXPECT: out=task golf: 4 letters
// RACEWATCH-EXPECT: out=task hotel: 5 letters
// RACEWATCH-EXPECT: out=never more than 3 tasks at once: true
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

/* type Semaphore struct { tokens chan struct{} } */
typedef struct semaphore {
    rw_chan *tokens;
} semaphore;

static const char token;            /* struct{}{}: element size 0 */

static void semaphore_init(semaphore *s, size_t n)
{
    s->tokens = rw_chan_make(0, n);
}

static void acquire(semaphore *s)
{
    rw_chan_send(s->tokens, &token);    /* blocks if none are free */
}

static void release(semaphore *s)
{
    rw_chan_recv(s->tokens, NULL, NULL);
}

static bool try_acquire(semaphore *s)
{
    rw_select_case cases[] = { rw_send_case(s->tokens, &token) };
    switch (rw_select(cases, 1, true)) {
    case 0:
        return true;
    default:                        /* no token available immediately */
        return false;
    }
}

#define NTASKS 8
#define LIMIT 3

static const char *const tasks[NTASKS] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
};
static int results[NTASKS];

static semaphore sem;
static rw_waitgroup wg;
static pthread_mutex_t active_mu = PTHREAD_MUTEX_INITIALIZER;
static int active, max_active;

static void heavy_processing(int t)
{
    pthread_mutex_lock(&active_mu);
    if (++active > max_active)
        max_active = active;
    pthread_mutex_unlock(&active_mu);

    int n = 0;
    for (const char *p = tasks[t]; *p; p++)
        n++;
    results[t] = n;
    sched_yield();                  /* let the others pile up at the semaphore */

    pthread_mutex_lock(&active_mu);
    active--;
    pthread_mutex_unlock(&active_mu);
}

static void *task(void *arg)
{
    int t = (int)(long)arg;
    acquire(&sem);                  /* wait for a free slot */
    heavy_processing(t);
    release(&sem);
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    semaphore one;
    semaphore_init(&one, 1);
    printf("TryAcquire on an empty semaphore(1): %s\n", try_acquire(&one) ? "true" : "false");
    printf("TryAcquire on a full semaphore(1): %s\n", try_acquire(&one) ? "true" : "false");
    release(&one);
    printf("TryAcquire after Release: %s\n", try_acquire(&one) ? "true" : "false");
    rw_chan_free(one.tokens);

    /* ProcessTasks(tasks) */
    semaphore_init(&sem, LIMIT);
    pthread_t threads[NTASKS];
    for (long t = 0; t < NTASKS; t++) {
        rw_waitgroup_add(&wg, 1);
        pthread_create(&threads[t], NULL, task, (void *)t);
    }
    rw_waitgroup_wait(&wg);
    for (int t = 0; t < NTASKS; t++)
        printf("task %s: %d letters\n", tasks[t], results[t]);
    pthread_mutex_lock(&active_mu);
    printf("never more than %d tasks at once: %s\n", LIMIT, max_active <= LIMIT ? "true" : "false");
    pthread_mutex_unlock(&active_mu);

    for (int t = 0; t < NTASKS; t++)
        pthread_join(threads[t], NULL);
    rw_chan_free(sem.tokens);
    return 0;
}
