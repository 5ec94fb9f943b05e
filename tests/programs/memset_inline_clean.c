/* memset_inline_clean.c: twin of memset_inline_race.c.  The inline memset
 * happens before pthread_create of the reader; a second inline memset runs
 * after joining it. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=seen 0, then 255\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

_Alignas(16) char buffer[32];
static int seen = -1;

static void *peeker(void *arg)
{
    (void)arg;
    seen = buffer[20];
    return NULL;
}

int main(void)
{
    for (int i = 0; i < 32; i++)
        buffer[i] = 'x';
    memset(buffer, 0, sizeof buffer);
    pthread_t b;
    pthread_create(&b, NULL, peeker, NULL);
    pthread_join(b, NULL);
    memset(buffer, 0xff, sizeof buffer);
    printf("seen %d, then %d\n", seen, (unsigned char)buffer[20]);
    return 0;
}
