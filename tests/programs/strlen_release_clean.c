/* strlen_release_clean.c: twin of strlen_release_race.c.  The same calls
 * in the same order, but the last measure and compare are made before the
 * unlock: the writer, which takes the mutex after it, is ordered after
 * every read of the reader. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
    length += strlen(name); /* @len_after */
    equal += strcmp(word, key) == 0; /* @cmp_after */
    pthread_mutex_unlock(&lock);
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
