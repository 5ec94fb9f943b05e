/* intercept_sleep.c: the calls a thread sleeps or waits in that no other
 * interceptor sees (sleep, usleep, nanosleep, clock_nanosleep, pause,
 * poll, ppoll, select, pselect).  Each stores the calling thread's open
 * read first (detector/race_check.c, "the open read": plain reads of one
 * granule checked but not yet stored), as every other interceptor does
 * through rw_enter: reads made just before a long wait are then in the
 * shadow while the thread waits, where a write made meanwhile by another
 * thread (which may go on to end the process) finds them.  Nothing else
 * is modelled: sleeping orders nothing. */
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "runtime/rt.h"

RW_DECLARE_REAL(unsigned, sleep, unsigned);
RW_DECLARE_REAL(int, usleep, useconds_t);
RW_DECLARE_REAL(int, nanosleep, const struct timespec *, struct timespec *);
RW_DECLARE_REAL(int, clock_nanosleep, clockid_t, int, const struct timespec *, struct timespec *);
RW_DECLARE_REAL(int, pause, void);
RW_DECLARE_REAL(int, poll, struct pollfd *, nfds_t, int);
RW_DECLARE_REAL(int, ppoll, struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
RW_DECLARE_REAL(int, select, int, fd_set *, fd_set *, fd_set *, struct timeval *);
RW_DECLARE_REAL(int, pselect, int, fd_set *, fd_set *, fd_set *, const struct timespec *,
                const sigset_t *);

static inline void before_wait(void)
{
    rw_thread *t = rw_cur;
    if (t && !rw_in_rt) {
        rw_open_read_flush(t);
        if (rw_compared_pending)
            rw_compared_pending_store();
    }
}

RW_EXPORT unsigned sleep(unsigned seconds)
{
    before_wait();
    return RW_RESOLVE(sleep)(seconds);
}

RW_EXPORT int usleep(useconds_t usec)
{
    before_wait();
    return RW_RESOLVE(usleep)(usec);
}

RW_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
    before_wait();
    return RW_RESOLVE(nanosleep)(req, rem);
}

RW_EXPORT int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
                              struct timespec *rem)
{
    before_wait();
    return RW_RESOLVE(clock_nanosleep)(clock, flags, req, rem);
}

RW_EXPORT int pause(void)
{
    before_wait();
    return RW_RESOLVE(pause)();
}

RW_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
    before_wait();
    return RW_RESOLVE(poll)(fds, n, timeout);
}

RW_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
                    const sigset_t *mask)
{
    before_wait();
    return RW_RESOLVE(ppoll)(fds, n, timeout, mask);
}

RW_EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *timeout)
{
    before_wait();
    return RW_RESOLVE(select)(n, r, w, e, timeout);
}

RW_EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                      const sigset_t *mask)
{
    before_wait();
    return RW_RESOLVE(pselect)(n, r, w, e, timeout, mask);
}
