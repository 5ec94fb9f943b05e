/* bytes_race.c: byte precision.  Eight owner threads each write their OWN
 * byte of one 8-byte word, over and over (no race among them).  An intruder
 * thread also writes byte 3, which belongs to owner 3: the only race.
 * Owner 3 writes early and stops; the others keep the word busy before the
 * intruder comes, which evicts owner 3's access from ThreadSanitizer's four
 * shadow cells per word, so ThreadSanitizer usually misses this race.
 * Twin: bytes_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @own @intrude
// RACEWATCH-EXPECT: location=global word
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define OWNERS 8
#define ROUNDS 200

_Alignas(8) char word[OWNERS];

static void *owner(void *arg)
{
    int id = (int)(long)arg;
    int rounds = id == 3 ? 1 : ROUNDS;
    if (id != 3)
        usleep(5000);
    for (int k = 0; k < rounds; k++) {
        word[id] = (char)k; /* @own */
        __asm__ volatile("" ::: "memory"); /* keep every store */
    }
    return NULL;
}

static void *intruder(void *arg)
{
    (void)arg;
    usleep(30000);
    word[3] = 'X'; /* @intrude */
    return NULL;
}

int main(void)
{
    pthread_t t[OWNERS], in;
    for (long i = 0; i < OWNERS; i++)
        pthread_create(&t[i], NULL, owner, (void *)i);
    pthread_create(&in, NULL, intruder, NULL);
    for (int i = 0; i < OWNERS; i++)
        pthread_join(t[i], NULL);
    pthread_join(in, NULL);
    printf("done\n");
    return 0;
}
