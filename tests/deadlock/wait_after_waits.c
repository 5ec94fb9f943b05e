/* wait_after_waits.c: the stack of a wait is the stack of that wait, not of
 * the thread's earlier ones.  Main and a worker meet at a barrier 20 times
 * and take 20 turns each on a condition (both kinds of wait register with
 * the deadlock checks every time, their stacks kept only as the registers
 * each wait saved: runtime/wait_context.h).  Then main signals a second
 * condition before the worker waits on it (a lost signal: lost_signal.c)
 * and waits at a barrier the worker never reaches: all asleep, each thread
 * shown at its last wait, called through a helper.
 * Twin: wait_after_waits_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_barrier_wait] @last
// RACEWATCH-EXPECT: thread 2 [pthread_cond_wait] @wait from 1 @create
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turns = PTHREAD_COND_INITIALIZER;
static pthread_cond_t lost = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t meet, never;
static int turn;
static atomic_int signalled;

static void take_turns(int parity)
{
    for (int i = 0; i < 20; i++) {
        pthread_mutex_lock(&m);
        while (turn != 2 * i + parity)
            pthread_cond_wait(&turns, &m);
        turn++;
        pthread_cond_broadcast(&turns);
        pthread_mutex_unlock(&m);
    }
}

static __attribute__((noinline)) void wait_lost(void)
{
    pthread_mutex_lock(&m);
    pthread_cond_wait(&lost, &m); /* @wait */
    pthread_mutex_unlock(&m);
}

static void *worker(void *arg)
{
    for (int i = 0; i < 20; i++)
        pthread_barrier_wait(&meet);
    take_turns(1);
    while (!atomic_load_explicit(&signalled, memory_order_relaxed))
        usleep(1000);
    wait_lost();
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&meet, NULL, 2);
    pthread_barrier_init(&never, NULL, 2);
    pthread_create(&t, NULL, worker, NULL); /* @create */
    for (int i = 0; i < 20; i++)
        pthread_barrier_wait(&meet);
    take_turns(0);
    pthread_mutex_lock(&m);
    pthread_cond_signal(&lost);
    pthread_mutex_unlock(&m);
    atomic_store_explicit(&signalled, 1, memory_order_relaxed);
    pthread_barrier_wait(&never); /* @last */
    pthread_join(t, NULL);
    return 0;
}
