/* cancel.c: deferred cancellation at the blocking calls racewatch watches
 * and at others: a thread cancelled in pthread_cond_wait (its cleanup
 * handler unlocks the mutex the wait re-took), in sem_wait, in
 * pthread_join, in pthread_mutex_lock's neighbour nanosleep, in read(),
 * and at pthread_testcancel in a loop.  Every join returns
 * PTHREAD_CANCELED; main then takes the mutex the first thread's cleanup
 * released.  No deadlock, no misuse: the cancelled waits are over. */
// ROBUST: exit=0
// ROBUST: stdout=cond_wait: cancelled, cleanup ran\nsem_wait: cancelled\njoin: cancelled\nsleep: cancelled\nread: cancelled\ntestcancel: cancelled\nmutex free after cleanup: yes\njoined target: 0\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t never_posted;
static atomic_int started;
static int cleanup_ran;
static int fds[2];
static pthread_t join_target;
static pthread_barrier_t release_target;

static void unlock_m(void *arg)
{
    (void)arg;
    cleanup_ran = 1;
    pthread_mutex_unlock(&m);
}

static void *in_cond_wait(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_m, NULL);
    atomic_fetch_add(&started, 1);
    for (;;)
        pthread_cond_wait(&c, &m);
    pthread_cleanup_pop(1);
    return arg;
}

static void *in_sem_wait(void *arg)
{
    atomic_fetch_add(&started, 1);
    for (;;)
        sem_wait(&never_posted);
    return arg;
}

static void *target(void *arg)
{
    pthread_barrier_wait(&release_target);
    return arg;
}

static void *in_join(void *arg)
{
    atomic_fetch_add(&started, 1);
    pthread_join(join_target, NULL);
    return arg;
}

static void *in_sleep(void *arg)
{
    atomic_fetch_add(&started, 1);
    for (;;)
        sleep(10);
    return arg;
}

static void *in_read(void *arg)
{
    char ch;
    atomic_fetch_add(&started, 1);
    for (;;)
        if (read(fds[0], &ch, 1) < 0 && errno != EINTR)
            break;
    return arg;
}

static void *in_testcancel(void *arg)
{
    atomic_fetch_add(&started, 1);
    for (;;)
        pthread_testcancel();
    return arg;
}

static const char *cancel_it(void *(*fn)(void *))
{
    pthread_t t;
    void *ret = NULL;
    int before = atomic_load(&started);
    pthread_create(&t, NULL, fn, NULL);
    while (atomic_load(&started) == before)
        usleep(1000);
    usleep(50 * 1000); /* let it get into the blocking call */
    pthread_cancel(t);
    pthread_join(t, &ret);
    return ret == PTHREAD_CANCELED ? "cancelled" : "not cancelled";
}

int main(void)
{
    if (pipe(fds) != 0)
        return 1;
    sem_init(&never_posted, 0, 0);
    pthread_barrier_init(&release_target, NULL, 2);
    pthread_create(&join_target, NULL, target, NULL);

    const char *r = cancel_it(in_cond_wait);
    printf("cond_wait: %s, cleanup %s\n", r, cleanup_ran ? "ran" : "did not run");
    printf("sem_wait: %s\n", cancel_it(in_sem_wait));
    printf("join: %s\n", cancel_it(in_join));
    printf("sleep: %s\n", cancel_it(in_sleep));
    printf("read: %s\n", cancel_it(in_read));
    printf("testcancel: %s\n", cancel_it(in_testcancel));

    int free_now = pthread_mutex_trylock(&m) == 0;
    if (free_now)
        pthread_mutex_unlock(&m);
    printf("mutex free after cleanup: %s\n", free_now ? "yes" : "no");
    /* the cancelled joiner did not join the target: we still can */
    pthread_barrier_wait(&release_target);
    printf("joined target: %d\n", pthread_join(join_target, NULL));
    return 0;
}
