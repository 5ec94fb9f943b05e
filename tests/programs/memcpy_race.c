/* memcpy_race.c: memcpy into a shared buffer while another thread memcpy's
 * out of it (sizes not known at compile time, so both are library calls the
 * runtime intercepts).  Twin: memcpy_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @copy_in @copy_out
// PRELOAD-EXPECT: race @copy_in @copy_out
// RACEWATCH-EXPECT: location=global shared
// PRELOAD-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char shared[64];
size_t copy_len = 40; /* a non-constant size: memcpy stays a call */
char source[64] = "the quick brown fox jumps over the dog";

static void *writer(void *arg)
{
    (void)arg;
    memcpy(shared, source, copy_len); /* @copy_in */
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    char local[64];
    memcpy(local, shared, copy_len); /* @copy_out */
    use(local[3]);
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
