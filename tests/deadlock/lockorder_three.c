/* lockorder_three.c: three threads, one after another, take (a, b), (b, c)
 * and (c, a): no pair is inverted, but the three edges make a cycle
 * a => b => c => a.  Reported once, with the three edges.  Then main takes
 * a then b many times (an edge already known: no new report). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=done\n
// RACEWATCH-EXPECT: inversions=1
// RACEWATCH-EXPECT: cycle=3
// RACEWATCH-EXPECT: edge 2 @ab_b @ab_a
// RACEWATCH-EXPECT: edge 3 @bc_c @bc_b
// RACEWATCH-EXPECT: edge 4 @ca_a @ca_c
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a); /* @ab_a */
    pthread_mutex_lock(&b); /* @ab_b */
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *take_bc(void *arg)
{
    pthread_mutex_lock(&b); /* @bc_b */
    pthread_mutex_lock(&c); /* @bc_c */
    pthread_mutex_unlock(&c);
    pthread_mutex_unlock(&b);
    return arg;
}

static void *take_ca(void *arg)
{
    pthread_mutex_lock(&c); /* @ca_c */
    pthread_mutex_lock(&a); /* @ca_a */
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&c);
    return arg;
}

int main(void)
{
    void *(*fns[3])(void *) = { take_ab, take_bc, take_ca };
    for (int i = 0; i < 3; i++) {
        pthread_t t;
        pthread_create(&t, NULL, fns[i], NULL);
        pthread_join(t, NULL);
    }
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
    }
    printf("done\n");
    return 0;
}
