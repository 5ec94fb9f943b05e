/* test_clean.c: the same test done right: the increments hold a mutex. */
#include <pthread.h>
#include <stdio.h>

static int hits;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *hit(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    hits++;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, hit, NULL);
    pthread_create(&b, NULL, hit, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    if (hits != 2) {
        printf("FAIL: hits = %d\n", hits);
        return 1;
    }
    printf("ok\n");
    return 0;
}
