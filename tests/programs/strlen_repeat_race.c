/* strlen_repeat_race.c: strlen calls repeated on the same strings (the
 * second and later ones answered inline by the caller's exact entries,
 * runtime/range_seen.h, without entering the runtime) race with another
 * thread's strcpy into them, in both orders:
 *   name_a: the reader measures it many times, then the writer copies
 *     into it;
 *   name_b: the writer copies into it first, then the reader measures it
 *     many times.
 * Relaxed atomic flags order the two without ordering memory.
 * Twin: strlen_repeat_clean.c (every access under one mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// PRELOAD-EXPECT: races=2
// RACEWATCH-EXPECT: race @len_a @copy_a
// PRELOAD-EXPECT: race @len_a @copy_a
// RACEWATCH-EXPECT: race @len_b @copy_b
// PRELOAD-EXPECT: race @len_b @copy_b
// RACEWATCH-EXPECT: stdout=length 1400\n
// PRELOAD-EXPECT: stdout=length 1400\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name_a[32] = "initial";
char name_b[32] = "initial";
char new_name[32] = "renamed";

static atomic_int reader_done, writer_done;
static size_t length;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

/* Each call is made: the compiler may not reuse an earlier length. */
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

__attribute__((noinline)) static size_t measure_a(void)
{
    return strlen(name_a); /* @len_a */
}

__attribute__((noinline)) static size_t measure_b(void)
{
    return strlen(name_b); /* @len_b */
}

static void *reader(void *arg)
{
    (void)arg;
    for (int round = 0; round < 100; round++) {
        length += measure_a();
        barrier();
    }
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    wait_for(&writer_done);
    for (int round = 0; round < 100; round++) {
        length += measure_b();
        barrier();
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    strcpy(name_b, new_name); /* @copy_b */
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    wait_for(&reader_done);
    strcpy(name_a, new_name); /* @copy_a */
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("length %zu\n", length);
    return 0;
}
