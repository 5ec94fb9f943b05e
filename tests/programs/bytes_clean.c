/* bytes_clean.c: twin of bytes_race.c.  The same eight owners of the eight
 * bytes of one word, all concurrent; the intruder joins owner 3 before
 * writing byte 3 (a join from a thread that is not the creator).  A detector
 * that tracks words rather than bytes reports false races here. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=word = 199 199 199 X 199 199 199 199\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define OWNERS 8
#define ROUNDS 200

_Alignas(8) char word[OWNERS];
static pthread_t t[OWNERS];

static void *owner(void *arg)
{
    int id = (int)(long)arg;
    for (int k = 0; k < ROUNDS; k++) {
        word[id] = (char)k;
        __asm__ volatile("" ::: "memory");
    }
    return NULL;
}

static void *intruder(void *arg)
{
    (void)arg;
    pthread_join(t[3], NULL);
    word[3] = 'X';
    return NULL;
}

int main(void)
{
    pthread_t in;
    for (long i = 0; i < OWNERS; i++)
        pthread_create(&t[i], NULL, owner, (void *)i);
    pthread_create(&in, NULL, intruder, NULL);
    for (int i = 0; i < OWNERS; i++)
        if (i != 3)
            pthread_join(t[i], NULL);
    pthread_join(in, NULL);
    printf("word =");
    for (int i = 0; i < OWNERS; i++) {
        if (word[i] == 'X')
            printf(" X");
        else
            printf(" %d", (unsigned char)word[i]);
    }
    printf("\n");
    return 0;
}
