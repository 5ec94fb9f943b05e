/* intercept_fd.c: the calls that make, close or use a file descriptor
 * without moving data (the read/write family is intercept_io.c's), each
 * saying what it does to the descriptor's object (fd_objects.c):
 *
 *   make (a new object, written):  open, open64, openat, openat64, creat,
 *       creat64 and _FORTIFY_SOURCE's __open_2 family, socket,
 *       socketpair, pipe, pipe2, dup, dup2/dup3 (the new number),
 *       fcntl(F_DUPFD, F_DUPFD_CLOEXEC), eventfd, epoll_create(1),
 *       inotify_init(1), timerfd_create, signalfd (a new one), memfd_create,
 *       opendir (the directory's descriptor, which libc opens out of our
 *       sight);
 *   close (written, then forgotten): close, closedir (libc closes the
 *       descriptor out of our sight: without it, the number's next owner
 *       would race with this one's history), and dup2/dup3 over an open
 *       number;
 *   use (read): fstat, lseek, ioctl, fcntl, fsync, fdatasync, ftruncate,
 *       bind, listen, shutdown, getsockopt, setsockopt, getsockname,
 *       getpeername, fchmod, fchown, fdopendir, and the old number of
 *       dup/dup2/dup3.
 *
 * The uses and closes are recorded before the real call (a thread asleep
 * in it has used the descriptor; a close must be seen even if it fails
 * for EINTR), the makes after it returned a descriptor.  Calls made by
 * racewatch itself (rw_in_rt) pass straight through. */
#include "runtime/rt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "runtime/fd_objects.h"
#include "runtime/runtime_fds.h"
#include "runtime/stack_capture.h"

RW_DECLARE_REAL(int, open, const char *, int, ...);
RW_DECLARE_REAL(int, open64, const char *, int, ...);
RW_DECLARE_REAL(int, openat, int, const char *, int, ...);
RW_DECLARE_REAL(int, openat64, int, const char *, int, ...);
RW_DECLARE_REAL(int, creat, const char *, mode_t);
RW_DECLARE_REAL(int, creat64, const char *, mode_t);
RW_DECLARE_REAL(int, __open_2, const char *, int);
RW_DECLARE_REAL(int, __open64_2, const char *, int);
RW_DECLARE_REAL(int, __openat_2, int, const char *, int);
RW_DECLARE_REAL(int, __openat64_2, int, const char *, int);
RW_DECLARE_REAL(int, socket, int, int, int);
RW_DECLARE_REAL(int, socketpair, int, int, int, int *);
RW_DECLARE_REAL(int, pipe, int *);
RW_DECLARE_REAL(int, pipe2, int *, int);
RW_DECLARE_REAL(int, dup, int);
RW_DECLARE_REAL(int, dup2, int, int);
RW_DECLARE_REAL(int, dup3, int, int, int);
RW_DECLARE_REAL(int, eventfd, unsigned int, int);
RW_DECLARE_REAL(int, epoll_create, int);
RW_DECLARE_REAL(int, epoll_create1, int);
RW_DECLARE_REAL(int, inotify_init, void);
RW_DECLARE_REAL(int, inotify_init1, int);
RW_DECLARE_REAL(int, timerfd_create, int, int);
RW_DECLARE_REAL(int, signalfd, int, const sigset_t *, int);
RW_DECLARE_REAL(int, memfd_create, const char *, unsigned int);
RW_DECLARE_REAL(int, close, int);
RW_DECLARE_REAL(DIR *, opendir, const char *);
RW_DECLARE_REAL(DIR *, fdopendir, int);
RW_DECLARE_REAL(int, closedir, DIR *);
RW_DECLARE_REAL(int, fstat, int, struct stat *);
RW_DECLARE_REAL(int, fstat64, int, struct stat *);
RW_DECLARE_REAL(off_t, lseek, int, off_t, int);
RW_DECLARE_REAL(off_t, lseek64, int, off_t, int);
RW_DECLARE_REAL(int, ioctl, int, unsigned long, void *);
RW_DECLARE_REAL(int, fcntl, int, int, void *);
RW_DECLARE_REAL(int, fcntl64, int, int, void *);
RW_DECLARE_REAL(int, fsync, int);
RW_DECLARE_REAL(int, fdatasync, int);
RW_DECLARE_REAL(int, ftruncate, int, off_t);
RW_DECLARE_REAL(int, ftruncate64, int, off_t);
RW_DECLARE_REAL(int, bind, int, const struct sockaddr *, socklen_t);
RW_DECLARE_REAL(int, listen, int, int);
RW_DECLARE_REAL(int, shutdown, int, int);
RW_DECLARE_REAL(int, getsockopt, int, int, int, void *, socklen_t *);
RW_DECLARE_REAL(int, setsockopt, int, int, int, const void *, socklen_t);
RW_DECLARE_REAL(int, getsockname, int, struct sockaddr *, socklen_t *);
RW_DECLARE_REAL(int, getpeername, int, struct sockaddr *, socklen_t *);
RW_DECLARE_REAL(int, fchmod, int, mode_t);
RW_DECLARE_REAL(int, fchown, int, uid_t, gid_t);

/* The pair that pipe and socketpair return. */
static void fd_pair_made(int r, const int *fds, uintptr_t pc)
{
    if (r != 0 || !fds)
        return;
    rw_fd_made_at(fds[0], pc);
    rw_fd_made_at(fds[1], pc);
}

/* dup2/dup3: the old number is used, the new one closed if it was open
 * (before the call), then made (after). */
static void before_dup_onto(int oldfd, int newfd, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_fd_use(t, oldfd, pc);
    if (newfd != oldfd)
        rw_fd_close(t, newfd, pc);
    rw_leave();
}

static inline int open_has_mode(int flags)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* --- making --------------------------------------------------------------- */

/* The build uses 64-bit file offsets, where <fcntl.h> renames open to
 * open64 (and so on): each symbol is defined under its explicit name. */
RW_EXPORT int rw_open(const char *path, int flags, ...) __asm__("open");
RW_EXPORT int rw_open64(const char *path, int flags, ...) __asm__("open64");
RW_EXPORT int rw_openat(int dirfd, const char *path, int flags, ...) __asm__("openat");
RW_EXPORT int rw_openat64(int dirfd, const char *path, int flags, ...) __asm__("openat64");
RW_EXPORT int rw_creat(const char *path, mode_t mode) __asm__("creat");
RW_EXPORT int rw_creat64(const char *path, mode_t mode) __asm__("creat64");
RW_EXPORT int rw_fstat(int fd, struct stat *st) __asm__("fstat");
RW_EXPORT int rw_fstat64(int fd, struct stat *st) __asm__("fstat64");
RW_EXPORT off_t rw_lseek(int fd, off_t off, int whence) __asm__("lseek");
RW_EXPORT off_t rw_lseek64(int fd, off_t off, int whence) __asm__("lseek64");
RW_EXPORT int rw_fcntl(int fd, int cmd, ...) __asm__("fcntl");
RW_EXPORT int rw_fcntl64(int fd, int cmd, ...) __asm__("fcntl64");
RW_EXPORT int rw_ftruncate(int fd, off_t len) __asm__("ftruncate");
RW_EXPORT int rw_ftruncate64(int fd, off_t len) __asm__("ftruncate64");

#define OPEN_MODE(flags, last)                                                              \
    ({                                                                                      \
        mode_t mode_ = 0;                                                                   \
        if (open_has_mode(flags)) {                                                         \
            va_list ap_;                                                                    \
            va_start(ap_, last);                                                            \
            mode_ = (mode_t)va_arg(ap_, int);                                               \
            va_end(ap_);                                                                    \
        }                                                                                   \
        mode_;                                                                              \
    })

RW_EXPORT int rw_open(const char *path, int flags, ...)
{
    int fd = RW_RESOLVE(open)(path, flags, OPEN_MODE(flags, flags));
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int rw_open64(const char *path, int flags, ...)
{
    int fd = RW_RESOLVE(open64)(path, flags, OPEN_MODE(flags, flags));
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int rw_openat(int dirfd, const char *path, int flags, ...)
{
    int fd = RW_RESOLVE(openat)(dirfd, path, flags, OPEN_MODE(flags, flags));
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int rw_openat64(int dirfd, const char *path, int flags, ...)
{
    int fd = RW_RESOLVE(openat64)(dirfd, path, flags, OPEN_MODE(flags, flags));
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int rw_creat(const char *path, mode_t mode)
{
    int fd = RW_RESOLVE(creat)(path, mode);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int rw_creat64(const char *path, mode_t mode)
{
    int fd = RW_RESOLVE(creat64)(path, mode);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int __open_2(const char *path, int flags)
{
    int fd = RW_RESOLVE(__open_2)(path, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int __open64_2(const char *path, int flags)
{
    int fd = RW_RESOLVE(__open64_2)(path, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
    int fd = RW_RESOLVE(__openat_2)(dirfd, path, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
    int fd = RW_RESOLVE(__openat64_2)(dirfd, path, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int socket(int domain, int type, int protocol)
{
    int fd = RW_RESOLVE(socket)(domain, type, protocol);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int socketpair(int domain, int type, int protocol, int fds[2])
{
    int r = RW_RESOLVE(socketpair)(domain, type, protocol, fds);
    fd_pair_made(r, fds, RW_CALLER_PC());
    return r;
}

/* A pipe made: two objects of the program's, unless it is libunwind's
 * pipe (it validates an address by writing a byte of it into the pipe; opened at its first walk and again whenever a read finds
 * it closed) is the runtime's, not the program's: out of its way
 * (runtime_fds.c), and no object of the program's. */
static void pipe_made(int r, int fds[2], uintptr_t pc)
{
    if (r == 0 && rw_in_stack_walk()) {
        fds[0] = rw_fd_out_of_the_way(fds[0]);
        fds[1] = rw_fd_out_of_the_way(fds[1]);
        return;
    }
    fd_pair_made(r, fds, pc);
}

RW_EXPORT int pipe(int fds[2])
{
    int r = RW_RESOLVE(pipe)(fds);
    pipe_made(r, fds, RW_CALLER_PC());
    return r;
}

RW_EXPORT int pipe2(int fds[2], int flags)
{
    int r = RW_RESOLVE(pipe2)(fds, flags);
    pipe_made(r, fds, RW_CALLER_PC());
    return r;
}

RW_EXPORT int dup(int oldfd)
{
    rw_fd_use_at(oldfd, RW_CALLER_PC());
    int fd = RW_RESOLVE(dup)(oldfd);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int dup2(int oldfd, int newfd)
{
    before_dup_onto(oldfd, newfd, RW_CALLER_PC());
    int fd = RW_RESOLVE(dup2)(oldfd, newfd);
    if (fd != oldfd)
        rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int dup3(int oldfd, int newfd, int flags)
{
    before_dup_onto(oldfd, newfd, RW_CALLER_PC());
    int fd = RW_RESOLVE(dup3)(oldfd, newfd, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int eventfd(unsigned int count, int flags)
{
    int fd = RW_RESOLVE(eventfd)(count, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int epoll_create(int size)
{
    int fd = RW_RESOLVE(epoll_create)(size);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int epoll_create1(int flags)
{
    int fd = RW_RESOLVE(epoll_create1)(flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int inotify_init(void)
{
    int fd = RW_RESOLVE(inotify_init)();
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int inotify_init1(int flags)
{
    int fd = RW_RESOLVE(inotify_init1)(flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

RW_EXPORT int timerfd_create(int clockid, int flags)
{
    int fd = RW_RESOLVE(timerfd_create)(clockid, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

/* signalfd(-1, ...) makes a descriptor; signalfd(fd, ...) changes fd's
 * mask (a use). */
RW_EXPORT int signalfd(int fd, const sigset_t *mask, int flags)
{
    if (fd >= 0)
        rw_fd_use_at(fd, RW_CALLER_PC());
    int r = RW_RESOLVE(signalfd)(fd, mask, flags);
    if (fd < 0)
        rw_fd_made_at(r, RW_CALLER_PC());
    return r;
}

RW_EXPORT int memfd_create(const char *name, unsigned int flags)
{
    int fd = RW_RESOLVE(memfd_create)(name, flags);
    rw_fd_made_at(fd, RW_CALLER_PC());
    return fd;
}

/* --- closing -------------------------------------------------------------- */

RW_EXPORT int close(int fd)
{
    rw_fd_close_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(close)(fd);
}

RW_EXPORT int closedir(DIR *d)
{
    int fd = dirfd(d);
    if (fd >= 0)
        rw_fd_close_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(closedir)(d);
}

RW_EXPORT DIR *opendir(const char *path)
{
    DIR *d = RW_RESOLVE(opendir)(path);
    if (d)
        rw_fd_made_at(dirfd(d), RW_CALLER_PC());
    return d;
}

/* --- using ---------------------------------------------------------------- */

RW_EXPORT DIR *fdopendir(int fd)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fdopendir)(fd);
}

RW_EXPORT int rw_fstat(int fd, struct stat *st)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fstat)(fd, st);
}

RW_EXPORT int rw_fstat64(int fd, struct stat *st)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fstat64)(fd, st);
}

RW_EXPORT off_t rw_lseek(int fd, off_t off, int whence)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(lseek)(fd, off, whence);
}

RW_EXPORT off_t rw_lseek64(int fd, off_t off, int whence)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(lseek64)(fd, off, whence);
}

/* ioctl's and fcntl's third argument is one word whatever its type (an
 * int or a pointer): passed on as it came. */
RW_EXPORT int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(ioctl)(fd, request, arg);
}

static int fcntl_common(int (*real)(int, int, void *), int fd, int cmd, void *arg, uintptr_t pc)
{
    rw_fd_use_at(fd, pc);
    int r = real(fd, cmd, arg);
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        rw_fd_made_at(r, pc);
    return r;
}

RW_EXPORT int rw_fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return fcntl_common(RW_RESOLVE(fcntl), fd, cmd, arg, RW_CALLER_PC());
}

RW_EXPORT int rw_fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return fcntl_common(RW_RESOLVE(fcntl64), fd, cmd, arg, RW_CALLER_PC());
}

RW_EXPORT int fsync(int fd)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fsync)(fd);
}

RW_EXPORT int fdatasync(int fd)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fdatasync)(fd);
}

RW_EXPORT int rw_ftruncate(int fd, off_t len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(ftruncate)(fd, len);
}

RW_EXPORT int rw_ftruncate64(int fd, off_t len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(ftruncate64)(fd, len);
}

RW_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(bind)(fd, addr, len);
}

RW_EXPORT int listen(int fd, int backlog)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(listen)(fd, backlog);
}

RW_EXPORT int shutdown(int fd, int how)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(shutdown)(fd, how);
}

RW_EXPORT int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(getsockopt)(fd, level, name, val, len);
}

RW_EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(setsockopt)(fd, level, name, val, len);
}

RW_EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(getsockname)(fd, addr, len);
}

RW_EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(getpeername)(fd, addr, len);
}

RW_EXPORT int fchmod(int fd, mode_t mode)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fchmod)(fd, mode);
}

RW_EXPORT int fchown(int fd, uid_t uid, gid_t gid)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    return RW_RESOLVE(fchown)(fd, uid, gid);
}
