/* signal_errno_clean.c: twin of signal_errno.c: the handler saves errno
 * and restores it before returning; a SA_SIGINFO handler of another
 * signal leaves it alone.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=errno after the signals: 0\n
// RACEWATCH-EXPECT: clean
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_usr1(int sig)
{
    (void)sig;
    int saved = errno;
    close(-1);
    errno = saved;
}

static volatile sig_atomic_t got_code;

static void on_usr2(int sig, siginfo_t *info, void *ctx)
{
    (void)sig;
    (void)ctx;
    got_code = info->si_code;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr2;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    errno = 0;
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("errno after the signals: %d\n", errno);
    return got_code == SI_TKILL ? 0 : 1;
}
