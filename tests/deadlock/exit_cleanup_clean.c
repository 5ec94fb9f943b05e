/* exit_cleanup_clean.c: threads that leave holding a lock which is
 * released at their real end, and a robust mutex whose owner's death is
 * the protocol.  Twin: exit_holding_cleanup.c.
 *   - a thread calls pthread_exit holding m; its cleanup handler
 *     (pthread_cleanup_push) unlocks it;
 *   - a thread cancelled in pthread_cond_wait: the wait re-takes the
 *     mutex, the cleanup handler unlocks it; main then destroys the
 *     condition variable (nobody waits on it any more);
 *   - a thread returns holding m; a thread-specific data destructor
 *     unlocks it;
 *   - a thread dies holding a robust mutex after writing `shared`; main,
 *     blocked in pthread_mutex_lock, gets EOWNERDEAD, reads `shared` (the
 *     owner's death orders it), makes the mutex consistent and unlocks. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=pthread_exit: cleanup unlocked\ncancelled wait: cleanup unlocked\ndestructor: unlocked\nrobust: EOWNERDEAD, shared 42, consistent\n
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t robust;
static pthread_key_t unlock_key;
static atomic_int waiting, locked_robust;
static int shared;

static void unlock_m(void *arg)
{
    pthread_mutex_unlock(arg);
}

static void *exits_holding(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_m, &m);
    pthread_exit(arg);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *waits_for_ever(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_m, &m);
    atomic_store(&waiting, 1);
    for (;;)
        pthread_cond_wait(&c, &m);
    pthread_cleanup_pop(0);
    return arg;
}

static void *returns_holding(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_setspecific(unlock_key, &m);
    return arg;
}

static void *dies_holding_robust(void *arg)
{
    pthread_mutex_lock(&robust);
    atomic_store_explicit(&locked_robust, 1, memory_order_relaxed);
    usleep(50 * 1000);
    shared = 42;
    return arg;
}

static const char *free_now(void)
{
    if (pthread_mutex_trylock(&m) != 0)
        return "still locked";
    pthread_mutex_unlock(&m);
    return "unlocked";
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, exits_holding, NULL);
    pthread_join(t, NULL);
    printf("pthread_exit: cleanup %s\n", free_now());

    pthread_create(&t, NULL, waits_for_ever, NULL);
    while (!atomic_load(&waiting))
        usleep(1000);
    usleep(50 * 1000); /* asleep in the wait (racewatch's grace is 10 ms) */
    pthread_cancel(t);
    pthread_join(t, NULL);
    pthread_cond_destroy(&c);
    printf("cancelled wait: cleanup %s\n", free_now());

    pthread_key_create(&unlock_key, unlock_m);
    pthread_create(&t, NULL, returns_holding, NULL);
    pthread_join(t, NULL);
    printf("destructor: %s\n", free_now());

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_create(&t, NULL, dies_holding_robust, NULL);
    while (!atomic_load_explicit(&locked_robust, memory_order_relaxed))
        usleep(1000);
    int r = pthread_mutex_lock(&robust);
    int seen = shared;
    int made = r == EOWNERDEAD && pthread_mutex_consistent(&robust) == 0;
    pthread_mutex_unlock(&robust);
    pthread_join(t, NULL);
    printf("robust: %s, shared %d, %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : "?", seen,
           made ? "consistent" : "?");
    return 0;
}
