/* io_print_race.c: two threads that both print (printf, puts, and write()
 * to descriptor 1) and both store into one global, with nothing else
 * between them: printing does not synchronize (glibc's stream lock and
 * the kernel order the output, not the program's memory, for the
 * detector as for ThreadSanitizer), so the stores race.  The second
 * thread prints after the first (a relaxed flag orders execution only),
 * so stdout is exact.  Both modes (the stores are memcpy calls, which
 * LD_PRELOAD sees).  Twin: io_print_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @store_a @store_b
// RACEWATCH-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=a 1\nA\nA2\nb 2\nB\nB2\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @store_a @store_b
// PRELOAD-EXPECT: location=global shared
// PRELOAD-EXPECT: stdout=a 1\nA\nA2\nb 2\nB\nB2\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int shared;
static volatile size_t len = sizeof(int);
static atomic_int printed;

static void print_all(const char *tag, int v, const char *line, const char *raw)
{
    printf("%s %d\n", tag, v);
    puts(line);
    fflush(stdout);
    if (write(1, raw, strlen(raw)) < 0)
        _exit(1);
}

static void *first(void *arg)
{
    int v = 1;
    memcpy(&shared, &v, len); /* @store_a */
    print_all("a", v, "A", "A2\n");
    atomic_store_explicit(&printed, 1, memory_order_relaxed);
    return arg;
}

static void *second(void *arg)
{
    int v = 2;
    while (!atomic_load_explicit(&printed, memory_order_relaxed))
        usleep(1000);
    print_all("b", v, "B", "B2\n");
    memcpy(&shared, &v, len); /* @store_b */
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, first, NULL);
    pthread_create(&b, NULL, second, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
