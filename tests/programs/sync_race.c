/* sync_race.c: the legacy __sync builtins.  A test-and-set spinlock
 * (__sync_lock_test_and_set / __sync_lock_release) guards `total`; the
 * second thread adds without taking it.  Twin: sync_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @add @add
// RACEWATCH-EXPECT: location=global total
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int total;
static int lock_word;
static int ops; /* only touched with __sync_fetch_and_add: never races */

static void add(int v)
{
    total += v; /* @add */
    __sync_fetch_and_add(&ops, 1);
}

static void *locker(void *arg)
{
    (void)arg;
    while (__sync_lock_test_and_set(&lock_word, 1))
        ;
    add(1);
    __sync_lock_release(&lock_word);
    return NULL;
}

static void *forgetful(void *arg)
{
    (void)arg;
    add(2);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, locker, NULL);
    pthread_create(&b, NULL, forgetful, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
