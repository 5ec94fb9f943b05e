/* panic.c: misuse of a channel or wait group ends the program the way Go's
 * runtime does: `panic: MESSAGE` on stderr and exit status 2.
 *
 * With racewatch loaded, its __racewatch_panic prints the message and the
 * thread's stack in Go's format (shared/spec/reports.md) and exits 2.
 * Without it, stdout is flushed first (as Go's output, unbuffered, would
 * already be out), then the one line is written and the process leaves
 * with _exit(2): no atexit handlers, as a Go panic runs no deferred
 * functions of other goroutines. */
#include "panic.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hooks.h"

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void rw_panic(const char *message)
{
    if (__racewatch_panic)
        __racewatch_panic(message);
    fflush(NULL);
    write_all(STDERR_FILENO, "panic: ", 7);
    write_all(STDERR_FILENO, message, strlen(message));
    write_all(STDERR_FILENO, "\n", 1);
    _exit(2);
}
