/* ownevict_race.c: a thread's early read must not be forgotten when it
 * later fills the rest of its 8-byte word.  The shape of Phoenix 2.0's
 * word_count: main reads the bytes around a split point (occupying two
 * of the word's four shadow cells with accesses that happen before both
 * threads), then `reader` reads byte 5 (@read) and goes on reading and
 * writing bytes 6 and 7, which needs more cells; later `writer` ends its
 * portion by writing byte 5 (@write).  Nothing orders the two: the flag
 * is relaxed (tests/programs/README.md).  racewatch used to evict the
 * reader's own oldest cell (the read of byte 5) when the word was full,
 * and missed this race (it now moves a cell to the word's extension).
 * ThreadSanitizer, whose four cells per word lose one at random, misses
 * it here too (0 of 5 runs; it finds word_count's in every run).
 * Twin: ownevict_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @write
// RACEWATCH-EXPECT: location=global word
// RACEWATCH-EXPECT: stdout=done 0\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

_Alignas(8) char word[8] = "abcde fg";
static atomic_int reader_done;
static volatile char sink;

static void *reader(void *arg)
{
    (void)arg;
    volatile char *w = word;
    sink = w[5]; /* @read */
    for (int i = 6; i < 8; i++) {
        char c = w[i];
        w[i] = (char)(c - 'a' + 'A');
    }
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    volatile char *w = word;
    while (!atomic_load_explicit(&reader_done, memory_order_relaxed))
        usleep(1000);
    for (int i = 0; i < 5; i++) {
        char c = w[i];
        w[i] = (char)(c - 'a' + 'A');
    }
    w[5] = 0; /* @write */
    return NULL;
}

int main(void)
{
    volatile char *w = word;
    int spaces = 0;
    for (int i = 0; i < 6; i++) /* the splitter's look for a space */
        spaces += w[i] == ' ';
    pthread_t r, wr;
    pthread_create(&wr, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(r, NULL);
    pthread_join(wr, NULL);
    printf("done %d\n", word[5]);
    return spaces == 1 ? 0 : 1;
}
