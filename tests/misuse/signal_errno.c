/* signal_errno.c: a SIGUSR1 handler calls close(-1) and returns with errno
 * changed to EBADF; the interrupted code could have been between a failing
 * call and its read of errno.  A warning with the handler's stack, once
 * per handler; exit 66.  Twin: signal_errno_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=errno after the signal: EBADF\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=signal handler spoils errno @handler
// RACEWATCH-EXPECT: line=Signal 10 (SIGUSR1) handler changed errno from 0 to 9 (EBADF) in thread 1:
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void on_usr1(int sig)
{ /* @handler */
    (void)sig;
    close(-1);
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 3; i++) {
        errno = 0;
        raise(SIGUSR1);
    }
    printf("errno after the signal: %s\n", errno == EBADF ? "EBADF" : "?");
    return 0;
}
