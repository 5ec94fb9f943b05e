/* ownevict_clean.c: ownevict_race.c's twin.  The same accesses to one
 * 8-byte word (main's reads around the split point, the reader's read of
 * byte 5 and its writes of bytes 6 and 7, the writer's writes of bytes
 * 0-5), but the reader publishes its end with a release store that the
 * writer acquires: every access of the reader happens before the
 * writer's.  Must be silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done 0\n
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
    sink = w[5];
    for (int i = 6; i < 8; i++) {
        char c = w[i];
        w[i] = (char)(c - 'a' + 'A');
    }
    atomic_store_explicit(&reader_done, 1, memory_order_release);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    volatile char *w = word;
    while (!atomic_load_explicit(&reader_done, memory_order_acquire))
        usleep(1000);
    for (int i = 0; i < 5; i++) {
        char c = w[i];
        w[i] = (char)(c - 'a' + 'A');
    }
    w[5] = 0;
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
