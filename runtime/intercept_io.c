/* intercept_io.c: the buffers of read and write system calls (read, write,
 * pread, pwrite, readv, writev, recv, send, recvfrom, sendto, recvmsg,
 * sendmsg, and _FORTIFY_SOURCE's checking variants) and of stdio's
 * fread / fwrite, as range accesses: the kernel
 * (or stdio) writes what a read returns and reads what a write takes
 * (checked after the call, for the bytes it took), so a thread that
 * changes a buffer while another thread's write sends it is a data race.  Like memcpy, these are what racewatch sees of
 * a binary run by LD_PRELOAD.
 *
 * Happens-before, as Go's runtime does it (internal/poll's ioSync): every
 * write-like call releases into one process-wide I/O clock, every
 * read-like call that returns data acquires it.  Data handed from thread
 * to thread through a pipe, a socket or a file is then never a false
 * report, whatever descriptors the two ends use; the price is that I/O
 * orders more than it strictly has to (never a false report, maybe a
 * missed one).  A connection is I/O too (ThreadSanitizer orders it the
 * same way): connect releases, as a write; accept and accept4 acquire
 * when they return a connection, as a read that returned data.  So is an
 * epoll registration, whose event data is often a pointer to an object
 * the registering thread just made: epoll_ctl releases, an epoll_wait
 * (epoll_pwait, epoll_pwait2) that returns events acquires.
 *
 * Each call also uses its descriptor (fd_objects.c: a read of the fd's
 * object, before the call), and accept makes one (after): a close racing
 * with a thread's read or write is a race on the descriptor.  fread and
 * fwrite use their stream (stream_objects.c: a read; the _unlocked forms
 * write it).  The I/O
 * clock does not order two threads that only write (to stdout, say):
 * writes release, only a read that returned data acquires.
 *
 * The checks are made outside the real call, never around it: a thread
 * cancelled or interrupted inside read() leaves no runtime state behind.
 * Calls made by racewatch itself (rw_in_rt) pass straight through. */
#include "runtime/rt.h"

#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "detector/syncvar.h"
#include "runtime/fd_objects.h"
#include "runtime/stream_objects.h"

RW_DECLARE_REAL(ssize_t, read, int, void *, size_t);
RW_DECLARE_REAL(ssize_t, write, int, const void *, size_t);
RW_DECLARE_REAL(ssize_t, pread, int, void *, size_t, off_t);
RW_DECLARE_REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
RW_DECLARE_REAL(ssize_t, pread64, int, void *, size_t, off_t);
RW_DECLARE_REAL(ssize_t, pwrite64, int, const void *, size_t, off_t);
RW_DECLARE_REAL(ssize_t, __read_chk, int, void *, size_t, size_t);
RW_DECLARE_REAL(ssize_t, __pread_chk, int, void *, size_t, off_t, size_t);
RW_DECLARE_REAL(ssize_t, __pread64_chk, int, void *, size_t, off_t, size_t);
RW_DECLARE_REAL(ssize_t, __recv_chk, int, void *, size_t, size_t, int);
RW_DECLARE_REAL(ssize_t, __recvfrom_chk, int, void *, size_t, size_t, int, struct sockaddr *,
                socklen_t *);
RW_DECLARE_REAL(size_t, __fread_chk, void *, size_t, size_t, size_t, FILE *);
RW_DECLARE_REAL(size_t, fread_unlocked, void *, size_t, size_t, FILE *);
RW_DECLARE_REAL(size_t, __fread_unlocked_chk, void *, size_t, size_t, size_t, FILE *);
RW_DECLARE_REAL(size_t, fwrite_unlocked, const void *, size_t, size_t, FILE *);
RW_DECLARE_REAL(ssize_t, readv, int, const struct iovec *, int);
RW_DECLARE_REAL(ssize_t, writev, int, const struct iovec *, int);
RW_DECLARE_REAL(ssize_t, recv, int, void *, size_t, int);
RW_DECLARE_REAL(ssize_t, send, int, const void *, size_t, int);
RW_DECLARE_REAL(ssize_t, recvfrom, int, void *, size_t, int, struct sockaddr *, socklen_t *);
RW_DECLARE_REAL(ssize_t, sendto, int, const void *, size_t, int, const struct sockaddr *,
                socklen_t);
RW_DECLARE_REAL(ssize_t, recvmsg, int, struct msghdr *, int);
RW_DECLARE_REAL(ssize_t, sendmsg, int, const struct msghdr *, int);
RW_DECLARE_REAL(size_t, fread, void *, size_t, size_t, FILE *);
RW_DECLARE_REAL(size_t, fwrite, const void *, size_t, size_t, FILE *);
RW_DECLARE_REAL(int, connect, int, const struct sockaddr *, socklen_t);
RW_DECLARE_REAL(int, accept, int, struct sockaddr *, socklen_t *);
RW_DECLARE_REAL(int, accept4, int, struct sockaddr *, socklen_t *, int);
RW_DECLARE_REAL(int, epoll_ctl, int, int, int, struct epoll_event *);
RW_DECLARE_REAL(int, epoll_wait, int, struct epoll_event *, int, int);
RW_DECLARE_REAL(int, epoll_pwait, int, struct epoll_event *, int, int, const sigset_t *);
RW_DECLARE_REAL(int, epoll_pwait2, int, struct epoll_event *, int, const struct timespec *,
                const sigset_t *);

/* The process-wide I/O clock's address (its sync object's key). */
static char io_clock;

static inline rw_thread *enter_io(void)
{
    rw_thread *t = rw_enter();
    if (t && t->ignore) {
        rw_leave();
        return NULL;
    }
    return t;
}

/* The I/O clock gets everything t did so far; nothing while the program
 * has had only one thread (rw_second_thread_created): every thread that
 * could acquire it later is created later, by a creation edge that orders
 * it after all of this already.  A single-threaded GNU sort (`sort -n -S
 * 16M` of bench/real: no worker threads for its chunks) released once per
 * output line, and each release also began a new epoch and era of the
 * thread's range table for nothing. */
static void io_release(rw_thread *t)
{
    if (__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED))
        rw_sync_release_at(t, (uintptr_t)&io_clock);
}

/* Before a write-like call: fd is used (fd < 0: no descriptor, a stdio
 * stream's call), then the I/O clock gets everything this thread did so
 * far, in one entry into the runtime.  The release comes before the call:
 * a reader may have the data before the call returns. */
static void before_write(int fd, uintptr_t pc)
{
    rw_thread *t = enter_io();
    if (!t)
        return;
    if (fd >= 0)
        rw_fd_use(t, fd, pc);
    io_release(t);
    rw_leave();
}

/* After a write-like call took sent bytes: the first sent bytes of the
 * buffer were read.  Only what the call took, as ThreadSanitizer does: a
 * non-blocking socket takes part of a big buffer, and the program calls
 * again with the rest (libuv's 10 MiB tcp_write_in_a_row: checking all
 * that was offered on each call checked the buffer's tail over and
 * over).  The bytes are read during the call, so until it returns: a
 * thread that got them through the I/O clock (ordered after the call's
 * start only) and changes them races with the call. */
static void after_write(const void *buf, ssize_t sent, uintptr_t pc)
{
    if (sent <= 0 || !buf)
        return;
    rw_thread *t = enter_io();
    if (!t)
        return;
    rw_intercepted_range(t, (uintptr_t)buf, (size_t)sent, 0, 0, pc);
    rw_leave();
}

static void after_writev(const struct iovec *iov, int cnt, ssize_t sent, uintptr_t pc)
{
    if (sent <= 0)
        return;
    rw_thread *t = enter_io();
    if (!t)
        return;
    size_t left = (size_t)sent;
    for (int i = 0; iov && i < cnt && left > 0; i++) {
        size_t n = iov[i].iov_len < left ? iov[i].iov_len : left;
        if (iov[i].iov_base && n)
            rw_intercepted_range(t, (uintptr_t)iov[i].iov_base, n, 0, 0, pc);
        left -= n;
    }
    rw_leave();
}

/* After a read-like call returned got bytes: what any write did before
 * happens before this, and the first got bytes of buf were written. */
static void after_read(void *buf, ssize_t got, uintptr_t pc)
{
    if (got <= 0)
        return;
    rw_thread *t = enter_io();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)&io_clock);
    if (buf)
        rw_intercepted_range(t, (uintptr_t)buf, (size_t)got, 1, 0, pc);
    rw_leave();
}

static void after_readv(const struct iovec *iov, int cnt, ssize_t got, uintptr_t pc)
{
    if (got <= 0)
        return;
    rw_thread *t = enter_io();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)&io_clock);
    size_t left = (size_t)got;
    for (int i = 0; iov && i < cnt && left > 0; i++) {
        size_t n = iov[i].iov_len < left ? iov[i].iov_len : left;
        if (iov[i].iov_base && n)
            rw_intercepted_range(t, (uintptr_t)iov[i].iov_base, n, 1, 0, pc);
        left -= n;
    }
    rw_leave();
}

/* Before connect or epoll_ctl: fd and fd2 are used (fd2 < 0: none), and
 * what this thread did so far goes to whoever accepts the connection or
 * receives the event. */
static void before_handoff(int fd, int fd2, uintptr_t pc)
{
    rw_thread *t = enter_io();
    if (!t)
        return;
    rw_fd_use(t, fd, pc);
    if (fd2 >= 0)
        rw_fd_use(t, fd2, pc);
    io_release(t);
    rw_leave();
}

/* After accept returned a connection or epoll_wait returned events:
 * what any connect, epoll_ctl or write did before happens before this. */
static void after_handoff(int happened)
{
    if (!happened)
        return;
    rw_thread *t = enter_io();
    if (!t)
        return;
    rw_sync_acquire_at(t, (uintptr_t)&io_clock);
    rw_leave();
}

RW_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    before_handoff(fd, -1, RW_CALLER_PC());
    return RW_RESOLVE(connect)(fd, addr, len);
}

RW_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    int r = RW_RESOLVE(accept)(fd, addr, len);
    rw_fd_made_at(r, RW_CALLER_PC());
    after_handoff(r >= 0);
    return r;
}

RW_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    int r = RW_RESOLVE(accept4)(fd, addr, len, flags);
    rw_fd_made_at(r, RW_CALLER_PC());
    after_handoff(r >= 0);
    return r;
}

RW_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    before_handoff(epfd, fd, RW_CALLER_PC());
    return RW_RESOLVE(epoll_ctl)(epfd, op, fd, ev);
}

RW_EXPORT int epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout)
{
    rw_fd_use_at(epfd, RW_CALLER_PC());
    int r = RW_RESOLVE(epoll_wait)(epfd, evs, max, timeout);
    after_handoff(r > 0);
    return r;
}

RW_EXPORT int epoll_pwait(int epfd, struct epoll_event *evs, int max, int timeout,
                          const sigset_t *mask)
{
    rw_fd_use_at(epfd, RW_CALLER_PC());
    int r = RW_RESOLVE(epoll_pwait)(epfd, evs, max, timeout, mask);
    after_handoff(r > 0);
    return r;
}

RW_EXPORT int epoll_pwait2(int epfd, struct epoll_event *evs, int max,
                           const struct timespec *timeout, const sigset_t *mask)
{
    rw_fd_use_at(epfd, RW_CALLER_PC());
    int r = RW_RESOLVE(epoll_pwait2)(epfd, evs, max, timeout, mask);
    after_handoff(r > 0);
    return r;
}

RW_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(read)(fd, buf, n);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(write)(fd, buf, n);
    after_write(buf, r, RW_CALLER_PC());
    return r;
}

/* The build uses 64-bit file offsets, where <unistd.h> renames pread to
 * pread64: the two symbols are defined under explicit names. */
RW_EXPORT ssize_t rw_pread(int fd, void *buf, size_t n, off_t off) __asm__("pread");
RW_EXPORT ssize_t rw_pwrite(int fd, const void *buf, size_t n, off_t off) __asm__("pwrite");
RW_EXPORT ssize_t rw_pread64(int fd, void *buf, size_t n, off_t off) __asm__("pread64");
RW_EXPORT ssize_t rw_pwrite64(int fd, const void *buf, size_t n, off_t off) __asm__("pwrite64");

RW_EXPORT ssize_t rw_pread(int fd, void *buf, size_t n, off_t off)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(pread)(fd, buf, n, off);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t rw_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(pwrite)(fd, buf, n, off);
    after_write(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t rw_pread64(int fd, void *buf, size_t n, off_t off)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(pread64)(fd, buf, n, off);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t rw_pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(pwrite64)(fd, buf, n, off);
    after_write(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(readv)(fd, iov, cnt);
    after_readv(iov, cnt, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(writev)(fd, iov, cnt);
    after_writev(iov, cnt, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(recv)(fd, buf, n, flags);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(send)(fd, buf, n, flags);
    after_write(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                           socklen_t *fromlen)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(recvfrom)(fd, buf, n, flags, from, fromlen);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
                         const struct sockaddr *to, socklen_t tolen)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(sendto)(fd, buf, n, flags, to, tolen);
    after_write(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(recvmsg)(fd, msg, flags);
    if (msg)
        after_readv(msg->msg_iov, (int)msg->msg_iovlen, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    before_write(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(sendmsg)(fd, msg, flags);
    if (msg)
        after_writev(msg->msg_iov, (int)msg->msg_iovlen, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    size_t r = RW_RESOLVE(fread)(buf, size, n, f);
    after_read(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    before_write(-1, RW_CALLER_PC());
    size_t r = RW_RESOLVE(fwrite)(buf, size, n, f);
    after_write(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}

/* Programs built with _FORTIFY_SOURCE (Debian's packages are) call the
 * checking variants instead. */
RW_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(__read_chk)(fd, buf, n, buflen);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(__pread_chk)(fd, buf, n, off, buflen);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(__pread64_chk)(fd, buf, n, off, buflen);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(__recv_chk)(fd, buf, n, buflen, flags);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
                                 struct sockaddr *from, socklen_t *fromlen)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    ssize_t r = RW_RESOLVE(__recvfrom_chk)(fd, buf, n, buflen, flags, from, fromlen);
    after_read(buf, r, RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t __fread_chk(void *buf, size_t buflen, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    size_t r = RW_RESOLVE(__fread_chk)(buf, buflen, size, n, f);
    after_read(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t (fread_unlocked)(void *buf, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    size_t r = RW_RESOLVE(fread_unlocked)(buf, size, n, f);
    after_read(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t __fread_unlocked_chk(void *buf, size_t buflen, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    size_t r = RW_RESOLVE(__fread_unlocked_chk)(buf, buflen, size, n, f);
    after_read(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}

RW_EXPORT size_t (fwrite_unlocked)(const void *buf, size_t size, size_t n, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    before_write(-1, RW_CALLER_PC());
    size_t r = RW_RESOLVE(fwrite_unlocked)(buf, size, n, f);
    after_write(buf, (ssize_t)(r * size), RW_CALLER_PC());
    return r;
}
