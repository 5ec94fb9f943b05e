/* stack_clean.c: twin of stack_race.c.  main joins before reading its local;
 * a worker also fills an array on its own stack and hands a pointer into it
 * to a helper thread it creates after filling and joins before returning. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=answer = 42\n
#include <pthread.h>
#include <stdio.h>

static void *summer(void *arg)
{
    int *v = arg;
    int s = 0;
    for (int i = 0; i < 8; i++)
        s += v[i];
    v[8] = s;
    return NULL;
}

static void *worker(void *arg)
{
    int *answer = arg;
    int local[9];
    for (int i = 0; i < 8; i++)
        local[i] = i;          /* 0+1+...+7 = 28 */
    pthread_t h;
    pthread_create(&h, NULL, summer, local);
    pthread_join(h, NULL);
    *answer = local[8] + 14;
    return NULL;
}

int main(void)
{
    int answer = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, &answer);
    pthread_join(t, NULL);
    printf("answer = %d\n", answer);
    return 0;
}
