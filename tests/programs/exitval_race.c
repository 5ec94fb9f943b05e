/* exitval_race.c: the end of a thread (return or pthread_exit) releases only
 * to the thread that JOINS it.  Thread A leaves through pthread_exit after
 * storing its result; thread B, which never joins A, reads it.
 * Twin: exitval_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @answer_w @answer_r
// RACEWATCH-EXPECT: location=global answer
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int answer;

static void finish(int v)
{
    answer = v; /* @answer_w */
    pthread_exit(NULL);
}

static void *thread_a(void *arg)
{
    (void)arg;
    finish(42);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    usleep(50000);
    use(answer); /* @answer_r */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
