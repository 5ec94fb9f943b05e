/* slotreuse_race.c: the earlier access of a race is by a thread that has
 * ended, and the thread that took over its slot has run far past the
 * slot's history since.  Its stack is still shown: a slot's history is
 * kept when the slot changes hands (docs/design.md).
 *   thread "writer" puts into buf and ends; main joins it;
 *   main starts "busy", which takes the writer's slot and makes 300,000
 *     calls and locks (more events than the default history); main joins it;
 *   thread "reader", started first and ordered by nothing, gets from buf:
 *     the race @put @get, with the put's stack.
 * A relaxed atomic flag holds the reader back without ordering memory.
 * Twin: slotreuse_clean.c (put and get under one mutex). */
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
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define CHURN 300000 /* more events than the default history (256K) */

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char buf[16];
size_t copy_len = 8;
char source[16] = "payload";

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

/* Events: a call and a lock each. */
__attribute__((noinline)) static void lock_own(void)
{
    pthread_mutex_lock(&own_lock);
    pthread_mutex_unlock(&own_lock);
}

static void *writer(void *arg)
{
    (void)arg;
    put();
    return NULL;
}

static void *busy(void *arg)
{
    (void)arg;
    for (int i = 0; i < CHURN; i++)
        lock_own();
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&go, memory_order_relaxed))
        sched_yield();
    get();
    return NULL;
}

int main(void)
{
    pthread_t r, w, b;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_create(&b, NULL, busy, NULL);
    pthread_join(b, NULL);
    atomic_store_explicit(&go, 1, memory_order_relaxed);
    pthread_join(r, NULL);
    printf("done\n");
    return 0;
}
