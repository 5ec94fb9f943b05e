/* unwind_fds_race.c: the runtime's stack walks open no descriptor the
 * program can see.  libunwind opens a pipe the first time it walks (it
 * validates addresses by writing them into it); under LD_PRELOAD the
 * joins below walk their stacks, and that pipe took the two lowest free
 * numbers: the program's next open() returned 5 instead of 3, and a
 * check of the open descriptors (CPython's test_pass_fds) found two it
 * never opened.  The runtime now moves that pipe above the first 1000
 * numbers (runtime/intercept_fd.c).  The program notes which of
 * descriptors 0-255 are open at its start, creates and joins threads,
 * and checks that the same ones are open and that open() returns the
 * lowest free number, as it did at the start.  The threads each copy
 * into a buffer with no lock: one race, whose report walks the stack
 * under LD_PRELOAD too.  Twin: unwind_fds_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @copy @copy
// PRELOAD-EXPECT: race @copy @copy
// RACEWATCH-EXPECT: location=global shared
// PRELOAD-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=same descriptors: yes\nsame lowest free: yes\n
// PRELOAD-EXPECT: stdout=same descriptors: yes\nsame lowest free: yes\n
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHECKED 256
#define THREADS 3

char shared[32];
size_t copy_len = 16; /* a non-constant size: memcpy stays a call */
static const char text[32] = "the runtime's fds";

static void open_set(char open_now[CHECKED])
{
    for (int fd = 0; fd < CHECKED; fd++)
        open_now[fd] = fcntl(fd, F_GETFD) != -1;
}

static int lowest_free(void)
{
    int fd = open("/dev/null", O_RDONLY);
    close(fd);
    return fd;
}

static void *worker(void *arg)
{
    memcpy(shared, text, copy_len); /* @copy */
    return arg;
}

int main(void)
{
    char before[CHECKED], after[CHECKED];
    open_set(before);
    int free_before = lowest_free();
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    open_set(after);
    int free_after = lowest_free();
    printf("same descriptors: %s\n", memcmp(before, after, CHECKED) == 0 ? "yes" : "no");
    printf("same lowest free: %s\n", free_before == free_after ? "yes" : "no");
    return 0;
}
