/* run.c: "racewatch run": validate options, start the program with the
 * runtime preloaded, wait, and report its end the way `go run` does.
 *
 * Before anything starts, the options are checked by the runtime's own
 * parser (runtime/options.c), the inherited RACEWATCH_OPTIONS included,
 * so a mistake is one "racewatch: ..." line and exit 2, never a program
 * that half-ran.  The child gets
 *   RACEWATCH_OPTIONS = <inherited> + " " + <ours>   (later keys win)
 *   LD_PRELOAD        = <abs path of libracewatch.so>:<inherited>
 * and is started with fork + execvp.  An exec failure travels back to us
 * as an errno over a close-on-exec pipe (EOF on the pipe means exec
 * worked), so the one error line and the status (127 not found, 126 not
 * executable) come from the parent.
 *
 * Signals: SIGINT and SIGQUIT from the terminal reach the whole process
 * group; we ignore them and let the program decide.  SIGTERM and SIGHUP
 * are sent to us alone (kill, a closing terminal), so we pass them on.
 * Both are blocked from before fork until the child's pid is known, and
 * the child restores the dispositions and mask it would have had. */
#include "detector/suppress.h"
#include "tools/run.h"
#include "tools/watchable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/options.h"
#include "tools/errtext.h"
#include "tools/run_flags.h"
#include "tools/runtime_path.h"
#include "tools/strvec.h"

static volatile sig_atomic_t child_pid;

static void forward(int sig)
{
    int saved = errno;
    if (child_pid > 0)
        kill((pid_t)child_pid, sig);
    errno = saved;
}

/* Check inherited + CLI options together; 0, or -1 after printing. */
static int validate(const char *cli)
{
    rw_options o;
    char err[600];
    const char *env = getenv("RACEWATCH_OPTIONS");
    rw_options_defaults(&o);
    if (rw_options_parse(env, &o, err, sizeof err) != 0) {
        fprintf(stderr, "racewatch: RACEWATCH_OPTIONS: %s\n", err);
        return -1;
    }
    if (rw_options_parse(cli, &o, err, sizeof err) != 0) {
        fprintf(stderr, "racewatch: %s\n", err);
        return -1;
    }
    /* Records written nowhere would be lost silently: the directory of
     * the JSON path must exist. */
    if (o.json_path[0]) {
        char dir[sizeof o.json_path];
        snprintf(dir, sizeof dir, "%s", o.json_path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            struct stat st;
            if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "racewatch: --json-path: directory %s does not exist\n", dir);
                return -1;
            }
        }
    }
    /* A suppression file is checked here with the runtime's own parser, so
     * a malformed one never starts the program. */
    if (o.suppressions[0]) {
        rw_supp_list rules = { 0 };
        char serr[1400];
        if (rw_supp_load(&rules, o.suppressions, serr, sizeof serr) != 0) {
            fprintf(stderr, "racewatch: %s\n", serr);
            return -1;
        }
    }
    return 0;
}

static void set_environment(const char *cli, const rw_runtime_path *rt)
{
    const char *env = getenv("RACEWATCH_OPTIONS");
    if (cli[0] != '\0') {
        char *v = env && env[0] ? sv_printf("%s %s", env, cli) : sv_printf("%s", cli);
        setenv("RACEWATCH_OPTIONS", v, 1);
        free(v);
    }
    const char *pre = getenv("LD_PRELOAD");
    char *v = pre && pre[0] ? sv_printf("%s:%s", rt->path, pre) : sv_printf("%s", rt->path);
    setenv("LD_PRELOAD", v, 1);
    free(v);
}

/* Start argv[0] and wait for it; returns racewatch's exit status. */
static int spawn_and_wait(char **argv)
{
    static const int ignored[] = {SIGINT, SIGQUIT};
    static const int forwarded[] = {SIGTERM, SIGHUP};
    struct sigaction ign, fwd, old_ign[2], old_fwd[2];
    sigset_t block, old_mask;

    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        fprintf(stderr, "racewatch: pipe: %s\n", rw_errno_text(errno));
        return 2;
    }
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    memset(&fwd, 0, sizeof fwd);
    fwd.sa_handler = forward;          /* no SA_RESTART: waitpid sees EINTR */
    sigemptyset(&fwd.sa_mask);
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old_mask);
    for (int k = 0; k < 2; k++) {
        sigaction(ignored[k], &ign, &old_ign[k]);
        sigaction(forwarded[k], NULL, &old_fwd[k]);
    }

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "racewatch: fork: %s\n", rw_errno_text(errno));
        return 2;
    }
    if (pid == 0) {
        close(pfd[0]);
        for (int k = 0; k < 2; k++)
            sigaction(ignored[k], &old_ign[k], NULL);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        execvp(argv[0], argv);
        int err = errno;
        if (write(pfd[1], &err, sizeof err) < 0) {
            /* the parent then sees EOF and the 127 below */
        }
        _exit(127);
    }

    child_pid = pid;
    for (int k = 0; k < 2; k++)
        if (old_fwd[k].sa_handler != SIG_IGN)   /* under nohup, stay deaf to SIGHUP */
            sigaction(forwarded[k], &fwd, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    close(pfd[1]);

    int exec_err = 0;
    ssize_t got;
    while ((got = read(pfd[0], &exec_err, sizeof exec_err)) < 0 && errno == EINTR)
        ;
    close(pfd[0]);

    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "racewatch: waitpid: %s\n", rw_errno_text(errno));
            return 2;
        }
    }

    if (got == (ssize_t)sizeof exec_err) {
        if (exec_err == ENOENT && strchr(argv[0], '/') == NULL)
            fprintf(stderr, "racewatch: %s: executable file not found in $PATH\n", argv[0]);
        else
            fprintf(stderr, "racewatch: %s: %s\n", argv[0], rw_errno_text(exec_err));
        return exec_err == ENOENT ? 127 : 126;
    }
    if (WIFEXITED(st)) {
        int code = WEXITSTATUS(st);
        if (code != 0)
            fprintf(stderr, "exit status %d\n", code);
        return code;
    }
    if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        fprintf(stderr, "signal: %s%s\n", rw_signal_text(sig),
                WCOREDUMP(st) ? " (core dumped)" : "");
        return 128 + sig;
    }
    return 2;
}

int rw_run_main(int argc, char **argv)
{
    int next = 1;
    char *cli = NULL;
    char err[600];
    int rc = rw_run_parse_flags(argc, argv, &next, &cli, err, sizeof err);
    if (rc == 1) {
        rw_run_usage(stdout);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "racewatch: %s\n", err);
        return 2;
    }
    if (next >= argc) {
        fprintf(stderr, "racewatch: run: no program to run "
                "(usage: racewatch run [OPTIONS] PROG [ARGS...])\n");
        return 2;
    }
    if (validate(cli) != 0)
        return 2;
    rw_runtime_path rt;
    char rterr[PATH_MAX + 100];
    if (rw_find_runtime(&rt, rterr, sizeof rterr) != 0) {
        fprintf(stderr, "racewatch: %s\n", rterr);
        return 2;
    }
    char why[PATH_MAX + 200];
    if (rw_watchable(argv[next], why, sizeof why))
        set_environment(cli, &rt);
    else
        fprintf(stderr, "racewatch: %s\n", why);
    free(cli);
    return spawn_and_wait(argv + next);
}
