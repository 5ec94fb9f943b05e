/* report_sink.c: where report text goes.  stderr by default; with
 * log_path=P each process writes P.<pid> (opened on its first report, so
 * a clean process leaves no file), or "stdout"/"stderr".  Text is written
 * with write(2) as soon as a report is complete: a crash or _exit later
 * loses nothing.  One lock keeps reports from different threads whole. */
#include "runtime/rt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "detector/spinlock.h"

static rw_spin sink_lock = RW_SPIN_INIT;
static int sink_fd = -1;
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
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
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

/* JSON lines go to <json_path>.<pid>.jsonl, opened on first use. */
static int json_fd = -1;
static pid_t json_pid;

int rw_json_enabled(void)
{
    return rw_opts.json_path[0] != '\0';
}

void rw_sink_json(const char *text, size_t len)
{
    pid_t pid = getpid();
    if (json_fd < 0 || json_pid != pid) {
        char path[1100];
        snprintf(path, sizeof path, "%s.%d.jsonl", rw_opts.json_path, (int)pid);
        json_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        json_pid = pid;
        if (json_fd < 0) {
            char msg[1300];
            int n = snprintf(msg, sizeof msg, "racewatch: cannot open %s: %s; no JSON records\n",
                             path, strerror(errno));
            write_all(2, msg, (size_t)n);
            rw_opts.json_path[0] = '\0';
            return;
        }
    }
    write_all(json_fd, text, len);
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
    json_fd = -1;
    /* A file sink belongs to the parent's pid: the child opens its own. */
    if (sink_fd > 2)
        sink_fd = -1;
    sink_lock.v = 0;
}

void rw_sink_lock(void)
{
    rw_spin_lock(&sink_lock);
}

void rw_sink_unlock(void)
{
    rw_spin_unlock(&sink_lock);
}
