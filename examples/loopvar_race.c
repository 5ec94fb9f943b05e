/* loopvar_race.c: "Concurrency Gotcha #1" of the seed on Go's concurrency
 * fundamentals (001), also "Using closures with goroutines in a loop" in
 * the seed "Go Concurrency" (002): each thread is handed the loop variable
 * itself (a closure capturing `ph`, here a pointer to it), not its value.
 * Main goes on assigning it while the threads read it: a data race
 * (exit 66), and which names get printed depends on timing.  So this
 * version only counts the threads; loopvar_fixed.c passes each its own copy.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=5 goroutines ran
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @assign @read
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define N 5

static const char *const greeks[N] = {
    "Heraclitus", "Plato", "Socrates", "Aristotle", "Pythagoras",
};

static rw_waitgroup wg;
static pthread_mutex_t ran_mu = PTHREAD_MUTEX_INITIALIZER;
static int ran;

/* go func() { fmt.Println(ph) }(): the closure sees the variable */
static void *printer(void *arg)
{
    const char *const *ph = arg;
    const char *name = *ph; /* @read */
    pthread_mutex_lock(&ran_mu);
    if (name)               /* the seed prints it: whatever it is by now */
        ran++;
    pthread_mutex_unlock(&ran_mu);
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    const char *ph;         /* one variable for the whole loop, as in Go < 1.22 */
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        ph = greeks[i]; /* @assign */
        rw_waitgroup_add(&wg, 1);
        pthread_create(&t[i], NULL, printer, &ph);
    }
    rw_waitgroup_wait(&wg);
    pthread_mutex_lock(&ran_mu);
    printf("%d goroutines ran\n", ran);
    pthread_mutex_unlock(&ran_mu);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    return 0;
}
