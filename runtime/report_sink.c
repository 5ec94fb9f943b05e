/* report_sink.c: where report text goes.  stderr by default; with
 * log_path=P each process writes P.<pid> (opened on its first report, so
 * a clean process leaves no file), or "stdout"/"stderr".  Text is written
 * with write(2) as soon as a report is complete: a crash or _exit later
 * loses nothing.  One lock keeps reports from different threads whole.
 *
 * JSON records go to <json_path>.<pid>.<start>.jsonl and, under
 * `racewatch run` with a baseline, also to <run_records>.<pid>.<start>.jsonl
 * (the run's private copy, RW_RUN_RECORDS_ENV): each with one write(2)
 * per record, O_APPEND, so records of concurrent processes never
 * interleave and a crash right after a report keeps it.  <start> is the
 * process's start time (process_start_time): a JSON directory used again
 * holds files of earlier processes, and one of them may have had this
 * pid; with the start time in the name, this process never appends to
 * its file.  An exec keeps the pid and the start time, so the program it
 * starts appends to the same file, as the records' "program" tells.
 * Every record names its process (rw_json_here): pid, program, and the
 * command line, read once when the runtime starts. */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detector/spinlock.h"
#include "runtime/runtime_fds.h"

static rw_spin sink_lock = RW_SPIN_INIT;
static int sink_fd = -1;
/* Set under the sink lock when the exit summary counts the reports: a
 * race found after that (a thread still running while the process exits)
 * is neither printed nor counted, so the summary and the exit status
 * agree with what was printed. */
static int reports_closed;
static pid_t sink_pid;

static int open_sink(void)
{
    pid_t pid = getpid();
    if (sink_fd >= 0 && sink_pid == pid)
        return sink_fd;
    const char *p = rw_opts.log_path;
    if (p[0] == '\0' || !strcmp(p, "stderr")) {
        sink_fd = 2;
    } else if (!strcmp(p, "stdout")) {
        sink_fd = 1;
    } else {
        char path[1100];
        snprintf(path, sizeof path, "%s.%d", p, (int)pid);
        int fd = rw_fd_out_of_the_way(open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
        if (fd < 0) {
            char msg[1300];
            int n = snprintf(msg, sizeof msg, "racewatch: cannot open log file %s: %s; reporting on stderr\n",
                             path, strerror(errno));
            if (write(2, msg, (size_t)n) < 0) {
                /* stderr is gone too */
            }
            fd = 2;
        }
        sink_fd = fd;
    }
    sink_pid = pid;
    return sink_fd;
}

static void write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

/* The process's start time, in clock ticks after boot (field 22 of
 * /proc/self/stat; the second field, the command name in parentheses, may
 * hold spaces and parentheses, so fields are counted from the last ')').
 * A pid is reused only by a process that starts later, so the pid and the
 * start time name a process among all of this boot.  0 when unreadable. */
static unsigned long long process_start_time(void)
{
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (p == NULL)
        return 0;
    p++; /* the space before field 3 */
    for (int field = 3; field < 22; field++) {
        p = strchr(p + 1, ' ');
        if (p == NULL)
            return 0;
    }
    return strtoull(p + 1, NULL, 10);
}

/* JSON lines go to <json_path>.<pid>.<start>.jsonl and
 * <run_records>.<pid>.<start>.jsonl (<json_path>.<pid>.jsonl when the
 * start time cannot be read), each opened on first use. */
static int json_fd[2] = { -1, -1 };
static pid_t json_pid[2];

int rw_json_enabled(void)
{
    return rw_opts.json_path[0] != '\0' || rw_opts.run_records[0] != '\0';
}

static void json_to(int k, char *base, const char *text, size_t len)
{
    if (base[0] == '\0')
        return;
    pid_t pid = getpid();
    if (json_fd[k] < 0 || json_pid[k] != pid) {
        char path[1100];
        unsigned long long start = process_start_time();
        if (start)
            snprintf(path, sizeof path, "%s.%d.%llu.jsonl", base, (int)pid, start);
        else
            snprintf(path, sizeof path, "%s.%d.jsonl", base, (int)pid);
        json_fd[k] = rw_fd_out_of_the_way(open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
        json_pid[k] = pid;
        if (json_fd[k] < 0) {
            char msg[1300];
            int n = snprintf(msg, sizeof msg, "racewatch: cannot open %s: %s; no JSON records\n",
                             path, strerror(errno));
            write_all(2, msg, (size_t)n);
            base[0] = '\0';
            return;
        }
    }
    write_all(json_fd[k], text, len);
}

void rw_sink_json(const char *text, size_t len)
{
    json_to(0, rw_opts.json_path, text, len);
    json_to(1, rw_opts.run_records, text, len);
}

/* The command line, as /proc/self/cmdline shows it when the runtime
 * starts: a program may overwrite its argv later (setproctitle), and
 * /proc shows that.  Whole NUL-terminated arguments, at most
 * ARGS_MAX bytes: the ones that do not fit are left out (args_truncated),
 * so a record stays a few KiB however long the command. */
#define ARGS_MAX 4096
static char args[ARGS_MAX] RW_LARGE_BSS;
static size_t args_len;
static int args_known, args_truncated;

static void read_command_line(void)
{
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    size_t n = 0;
    while (n < sizeof args) {
        ssize_t r = read(fd, args + n, sizeof args - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    char more;
    args_truncated = n == sizeof args && read(fd, &more, 1) == 1;
    close(fd);
    if (n > 0 && args[n - 1] != '\0') {
        /* Cut inside an argument (or, were argv overwritten already, an
         * unterminated last one): keep the whole ones. */
        if (n < sizeof args) {
            args[n++] = '\0';
        } else {
            args_truncated = 1;
            while (n > 0 && args[n - 1] != '\0')
                n--;
        }
    }
    args_len = n;
    args_known = 1;
}

void rw_sink_init(void)
{
    if (rw_json_enabled())
        read_command_line();
}

rw_json_context rw_json_here(void)
{
    rw_json_context c = { (int)getpid(), rw_program_path(), NULL, 0, 0 };
    if (args_known) {
        c.args = args;
        c.args_len = args_len;
        c.args_truncated = args_truncated;
    }
    return c;
}

const char *rw_program_path(void)
{
    static char path[1024];
    if (!path[0]) {
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
        path[n > 0 ? n : 0] = '\0';
    }
    return path;
}

void rw_sink_write(const char *text, size_t len)
{
    int fd = open_sink();
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

int rw_sink_color(void)
{
    if (rw_opts.color == RW_COLOR_ALWAYS)
        return 1;
    if (rw_opts.color == RW_COLOR_NEVER)
        return 0;
    return isatty(open_sink());
}

void rw_sink_reopen_after_fork(void)
{
    json_fd[0] = json_fd[1] = -1;
    /* A file sink belongs to the parent's pid: the child opens its own. */
    if (sink_fd > 2)
        sink_fd = -1;
    sink_lock.v = 0;
    reports_closed = 0;
}

void rw_sink_lock(void)
{
    rw_spin_lock(&sink_lock);
}

void rw_sink_unlock(void)
{
    rw_spin_unlock(&sink_lock);
}

void rw_sink_close_reports(void)
{
    rw_sink_lock(); /* waits for a report being printed */
    reports_closed = 1;
    rw_sink_unlock();
}

int rw_sink_reports_closed(void)
{
    return reports_closed;
}
