/* memcpy_inline_race.c: fixed-size 32-byte memcpy calls, which gcc -O1
 * expands inline (vector moves, no call) and, under -fsanitize=thread,
 * leaves uninstrumented: ThreadSanitizer never sees these accesses.
 * racewatch-cc must keep them visible.  Twin: memcpy_inline_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @copy_in @copy_out
// RACEWATCH-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LEN 32

/* larger than the copies: a whole-object copy would become an (instrumented)
 * aggregate assignment instead of an inline memcpy */
char shared[2 * LEN];

static void *writer(void *arg)
{
    memcpy(shared, arg, LEN); /* @copy_in */
    return NULL;
}

static void *reader(void *arg)
{
    memcpy(arg, shared, LEN); /* @copy_out */
    return NULL;
}

int main(void)
{
    static char source[LEN] = "thirty-one characters of text..";
    static char result[LEN];
    pthread_t w, r;
    pthread_create(&w, NULL, writer, source);
    pthread_create(&r, NULL, reader, result);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
