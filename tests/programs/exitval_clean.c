/* exitval_clean.c: twin of exitval_race.c.  Thread A returns a heap result
 * through pthread_exit; thread B (not A's creator) joins A and reads it, then
 * returns it to main through its own join. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=answer = 42, checked by B\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct result {
    int answer;
    char checked_by[8];
};

static pthread_t a;

static void finish(struct result *r, int v)
{
    r->answer = v;
    pthread_exit(r);
}

static void *thread_a(void *arg)
{
    (void)arg;
    struct result *r = malloc(sizeof *r);
    finish(r, 42);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    void *ret;
    pthread_join(a, &ret);
    struct result *r = ret;
    if (r->answer == 42)
        strcpy(r->checked_by, "B");
    return r;
}

int main(void)
{
    pthread_t b;
    void *ret;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(b, &ret);
    struct result *r = ret;
    printf("answer = %d, checked by %s\n", r->answer, r->checked_by);
    free(r);
    return 0;
}
