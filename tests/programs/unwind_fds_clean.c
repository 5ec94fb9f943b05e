/* unwind_fds_clean.c: the runtime's stack walks open no descriptor the
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
 * into a buffer under a mutex.  Twin: unwind_fds_race.c. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
static pthread_mutex_t copy_lock = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&copy_lock);
    memcpy(shared, text, copy_len);
    pthread_mutex_unlock(&copy_lock);
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
