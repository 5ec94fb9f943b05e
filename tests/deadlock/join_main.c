/* join_main.c: a thread joins the main thread while main joins it.  Main
 * publishes its pthread_self() before creating the thread; neither join
 * can ever return (glibc 2.36 does not catch it: both wait for ever).
 * Every thread is asleep.  Twin: join_main_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join_child
// RACEWATCH-EXPECT: thread 2 [pthread_join] @join_main from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_t main_thread;

static void *child(void *arg)
{
    pthread_join(main_thread, NULL); /* @join_main */
    return arg;
}

int main(void)
{
    main_thread = pthread_self();
    pthread_t t;
    pthread_create(&t, NULL, child, NULL); /* @create */
    pthread_join(t, NULL); /* @join_child */
    return 0;
}
