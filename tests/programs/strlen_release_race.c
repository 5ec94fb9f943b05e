/* strlen_release_race.c: a release ends the reader's era (runtime/
 * range_seen.h: the era stamp, one compare with the thread's last release
 * + 1).  The reader measures name and compares word many times under a
 * mutex (the later calls answered by its exact entries), unlocks, and
 * measures and compares them once more: those two reads are after the
 * release, so the writer, which takes the mutex after it and then copies
 * into both strings, is not ordered after them.  Were the era kept across
 * the release, both later reads would be answered by the entries of the
 * earlier ones and no race reported.
 * A relaxed flag orders the two in time without ordering memory.
 * Twin: strlen_release_clean.c (the later reads before the unlock). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// PRELOAD-EXPECT: races=2
// RACEWATCH-EXPECT: race @len_after @copy_name
// PRELOAD-EXPECT: race @len_after @copy_name
// RACEWATCH-EXPECT: race @cmp_after @copy_word
// PRELOAD-EXPECT: race @cmp_after @copy_word
// RACEWATCH-EXPECT: stdout=length 707 equal 101\n
// PRELOAD-EXPECT: stdout=length 707 equal 101\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name[32] = "initial";
char word[32] = "keyword";
char key[32] = "keyword";
char new_text[32] = "renamed";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int reader_done;
static size_t length;
static int equal;

/* Each call is made: the compiler may not reuse an earlier result. */
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

__attribute__((noinline)) static size_t measure(void)
{
    return strlen(name); /* @len_before */
}

__attribute__((noinline)) static int compare(void)
{
    return strcmp(word, key) == 0; /* @cmp_before */
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++) {
        length += measure();
        equal += compare();
        barrier();
    }
    pthread_mutex_unlock(&lock);
    length += strlen(name); /* @len_after */
    equal += strcmp(word, key) == 0; /* @cmp_after */
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&reader_done, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    strcpy(name, new_text); /* @copy_name */
    strcpy(word, new_text); /* @copy_word */
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("length %zu equal %d\n", length, equal);
    return 0;
}
