/* cc_exec.c: running the compiler for racewatch-cc (see cc_exec.h).
 * fork + execvp + waitpid; a child that cannot exec prints the same line
 * rw_cc_exec would and exits 127/126, as a shell does. */
#include "tools/cc_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/options.h"
#include "tools/errtext.h"

static const char *prog_name = "racewatch-cc";
static int verbose;

void rw_cc_exec_setup(const char *prog, int verb)
{
    prog_name = prog;
    verbose = verb;
}

/* The command, shell-quoted where needed, on stderr. */
static void echo(const strvec *cmd)
{
    if (!verbose)
        return;
    fprintf(stderr, "%s:", prog_name);
    for (size_t i = 0; i < cmd->n; i++) {
        const char *w = cmd->v[i];
        if (w[0] != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789-_=+,./:@%") == strlen(w)) {
            fprintf(stderr, " %s", w);
            continue;
        }
        fputs(" '", stderr);
        for (; *w; w++) {
            if (*w == '\'')
                fputs("'\\''", stderr);
            else
                fputc(*w, stderr);
        }
        fputc('\'', stderr);
    }
    fputc('\n', stderr);
}

static int exec_failed(const char *what, int err)
{
    fprintf(stderr, "%s: %s: %s\n", prog_name, what, rw_errno_text(err));
    return err == ENOENT ? 127 : 126;
}

int rw_cc_exec(const strvec *cmd)
{
    echo(cmd);
    fflush(NULL);
    execvp(cmd->v[0], cmd->v);
    return exec_failed(cmd->v[0], errno);
}

static int wait_for(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "%s: waitpid: %s\n", prog_name, rw_errno_text(errno));
            return RW_EXIT_ERROR;
        }
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int rw_cc_run(const strvec *cmd)
{
    echo(cmd);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", prog_name, rw_errno_text(errno));
        return RW_EXIT_ERROR;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);     /* our temp-file handlers are not theirs */
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execvp(cmd->v[0], cmd->v);
        _exit(exec_failed(cmd->v[0], errno));
    }
    return wait_for(pid);
}

int rw_cc_capture(const strvec *cmd, char *buf, size_t len)
{
    int pfd[2];
    if (len == 0 || pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(pfd[1], 1);
        if (devnull >= 0)
            dup2(devnull, 2);
        execvp(cmd->v[0], cmd->v);
        _exit(127);
    }
    close(pfd[1]);
    size_t n = 0;
    for (;;) {
        char sink[4096];
        char *dst = n + 1 < len ? buf + n : sink;
        size_t room = n + 1 < len ? len - 1 - n : sizeof sink;
        ssize_t got = read(pfd[0], dst, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (dst == buf + n)
            n += (size_t)got;
    }
    buf[n] = '\0';
    close(pfd[0]);
    return wait_for(pid);
}
