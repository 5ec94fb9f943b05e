/* onethread_race.c: what the runtime may skip while a program has had
 * only one thread, and what it must not.  Before any thread exists, main
 * copies into a block, frees it and copies from it again: a use after
 * free, reported although no other thread exists yet (nothing is stored
 * for the copies then, but the free is).  Then main creates a reader and,
 * at once, copies into a shared buffer; the reader copies out of it once
 * main's copy is done (a relaxed flag: an execution order, no
 * happens-before), so the race needs main's copy made right after
 * pthread_create to be stored.  Twin: onethread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @copy_in @copy_out
// RACEWATCH-EXPECT: uafs=1
// RACEWATCH-EXPECT: uaf @use_own @free_own
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @copy_in @copy_out
// PRELOAD-EXPECT: uafs=1
// PRELOAD-EXPECT: uaf @use_own @free_own
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sizes hidden from the optimizer, so that each copy stays a call. */
static volatile size_t len = sizeof(int);
static volatile size_t shared_len = 48;

static char shared[64];
static char source[64] = "copied into the shared buffer by main";
static int copied; /* relaxed: orders execution, not memory */

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static void *reader(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&copied, __ATOMIC_RELAXED))
        usleep(100);
    char local[64];
    memcpy(local, shared, shared_len); /* @copy_out */
    use(local[5]);
    return NULL;
}

int main(void)
{
    int v = 7, got;
    int *own = malloc(16 * sizeof *own);
    memcpy(&own[2], &v, len);
    free(own); /* @free_own */
    memcpy(&got, &own[2], len); /* @use_own */
    use(got);

    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    memcpy(shared, source, shared_len); /* @copy_in */
    __atomic_store_n(&copied, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
