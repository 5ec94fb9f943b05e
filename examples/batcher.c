/* batcher.c: the batching buffer that ends the seed on handling
 * concurrency in Go (004): Add appends an item to a buffer under a mutex;
 * a full buffer (10 items) is handed to Dump at once, and a timer dumps
 * whatever is left once the buffer has gone IDLE_MS without an Add ("enough
 * time has passed without an action on it").
 *
 * In C: a pthread mutex and condition variable, and a timer thread that
 * sleeps in pthread_cond_timedwait until the deadline each Add pushes
 * back.  A producer thread adds 24 items back to back, so two dumps come
 * from a full buffer and the last four items from the timer; the timer
 * tells main on a channel, and main shuts it down.  The output is fixed as
 * long as the 24 Adds are not IDLE_MS (0.5 s) apart.  racewatch is silent
 * (a timed wait is never counted as asleep).
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=dump 1 (buffer full): 0 1 2 3 4 5 6 7 8 9
// RACEWATCH-EXPECT: out=dump 2 (buffer full): 10 11 12 13 14 15 16 17 18 19
// RACEWATCH-EXPECT: out=dump 3 (timer): 20 21 22 23
// RACEWATCH-EXPECT: out=24 items in 3 dumps
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <racewatch/concurrency.h>

#define BATCH_SIZE 10
#define IDLE_MS 500
#define NITEMS 24

typedef struct batcher {
    pthread_mutex_t mu;
    pthread_cond_t cond;            /* on CLOCK_MONOTONIC: Add re-arms the timer */
    int tasks[BATCH_SIZE];
    int len;
    bool armed;                     /* items are waiting for the timer */
    struct timespec deadline;
    bool closing;
    int dumps, dumped;
    rw_chan *timer_fired;           /* the timer's dumps, for main */
} batcher;

static batcher b;

/* Dump: hand the buffered items on (here: print them).  b.mu held. */
static void dump(const char *why)
{
    printf("dump %d (%s):", ++b.dumps, why);
    for (int i = 0; i < b.len; i++)
        printf(" %d", b.tasks[i]);
    printf("\n");
    b.dumped += b.len;
    b.len = 0;
    b.armed = false;
}

static void add(int item)
{
    pthread_mutex_lock(&b.mu);
    b.tasks[b.len++] = item;
    if (b.len == BATCH_SIZE) {
        dump("buffer full");
    } else {
        clock_gettime(CLOCK_MONOTONIC, &b.deadline);
        b.deadline.tv_nsec += IDLE_MS * 1000000L;
        b.deadline.tv_sec += b.deadline.tv_nsec / 1000000000L;
        b.deadline.tv_nsec %= 1000000000L;
        b.armed = true;
        pthread_cond_signal(&b.cond);
    }
    pthread_mutex_unlock(&b.mu);
}

static bool deadline_passed(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > b.deadline.tv_sec ||
           (now.tv_sec == b.deadline.tv_sec && now.tv_nsec >= b.deadline.tv_nsec);
}

static void *timer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b.mu);
    while (!b.closing) {
        if (!b.armed) {
            pthread_cond_wait(&b.cond, &b.mu);
        } else if (pthread_cond_timedwait(&b.cond, &b.mu, &b.deadline) == ETIMEDOUT &&
                   b.armed && deadline_passed()) {
            dump("timer");
            int n = b.dumps;
            rw_chan_try_send(b.timer_fired, &n);    /* buffered: never waits */
        }
    }
    pthread_mutex_unlock(&b.mu);
    return NULL;
}

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < NITEMS; i++)
        add(i);
    return NULL;
}

int main(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b.cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&b.mu, NULL);
    b.timer_fired = rw_chan_make(sizeof(int), 1);

    pthread_t tt, pt;
    pthread_create(&tt, NULL, timer, NULL);
    pthread_create(&pt, NULL, producer, NULL);
    pthread_join(pt, NULL);
    int n;
    rw_chan_recv(b.timer_fired, &n, NULL);  /* the timer dumped the rest */

    pthread_mutex_lock(&b.mu);
    b.closing = true;
    pthread_cond_signal(&b.cond);
    pthread_mutex_unlock(&b.mu);
    pthread_join(tt, NULL);
    printf("%d items in %d dumps\n", b.dumped, b.dumps);
    rw_chan_free(b.timer_fired);
    return 0;
}
