/* lockorder_abba.c: one thread takes a then b, a later thread (started
 * after the first was joined, so the run never deadlocks) takes b then a.
 * A potential deadlock: reported once with both edges' stacks, the program
 * runs on and exits 66.  Twins: lockorder_consistent_clean.c,
 * lockorder_trylock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: first-line===================
// RACEWATCH-EXPECT: inversions=1
// RACEWATCH-EXPECT: cycle=2
// RACEWATCH-EXPECT: edge 2 @ab_lock_b @ab_lock_a
// RACEWATCH-EXPECT: edge 3 @ba_lock_a @ba_lock_b
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static int shared;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a); /* @ab_lock_a */
    pthread_mutex_lock(&b); /* @ab_lock_b */
    shared++;
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *take_ba(void *arg)
{
    pthread_mutex_lock(&b); /* @ba_lock_b */
    pthread_mutex_lock(&a); /* @ba_lock_a */
    shared++;
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, take_ab, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, take_ba, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
