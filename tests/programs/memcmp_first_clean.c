/* memcmp_first_clean.c: twin of memcmp_first_race.c.  The same calls in
 * the same order, each thread's under one mutex: the write of byte 4 and
 * the compares that read it are ordered. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=results -1 -1 -1\n
// PRELOAD-EXPECT: stdout=results -1 -1 -1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char name[16] = "strings";
char short_key[16] = "stx";  /* shares "st": reads bytes 0-2 */
char long_key[16] = "strinx"; /* shares "strin": reads bytes 0-5 */
size_t one = 1;               /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int written;
static int results[3];

__attribute__((noinline)) static int compare_short(void)
{
    return memcmp(name, short_key, 8);
}

__attribute__((noinline)) static int compare_long(void)
{
    return memcmp(name, long_key, 8);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&written, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    results[0] = sign(compare_short());
    results[1] = sign(compare_short());
    results[2] = sign(compare_long());
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    memcpy(name + 4, "n", one);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&written, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("results %d %d %d\n", results[0], results[1], results[2]);
    return 0;
}
