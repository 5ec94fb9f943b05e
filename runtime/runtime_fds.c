/* runtime_fds.c: descriptors the runtime keeps open, moved out of the
 * program's way.
 *
 * The kernel gives every new descriptor the lowest free number, and
 * programs count on it (the next open() after closing 3 is 3) or look at
 * which descriptors are open (CPython's test_pass_fds checks 0-255 in
 * its child).  A descriptor the runtime keeps -- libunwind's pipe for
 * validating addresses, the ELF and debug files libdwfl keeps open for
 * the symbolizer, the report log and JSON files -- would take such a
 * number and keep it for the life of the process.  Each is moved, once
 * opened, to a number near the top of the first 1024 (those a select()
 * set can hold and a program usually scans; a lower RLIMIT_NOFILE is
 * respected, a higher one not used: the kernel would grow the table to
 * it), with close-on-exec.  The raw syscalls keep the runtime's own
 * interceptors out of it. */
#include "runtime/runtime_fds.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FIRST_FDS 1024
#define RUNTIME_FDS 32 /* the room at the top the runtime may use */

int rw_fd_out_of_the_way(int fd)
{
    if (fd < 0)
        return fd;
    struct rlimit rl;
    long top = FIRST_FDS;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)top)
        top = (long)rl.rlim_cur;
    long base = top - RUNTIME_FDS;
    if (fd >= base || base <= 2)
        return fd;
    long high = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, base);
    if (high < 0)
        return fd;
    syscall(SYS_close, fd);
    return (int)high;
}
