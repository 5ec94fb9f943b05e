/* thread_clean.c: twin of thread_misuse.c: 200 threads created and joined
 * one after another (glibc hands the same pthread_t out again: a reused
 * value is the new thread's), threads detached once (by their creator, by
 * themselves), a thread joined by another thread than its creator, and
 * main's own pthread_t joined by nobody.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=joined 200, reused yes\ndone\n
// RACEWATCH-EXPECT: clean
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t target;

static void *nothing(void *arg)
{
    return arg;
}

static void *self_detach(void *arg)
{
    pthread_detach(pthread_self());
    return arg;
}

static void *joiner(void *arg)
{
    pthread_join(target, NULL);
    return arg;
}

int main(void)
{
    pthread_t first, t;
    int joined = 0, reused = 0;
    pthread_create(&first, NULL, nothing, NULL);
    pthread_join(first, NULL);
    joined++;
    for (int i = 1; i < 200; i++) {
        pthread_create(&t, NULL, nothing, NULL);
        if (pthread_equal(t, first))
            reused = 1;
        pthread_join(t, NULL);
        joined++;
    }
    printf("joined %d, reused %s\n", joined, reused ? "yes" : "no");

    pthread_create(&t, NULL, nothing, NULL);
    pthread_detach(t);
    pthread_create(&t, NULL, self_detach, NULL);
    pthread_create(&target, NULL, nothing, NULL);
    pthread_t j;
    pthread_create(&j, NULL, joiner, NULL);
    pthread_join(j, NULL);
    usleep(20 * 1000); /* the detached threads end */
    printf("done\n");
    return 0;
}
