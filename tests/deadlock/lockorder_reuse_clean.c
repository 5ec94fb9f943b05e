/* lockorder_reuse_clean.c: a lock destroyed and its memory reused is a new
 * lock.  Thread 2 takes x then b with x a heap mutex; x is destroyed and
 * freed; a new heap mutex y (malloc hands back the same block) is taken
 * after b by thread 3.  x => b and b => y are no cycle: no report. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static void *x_then_b(void *arg)
{
    pthread_mutex_t *x = arg;
    pthread_mutex_lock(x);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(x);
    return NULL;
}

static void *b_then_y(void *arg)
{
    pthread_mutex_t *y = arg;
    pthread_mutex_lock(&b);
    pthread_mutex_lock(y);
    pthread_mutex_unlock(y);
    pthread_mutex_unlock(&b);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (int round = 0; round < 3; round++) {
        pthread_mutex_t *x = malloc(sizeof *x);
        pthread_mutex_init(x, NULL);
        pthread_create(&t, NULL, x_then_b, x);
        pthread_join(t, NULL);
        pthread_mutex_destroy(x);
        free(x);
        pthread_mutex_t *y = malloc(sizeof *y);
        pthread_mutex_init(y, NULL);
        pthread_create(&t, NULL, b_then_y, y);
        pthread_join(t, NULL);
        pthread_mutex_destroy(y);
        free(y);
    }
    printf("done\n");
    return 0;
}
