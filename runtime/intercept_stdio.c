/* intercept_stdio.c: stdio calls on a FILE stream, each saying what it
 * does to the stream's object (stream_objects.c) and, for opening and
 * closing, to the descriptor under it (fd_objects.c):
 *
 *   open (a new stream, written): fopen, fopen64, fdopen (uses its
 *       descriptor), freopen, freopen64 (writes the old stream first),
 *       popen, tmpfile, tmpfile64, fmemopen, open_memstream; the
 *       descriptor under a new stream is made too;
 *   close (written): fclose, pclose; the descriptor is closed too;
 *   locked use (read): fputs, puts, fputc, putc, putchar, fprintf,
 *       printf, vfprintf, vprintf and their _FORTIFY_SOURCE __*_chk forms,
 *       fgets, fgetc, getc, getchar, ungetc, getline, getdelim, fflush,
 *       fseek, fseeko, ftell, ftello, rewind, setvbuf; fread and fwrite
 *       are intercept_io.c's;
 *   unlocked use (written): fputs_unlocked, fputc_unlocked,
 *       putc_unlocked, fgets_unlocked, fflush_unlocked (and
 *       fwrite_unlocked, fread_unlocked in intercept_io.c); glibc's
 *       headers inline some of these (putc_unlocked...) at -O: those
 *       calls are not seen;
 *   flockfile, ftrylockfile (when it took the lock): acquire the
 *       stream's lock; funlockfile: release it.
 *
 * The stream is used before the real call (a call asleep in a read has
 * used the stream), opened after it returned one.  printf and the other
 * variadic calls go to the real v* function.  The printf family also
 * notes a call from inside a signal handler (it takes the stream's lock
 * and may allocate: not async-signal-safe; signal_reports.c).  Calls made
 * by racewatch itself (rw_in_rt) pass straight through. */
#include "runtime/rt.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>

#include "runtime/fd_objects.h"
#include "runtime/stream_objects.h"

RW_DECLARE_REAL(FILE *, fopen, const char *, const char *);
RW_DECLARE_REAL(FILE *, fopen64, const char *, const char *);
RW_DECLARE_REAL(FILE *, fdopen, int, const char *);
RW_DECLARE_REAL(FILE *, freopen, const char *, const char *, FILE *);
RW_DECLARE_REAL(FILE *, freopen64, const char *, const char *, FILE *);
RW_DECLARE_REAL(FILE *, popen, const char *, const char *);
RW_DECLARE_REAL(FILE *, tmpfile, void);
RW_DECLARE_REAL(FILE *, tmpfile64, void);
RW_DECLARE_REAL(FILE *, fmemopen, void *, size_t, const char *);
RW_DECLARE_REAL(FILE *, open_memstream, char **, size_t *);
RW_DECLARE_REAL(int, fclose, FILE *);
RW_DECLARE_REAL(int, pclose, FILE *);
RW_DECLARE_REAL(int, fputs, const char *, FILE *);
RW_DECLARE_REAL(int, puts, const char *);
RW_DECLARE_REAL(int, fputc, int, FILE *);
RW_DECLARE_REAL(int, putc, int, FILE *);
RW_DECLARE_REAL(int, putchar, int);
RW_DECLARE_REAL(int, vfprintf, FILE *, const char *, va_list);
RW_DECLARE_REAL(int, __vfprintf_chk, FILE *, int, const char *, va_list);
RW_DECLARE_REAL(char *, fgets, char *, int, FILE *);
RW_DECLARE_REAL(char *, __fgets_chk, char *, size_t, int, FILE *);
RW_DECLARE_REAL(int, fgetc, FILE *);
RW_DECLARE_REAL(int, getc, FILE *);
RW_DECLARE_REAL(int, getchar, void);
RW_DECLARE_REAL(int, ungetc, int, FILE *);
RW_DECLARE_REAL(ssize_t, getline, char **, size_t *, FILE *);
RW_DECLARE_REAL(ssize_t, getdelim, char **, size_t *, int, FILE *);
RW_DECLARE_REAL(int, fflush, FILE *);
RW_DECLARE_REAL(int, fseek, FILE *, long, int);
RW_DECLARE_REAL(int, fseeko, FILE *, off_t, int);
RW_DECLARE_REAL(long, ftell, FILE *);
RW_DECLARE_REAL(off_t, ftello, FILE *);
RW_DECLARE_REAL(void, rewind, FILE *);
RW_DECLARE_REAL(int, setvbuf, FILE *, char *, int, size_t);
RW_DECLARE_REAL(int, fputs_unlocked, const char *, FILE *);
RW_DECLARE_REAL(int, fputc_unlocked, int, FILE *);
RW_DECLARE_REAL(int, putc_unlocked, int, FILE *);
RW_DECLARE_REAL(char *, fgets_unlocked, char *, int, FILE *);
RW_DECLARE_REAL(int, fflush_unlocked, FILE *);
RW_DECLARE_REAL(void, flockfile, FILE *);
RW_DECLARE_REAL(int, ftrylockfile, FILE *);
RW_DECLARE_REAL(void, funlockfile, FILE *);

/* After a call that opened f (NULL: it failed). */
static FILE *opened(FILE *f, uintptr_t pc)
{
    if (!f)
        return f;
    rw_thread *t = rw_enter();
    if (!t)
        return f;
    rw_stream_created(t, f, pc);
    int fd = fileno_unlocked(f);
    if (fd >= 0)
        rw_fd_created(t, fd, pc);
    rw_leave();
    return f;
}

/* Before fclose / pclose / freopen: the stream and its descriptor are
 * written (closed). */
static void closing(FILE *f, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_stream_write(t, f, pc);
    int fd = f ? fileno_unlocked(f) : -1;
    if (fd >= 0)
        rw_fd_close(t, fd, pc);
    rw_stream_closed(f);
    rw_leave();
}

/* --- opening and closing ---------------------------------------------------- */

/* The build uses 64-bit file offsets, where <stdio.h> renames fopen to
 * fopen64 (and so on): each symbol is defined under its explicit name. */
RW_EXPORT FILE *rw_fopen(const char *path, const char *mode) __asm__("fopen");
RW_EXPORT FILE *rw_fopen64(const char *path, const char *mode) __asm__("fopen64");
RW_EXPORT FILE *rw_freopen(const char *path, const char *mode, FILE *f) __asm__("freopen");
RW_EXPORT FILE *rw_freopen64(const char *path, const char *mode, FILE *f) __asm__("freopen64");
RW_EXPORT FILE *rw_tmpfile(void) __asm__("tmpfile");
RW_EXPORT FILE *rw_tmpfile64(void) __asm__("tmpfile64");
RW_EXPORT int rw_fseeko(FILE *f, off_t off, int whence) __asm__("fseeko");
RW_EXPORT off_t rw_ftello(FILE *f) __asm__("ftello");

RW_EXPORT FILE *rw_fopen(const char *path, const char *mode)
{
    return opened(RW_RESOLVE(fopen)(path, mode), RW_CALLER_PC());
}

RW_EXPORT FILE *rw_fopen64(const char *path, const char *mode)
{
    return opened(RW_RESOLVE(fopen64)(path, mode), RW_CALLER_PC());
}

RW_EXPORT FILE *fdopen(int fd, const char *mode)
{
    rw_fd_use_at(fd, RW_CALLER_PC());
    FILE *f = RW_RESOLVE(fdopen)(fd, mode);
    if (f) {
        rw_thread *t = rw_enter();
        if (t) {
            rw_stream_created(t, f, RW_CALLER_PC());
            rw_leave();
        }
    }
    return f;
}

RW_EXPORT FILE *rw_freopen(const char *path, const char *mode, FILE *f)
{
    closing(f, RW_CALLER_PC());
    return opened(RW_RESOLVE(freopen)(path, mode, f), RW_CALLER_PC());
}

RW_EXPORT FILE *rw_freopen64(const char *path, const char *mode, FILE *f)
{
    closing(f, RW_CALLER_PC());
    return opened(RW_RESOLVE(freopen64)(path, mode, f), RW_CALLER_PC());
}

RW_EXPORT FILE *popen(const char *cmd, const char *mode)
{
    return opened(RW_RESOLVE(popen)(cmd, mode), RW_CALLER_PC());
}

RW_EXPORT FILE *rw_tmpfile(void)
{
    return opened(RW_RESOLVE(tmpfile)(), RW_CALLER_PC());
}

RW_EXPORT FILE *rw_tmpfile64(void)
{
    return opened(RW_RESOLVE(tmpfile64)(), RW_CALLER_PC());
}

RW_EXPORT FILE *fmemopen(void *buf, size_t size, const char *mode)
{
    return opened(RW_RESOLVE(fmemopen)(buf, size, mode), RW_CALLER_PC());
}

RW_EXPORT FILE *open_memstream(char **ptr, size_t *size)
{
    return opened(RW_RESOLVE(open_memstream)(ptr, size), RW_CALLER_PC());
}

RW_EXPORT int fclose(FILE *f)
{
    closing(f, RW_CALLER_PC());
    return RW_RESOLVE(fclose)(f);
}

RW_EXPORT int pclose(FILE *f)
{
    closing(f, RW_CALLER_PC());
    return RW_RESOLVE(pclose)(f);
}

/* --- locked uses ---------------------------------------------------------- */

RW_EXPORT int fputs(const char *s, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fputs)(s, f);
}

RW_EXPORT int puts(const char *s)
{
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    return RW_RESOLVE(puts)(s);
}

RW_EXPORT int fputc(int c, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fputc)(c, f);
}

RW_EXPORT int (putc)(int c, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(putc)(c, f);
}

RW_EXPORT int (putchar)(int c)
{
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    return RW_RESOLVE(putchar)(c);
}

RW_EXPORT int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vfprintf", RW_CALLER_PC());
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(vfprintf)(f, fmt, ap);
}

RW_EXPORT int vprintf(const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vprintf", RW_CALLER_PC());
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    return RW_RESOLVE(vfprintf)(stdout, fmt, ap);
}

RW_EXPORT int fprintf(FILE *f, const char *fmt, ...)
{
    rw_signal_unsafe_call("fprintf", RW_CALLER_PC());
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(vfprintf)(f, fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT int printf(const char *fmt, ...)
{
    rw_signal_unsafe_call("printf", RW_CALLER_PC());
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(vfprintf)(stdout, fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vfprintf", RW_CALLER_PC());
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(__vfprintf_chk)(f, flag, fmt, ap);
}

RW_EXPORT int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vprintf", RW_CALLER_PC());
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    return RW_RESOLVE(__vfprintf_chk)(stdout, flag, fmt, ap);
}

RW_EXPORT int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
    rw_signal_unsafe_call("fprintf", RW_CALLER_PC());
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(__vfprintf_chk)(f, flag, fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT int __printf_chk(int flag, const char *fmt, ...)
{
    rw_signal_unsafe_call("printf", RW_CALLER_PC());
    rw_stream_access_at(stdout, 0, RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(__vfprintf_chk)(stdout, flag, fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT char *fgets(char *s, int n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fgets)(s, n, f);
}

RW_EXPORT char *__fgets_chk(char *s, size_t size, int n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(__fgets_chk)(s, size, n, f);
}

RW_EXPORT int fgetc(FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fgetc)(f);
}

RW_EXPORT int (getc)(FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(getc)(f);
}

RW_EXPORT int (getchar)(void)
{
    rw_stream_access_at(stdin, 0, RW_CALLER_PC());
    return RW_RESOLVE(getchar)();
}

RW_EXPORT int ungetc(int c, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(ungetc)(c, f);
}

RW_EXPORT ssize_t getline(char **line, size_t *n, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(getline)(line, n, f);
}

RW_EXPORT ssize_t getdelim(char **line, size_t *n, int delim, FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(getdelim)(line, n, delim, f);
}

/* fflush(NULL) flushes every stream: no one object. */
RW_EXPORT int fflush(FILE *f)
{
    if (f)
        rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fflush)(f);
}

RW_EXPORT int fseek(FILE *f, long off, int whence)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fseek)(f, off, whence);
}

RW_EXPORT int rw_fseeko(FILE *f, off_t off, int whence)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(fseeko)(f, off, whence);
}

RW_EXPORT long ftell(FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(ftell)(f);
}

RW_EXPORT off_t rw_ftello(FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(ftello)(f);
}

RW_EXPORT void rewind(FILE *f)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    RW_RESOLVE(rewind)(f);
}

RW_EXPORT int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    rw_stream_access_at(f, 0, RW_CALLER_PC());
    return RW_RESOLVE(setvbuf)(f, buf, mode, size);
}

/* --- unlocked uses -------------------------------------------------------- */

RW_EXPORT int fputs_unlocked(const char *s, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    return RW_RESOLVE(fputs_unlocked)(s, f);
}

RW_EXPORT int (fputc_unlocked)(int c, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    return RW_RESOLVE(fputc_unlocked)(c, f);
}

RW_EXPORT int (putc_unlocked)(int c, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    return RW_RESOLVE(putc_unlocked)(c, f);
}

RW_EXPORT char *fgets_unlocked(char *s, int n, FILE *f)
{
    rw_stream_access_at(f, 1, RW_CALLER_PC());
    return RW_RESOLVE(fgets_unlocked)(s, n, f);
}

RW_EXPORT int fflush_unlocked(FILE *f)
{
    if (f)
        rw_stream_access_at(f, 1, RW_CALLER_PC());
    return RW_RESOLVE(fflush_unlocked)(f);
}

/* --- the stream's lock ---------------------------------------------------- */

RW_EXPORT void flockfile(FILE *f)
{
    RW_RESOLVE(flockfile)(f);
    rw_thread *t = rw_enter();
    if (t) {
        rw_stream_locked(t, f);
        rw_leave();
    }
}

RW_EXPORT int ftrylockfile(FILE *f)
{
    int r = RW_RESOLVE(ftrylockfile)(f);
    if (r == 0) {
        rw_thread *t = rw_enter();
        if (t) {
            rw_stream_locked(t, f);
            rw_leave();
        }
    }
    return r;
}

RW_EXPORT void funlockfile(FILE *f)
{
    rw_thread *t = rw_enter();
    if (t) {
        rw_stream_unlocked(t, f);
        rw_leave();
    }
    RW_RESOLVE(funlockfile)(f);
}
