/* memcpy_inline_clean.c: twin of memcpy_inline_race.c.  The same inline
 * 32-byte copies, ordered by a mutex-protected "filled" flag. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=copied: thirty-one characters of text..\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LEN 32

/* larger than the copies: a whole-object copy would become an (instrumented)
 * aggregate assignment instead of an inline memcpy */
char shared[2 * LEN];
static int filled;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
    pthread_mutex_lock(&mu);
    memcpy(shared, arg, LEN);
    filled = 1;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *reader(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&mu);
        if (filled) {
            memcpy(arg, shared, LEN);
            pthread_mutex_unlock(&mu);
            return NULL;
        }
        pthread_mutex_unlock(&mu);
        usleep(1000);
    }
}

int main(void)
{
    static char source[LEN] = "thirty-one characters of text..";
    static char result[LEN];
    pthread_t w, r;
    pthread_create(&r, NULL, reader, result);
    pthread_create(&w, NULL, writer, source);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("copied: %.31s\n", result);
    return 0;
}
