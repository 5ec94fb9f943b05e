/* history_race.c: the earlier access of a race lies far back in its
 * thread's history, and its stack is still shown at the default
 * history_size.
 *   thread "writer" puts into buf, then makes 100,000 calls of a small
 *     function that reads one global (recorded once: the calls store
 *     nothing after the first), writes 40,000 words of its own array, and
 *     takes and releases a mutex 140,000 times; then it lets the reader go;
 *   thread "reader", ordered by nothing, gets from buf: the race @put @get,
 *     with the put's stack.
 * Before the history was made denser the put was 380,000 events back
 * (instrumented; 140,000 under LD_PRELOAD, where only the locks are
 * events) in a history of 128K: "[failed to restore the stack]".  Now the
 * calls that stored nothing leave no events and the ring holds 256K
 * 4-byte events (docs/design.md, "Function entry and exit, and the
 * history").  A relaxed atomic flag holds the reader back without
 * ordering memory.  Twin: history_clean.c (put and get under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @put @get
// PRELOAD-EXPECT: race @put @get
// RACEWATCH-EXPECT: location=global buf
// PRELOAD-EXPECT: location=global buf
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CALLS 100000
#define WORDS 40000
#define LOCKS 140000 /* more events than the former history (128K) alone */

static inline void use(long v) { __asm__ volatile("" : : "r"(v)); }

char buf[16];
size_t copy_len = 8;
char source[16] = "payload";
long scale = 3;
long own_words[WORDS];

static atomic_int go;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void put(void)
{
    memcpy(buf, source, copy_len); /* @put */
}

__attribute__((noinline)) static void get(void)
{
    char local[16];
    memcpy(local, buf, copy_len); /* @get */
    use(local[1]);
}

__attribute__((noinline)) static long scaled(long i)
{
    return i * scale;
}

static void *writer(void *arg)
{
    (void)arg;
    put();
    long sum = 0;
    for (long i = 0; i < CALLS; i++)
        sum += scaled(i);
    use(sum);
    for (long i = 0; i < WORDS; i++)
        own_words[i] = i;
    for (int i = 0; i < LOCKS; i++) {
        pthread_mutex_lock(&own_lock);
        pthread_mutex_unlock(&own_lock);
    }
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&go, memory_order_relaxed))
        usleep(1000);
    get();
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
