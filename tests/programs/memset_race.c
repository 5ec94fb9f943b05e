/* memset_race.c: one thread clears a shared buffer with memset (a size not
 * known at compile time: a library call) while another reads a byte of it.
 * Twin: memset_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @clear @peek
// RACEWATCH-EXPECT: location=global buffer
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buffer[128];
size_t clear_len = 100;

static void *clearer(void *arg)
{
    (void)arg;
    memset(buffer, 0, clear_len); /* @clear */
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    use(buffer[50]); /* @peek */
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
