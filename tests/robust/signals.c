/* signals.c: signal handlers in a threaded program.  SIGUSR1 is sent to
 * each worker with pthread_kill while it waits on a condition variable (the
 * wait goes on); a sigwait thread takes SIGUSR2 sent to the process; a
 * SIGALRM without SA_RESTART interrupts a read() (EINTR) and a sem_wait
 * (EINTR); SIGCHLD arrives from a child; raise(SIGTERM) runs its handler.
 * Exits with the number of handled signals (9). */
// ROBUST: exit=9
// ROBUST: stdout=usr1 handled by 3 workers\nsigwait got SIGUSR2\nread: EINTR\nsem_wait: EINTR\nchild reaped after SIGCHLD\nraise(SIGTERM) handled\n
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* lock-free atomics: async-signal-safe, and race-free across the threads
 * whose handlers update them */
static atomic_int usr1_count, alrm_count, chld_count, term_count;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int go, waiting;

static void on_usr1(int s) { (void)s; atomic_fetch_add(&usr1_count, 1); }
static void on_alrm(int s) { (void)s; atomic_fetch_add(&alrm_count, 1); }
static void on_chld(int s) { (void)s; atomic_fetch_add(&chld_count, 1); }
static void on_term(int s) { (void)s; atomic_fetch_add(&term_count, 1); }

static void handle(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void *worker(void *arg)
{
    pthread_mutex_lock(&m);
    waiting++;
    pthread_cond_broadcast(&c);
    while (!go)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

static void *waiter(void *arg)
{
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigwait(&set, &sig);
    *(int *)arg = sig;
    return NULL;
}

static void alarm_in(int ms)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = ms / 1000;
    it.it_value.tv_usec = (ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    handle(SIGUSR1, on_usr1, SA_RESTART);
    handle(SIGALRM, on_alrm, 0);
    handle(SIGCHLD, on_chld, SA_RESTART);
    handle(SIGTERM, on_term, SA_RESTART);

    /* SIGUSR2 goes to the sigwait thread only */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int got = 0;
    pthread_t sw;
    pthread_create(&sw, NULL, waiter, &got);

    pthread_t w[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&w[i], NULL, worker, NULL);
    pthread_mutex_lock(&m);
    while (waiting < 3)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 3; i++)
        pthread_kill(w[i], SIGUSR1);
    while (atomic_load(&usr1_count) < 3)
        usleep(1000);
    pthread_mutex_lock(&m);
    go = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 3; i++)
        pthread_join(w[i], NULL);
    printf("usr1 handled by %d workers\n", atomic_load(&usr1_count));

    kill(getpid(), SIGUSR2);
    pthread_join(sw, NULL);
    printf("sigwait got %s\n", got == SIGUSR2 ? "SIGUSR2" : "?");

    int fds[2];
    char ch;
    if (pipe(fds) != 0)
        return 100;
    alarm_in(100);
    ssize_t r = read(fds[0], &ch, 1);
    printf("read: %s\n", r == -1 && errno == EINTR ? "EINTR" : "?");

    sem_t s;
    sem_init(&s, 0, 0);
    alarm_in(100);
    int sr = sem_wait(&s);
    printf("sem_wait: %s\n", sr == -1 && errno == EINTR ? "EINTR" : "?");

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    while (atomic_load(&chld_count) < 1)
        usleep(1000);
    waitpid(pid, NULL, 0);
    printf("child reaped after SIGCHLD\n");

    raise(SIGTERM);
    printf("raise(SIGTERM) %s\n", atomic_load(&term_count) == 1 ? "handled" : "?");
    return atomic_load(&usr1_count) + 1 + atomic_load(&alrm_count) + atomic_load(&chld_count)
           + atomic_load(&term_count) + 1;
}
