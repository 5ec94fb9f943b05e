/* loopvar_fixed.c: the seeds' fix of loopvar_race.c (001, 002): "pass a
 * copy of ph to our anonymous func" -- each thread gets the value of the
 * loop variable at its iteration (here its index, passed by value) and
 * writes what it would print into its own slot; main prints the slots
 * after the wait group's Wait.  racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=Heraclitus
// RACEWATCH-EXPECT: out=Plato
// RACEWATCH-EXPECT: out=Socrates
// RACEWATCH-EXPECT: out=Aristotle
// RACEWATCH-EXPECT: out=Pythagoras
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define N 5

static const char *const greeks[N] = {
    "Heraclitus", "Plato", "Socrates", "Aristotle", "Pythagoras",
};

static rw_waitgroup wg;
static const char *printed[N];

/* go func(ph string) { fmt.Println(ph) }(ph): the closure gets a copy */
static void *printer(void *arg)
{
    int i = (int)(long)arg;         /* the copy */
    printed[i] = greeks[i];
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++) {
        rw_waitgroup_add(&wg, 1);
        pthread_create(&t[i], NULL, printer, (void *)i);
    }
    rw_waitgroup_wait(&wg);
    for (int i = 0; i < N; i++)
        printf("%s\n", printed[i]);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    return 0;
}
