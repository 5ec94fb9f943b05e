/* memset_inline_race.c: a fixed-size memset (32 bytes), expanded inline by
 * gcc -O1 and left uninstrumented under -fsanitize=thread, races with a
 * plain read of one of the bytes it clears.  ThreadSanitizer misses it;
 * racewatch-cc must keep the memset visible.  Twin: memset_inline_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @clear @peek
// RACEWATCH-EXPECT: location=global buffer
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

_Alignas(16) char buffer[32];

static void *clearer(void *arg)
{
    (void)arg;
    memset(buffer, 0, sizeof buffer); /* @clear */
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    use(buffer[20]); /* @peek */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, clearer, NULL);
    pthread_create(&b, NULL, peeker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
