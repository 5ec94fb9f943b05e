/* signal_handlers.c: what racewatch's handler trampoline must leave as it
 * was: sigaction returns the action the program installed (plain and
 * SA_SIGINFO handlers, flags, SIG_IGN, SIG_DFL), signal() returns the old
 * handler, SA_RESETHAND resets to SIG_DFL, SA_SIGINFO handlers get their
 * siginfo, nested handlers, siglongjmp out of a handler (then malloc and
 * a mutex are used outside any handler: no report), a handler on an
 * alternate stack (returning, and leaving by siglongjmp), and a thread
 * signalled 2,000 times while it allocates and locks (the handler
 * interrupts the runtime's own work).  Exit 6: the six checks passed. */
// ROBUST: exit=6
// ROBUST: stdout=actions ok\nresethand ok\nnested ok\njumped 3\naltstack ok\nstorm ok\n
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t plain_count, info_code, nested_depth, nested_max;
static sigjmp_buf jump_back;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void plain(int sig) { (void)sig; plain_count++; }

static void with_info(int sig, siginfo_t *info, void *ctx)
{
    (void)sig;
    (void)ctx;
    info_code = info->si_code;
}

static void inner(int sig)
{
    (void)sig;
    nested_depth++;
    if (nested_depth > nested_max)
        nested_max = nested_depth;
    nested_depth--;
}

static void outer(int sig)
{
    (void)sig;
    nested_depth++;
    raise(SIGUSR2); /* runs inner() inside this handler */
    nested_depth--;
}

static void jumper(int sig)
{
    siglongjmp(jump_back, sig);
}

static int check_actions(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    if (sigaction(SIGUSR1, &sa, NULL) != 0 || sigaction(SIGUSR1, NULL, &old) != 0)
        return 0;
    if (old.sa_sigaction != with_info || (old.sa_flags & (SA_SIGINFO | SA_RESTART)) !=
                                             (SA_SIGINFO | SA_RESTART) ||
        !sigismember(&old.sa_mask, SIGUSR2))
        return 0;
    raise(SIGUSR1);
    if (info_code != SI_TKILL)
        return 0;
    if (signal(SIGUSR1, plain) != (void (*)(int))(void *)with_info)
        return 0;
    if (sigaction(SIGUSR1, NULL, &old) != 0 || old.sa_handler != plain ||
        (old.sa_flags & SA_SIGINFO))
        return 0;
    raise(SIGUSR1);
    if (signal(SIGUSR1, SIG_IGN) != plain || plain_count != 1)
        return 0;
    raise(SIGUSR1); /* ignored */
    if (signal(SIGUSR1, SIG_DFL) != SIG_IGN || signal(SIGUSR1, SIG_DFL) != SIG_DFL)
        return 0;
    return plain_count == 1;
}

static int check_resethand(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = plain;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    return plain_count == 2 && old.sa_handler == SIG_DFL;
}

static void *storm_target(void *arg)
{
    atomic_int *stop = arg;
    while (!atomic_load(stop)) {
        void *volatile p = malloc(64);
        free(p);
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

int main(void)
{
    int ok = 0;
    if (check_actions()) {
        printf("actions ok\n");
        ok++;
    }
    if (check_resethand()) {
        printf("resethand ok\n");
        ok++;
    }

    signal(SIGUSR1, outer);
    signal(SIGUSR2, inner);
    raise(SIGUSR1);
    if (nested_max == 2 && nested_depth == 0) {
        printf("nested ok\n");
        ok++;
    }

    /* siglongjmp out of a handler, three times */
    signal(SIGUSR1, jumper);
    int jumped = 0;
    while (jumped < 3) {
        if (sigsetjmp(jump_back, 1) == 0)
            raise(SIGUSR1);
        else
            jumped++;
        void *volatile p = malloc(32); /* outside any handler now */
        free(p);
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    printf("jumped %d\n", jumped);
    ok++;

    /* an alternate stack: a handler that returns, one that jumps out */
    stack_t ss;
    ss.ss_size = 64 * 1024;
    ss.ss_sp = malloc(ss.ss_size);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = plain;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sa.sa_handler = jumper;
    sigaction(SIGUSR1, &sa, NULL);
    if (sigsetjmp(jump_back, 1) == 0)
        raise(SIGUSR1);
    void *volatile p = malloc(32);
    free(p);
    if (plain_count == 3) {
        printf("altstack ok\n");
        ok++;
    }

    /* a storm of signals into a thread busy in malloc and locks */
    signal(SIGUSR2, plain);
    atomic_int stop = 0;
    pthread_t t;
    pthread_create(&t, NULL, storm_target, &stop);
    for (int i = 0; i < 2000; i++) {
        pthread_kill(t, SIGUSR2);
        if (i % 100 == 0)
            usleep(100);
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("storm ok\n");
    ok++;
    return ok;
}
