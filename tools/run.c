/* run.c: "racewatch run": validate options, start the program with the
 * runtime preloaded, wait, and report its end the way `go run` does.
 *
 * Before anything starts, the options are checked by the runtime's own
 * parser (runtime/options.c), the inherited RACEWATCH_OPTIONS included,
 * so a mistake is one "racewatch: ..." line and exit RW_EXIT_ERROR (125,
 * racewatch's own error status; 2 is a deadlock's), never a program that
 * half-ran.  The child gets
 *   RACEWATCH_OPTIONS = <inherited> + " " + <ours>   (later keys win)
 *   LD_PRELOAD        = <abs path of libracewatch.so>:<inherited>
 * and is started with vfork + execvp.  An exec failure leaves its errno
 * in memory the child shares with us until then, so the one error line
 * and the status (127 not found, 126 not executable) come from the
 * parent.
 *
 * Signals: SIGINT and SIGQUIT from the terminal reach the whole process
 * group; we ignore them and let the program decide.  SIGTERM and SIGHUP
 * are sent to us alone (kill, a closing terminal), so we pass them on.
 * Both are blocked from before fork until the child's pid is known, and
 * the child restores the dispositions and mask it would have had.
 *
 * Baselines (--baseline, --fail-on, --write-baseline): the baseline is
 * read and checked before the program starts.  Every watched process of
 * the run then also writes its JSON records under a private directory
 * (RW_RUN_RECORDS_ENV, inherited by the program's children; the user's
 * --json-path, if any, still gets its own copy).  When the program has
 * ended, racewatch reads them back with merge's reader (merge_input.h),
 * lists each distinct report as known or new, writes the new baseline,
 * and decides: new reports of the kinds in --fail-on keep the failing
 * status (66 if the program exited 0); none turn the status racewatch's
 * runtime made (the summary record's exit_status) back into the one the
 * program meant (program_exit_status).  A deadlock or fatal misuse keeps
 * its 2, and a signal its 128+N: the program did not finish. */
#include "detector/suppress.h"
#include "tools/run.h"
#include "tools/watchable.h"

#include <dirent.h>
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
#include "tools/baseline.h"
#include "tools/errtext.h"
#include "tools/merge.h"
#include "tools/merge_input.h"
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

/* Check inherited + CLI options together into *o; 0, or -1 after printing. */
static int validate(const char *cli, rw_options *o_out)
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
    *o_out = o;
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

/* How the program ended. */
typedef struct ended {
    pid_t pid;     /* its pid, 0 if it never ran */
    int exited;    /* 1: exited with code; 0: killed by signal sig */
    int code, sig, core;
} ended;

/* Set by the child when its exec fails (the child borrows our memory). */
static volatile int exec_error;

/* vfork, and execvp in the child: the child borrows our memory and page
 * tables until its exec, where fork copied them and the exec threw the
 * copy away (2.1 ms of CPU per run on the 2-CPU VM, a fifth of `racewatch
 * run` of an empty program).  The child
 * only restores the SIGINT/SIGQUIT dispositions and the mask it would
 * have had (no handler of ours can run in it: SIGTERM and SIGHUP stay
 * blocked until then, and get our handler only in the parent, after),
 * then execs; an exec failure leaves its errno in *err (0 otherwise).
 * glibc's posix_spawn would do the same, but its child ignores glibc's
 * two internal signals across the exec, and runs no shell for a script
 * without #! as execvp does. */
static pid_t start_child(char **argv, const struct sigaction *old_ign, const sigset_t *old_mask,
                         volatile int *err)
{
    static const int ignored[] = {SIGINT, SIGQUIT};
    *err = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        for (int k = 0; k < 2; k++)
            sigaction(ignored[k], &old_ign[k], NULL);
        sigprocmask(SIG_SETMASK, old_mask, NULL);
        execvp(argv[0], argv);
        *err = errno;
        _exit(127);
    }
    return pid;
}

/* Start argv[0] and wait for it; returns RW_EXIT_ERROR, 127 or 126 if it
 * could not be started (after printing), else 0 with *how filled. */
static int spawn_and_wait(char **argv, ended *how)
{
    memset(how, 0, sizeof *how);
    static const int ignored[] = {SIGINT, SIGQUIT};
    static const int forwarded[] = {SIGTERM, SIGHUP};
    struct sigaction ign, fwd, old_ign[2], old_fwd[2];
    sigset_t block, old_mask;

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
    pid_t pid = start_child(argv, old_ign, &old_mask, &exec_error);
    if (pid < 0) {
        fprintf(stderr, "racewatch: vfork: %s\n", rw_errno_text(errno));
        return RW_EXIT_ERROR;
    }

    child_pid = pid;
    for (int k = 0; k < 2; k++)
        if (old_fwd[k].sa_handler != SIG_IGN)   /* under nohup, stay deaf to SIGHUP */
            sigaction(forwarded[k], &fwd, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);

    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "racewatch: waitpid: %s\n", rw_errno_text(errno));
            return RW_EXIT_ERROR;
        }
    }

    int exec_err = exec_error;
    if (exec_err != 0) {
        if (exec_err == ENOENT && strchr(argv[0], '/') == NULL)
            fprintf(stderr, "racewatch: %s: executable file not found in $PATH\n", argv[0]);
        else
            fprintf(stderr, "racewatch: %s: %s\n", argv[0], rw_errno_text(exec_err));
        return exec_err == ENOENT ? 127 : 126;
    }
    how->pid = pid;
    if (WIFEXITED(st)) {
        how->exited = 1;
        how->code = WEXITSTATUS(st);
    } else {
        how->sig = WIFSIGNALED(st) ? WTERMSIG(st) : SIGKILL;
        how->core = WIFSIGNALED(st) && WCOREDUMP(st);
    }
    return 0;
}

/* Print how the program ended, as go run does; returns status (the exit
 * status racewatch ends with) or 128+N for a signal. */
static int report_end(const ended *how, int status)
{
    if (!how->exited) {
        fprintf(stderr, "signal: %s%s\n", rw_signal_text(how->sig), how->core ? " (core dumped)" : "");
        return 128 + how->sig;
    }
    if (status != 0)
        fprintf(stderr, "exit status %d\n", status);
    return status;
}

/* --- baselines ----------------------------------------------------------- */

typedef struct judge {
    int on;                 /* --baseline, --fail-on or --write-baseline given */
    rw_run_own own;
    unsigned fail_on;
    rw_baseline base;
    char dir[PATH_MAX];     /* the private records directory, "" if none */
} judge;

/* Check the options, read the baseline, make the private directory; 0, or
 * -1 after printing. */
static int judge_prepare(judge *j)
{
    j->on = j->own.baseline || j->own.write_baseline || j->own.fail_on;
    j->fail_on = RW_FAIL_ON_ALL;
    if (!j->on)
        return 0;
    rw_tool_name = "racewatch";
    if (j->own.fail_on) {
        long mask = rw_parse_fail_on(j->own.fail_on);
        if (mask < 0) {
            fprintf(stderr, "racewatch: bad value '%s' for --fail-on (want a comma list of data_race, "
                            "deadlock, lock_order_inversion, misuse, use_after_free, thread_leak, all, or none)\n",
                    j->own.fail_on);
            return -1;
        }
        j->fail_on = (unsigned)mask;
    }
    if (j->own.baseline && rw_baseline_read(&j->base, j->own.baseline) != 0)
        return -1;
    if (j->own.write_baseline) {
        /* Its directory must be there to write it at the end. */
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", j->own.write_baseline);
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        if (access(dir, W_OK) != 0) {
            fprintf(stderr, "racewatch: --write-baseline: %s: %s\n", dir, rw_errno_text(errno));
            return -1;
        }
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(j->dir, sizeof j->dir, "%s/racewatch-run.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(j->dir) == NULL) {
        fprintf(stderr, "racewatch: cannot create a directory for the run's records (%s): %s\n", j->dir,
                rw_errno_text(errno));
        j->dir[0] = '\0';
        return -1;
    }
    char *where = sv_printf("%s/report", j->dir);
    setenv(RW_RUN_RECORDS_ENV, where, 1);
    free(where);
    return 0;
}

/* Remove the private directory (it holds only the records). */
static void judge_cleanup(judge *j)
{
    if (j->dir[0]) {
        DIR *d = opendir(j->dir);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                char *f = sv_printf("%s/%s", j->dir, de->d_name);
                unlink(f);
                free(f);
            }
        }
        if (d)
            closedir(d);
        rmdir(j->dir);
        j->dir[0] = '\0';
    }
    rw_baseline_free(&j->base);
}

/* One line naming a report: fingerprint, title, top frame. */
static void describe(const rw_entry *e, const char *what)
{
    fprintf(stderr, "racewatch: %s: %016llx %s", what, (unsigned long long)e->fp, e->rec.title);
    const rw_rec_frame *fr = rw_record_top_frame(&e->rec);
    if (fr != NULL) {
        const char *base = strrchr(fr->file, '/');
        fprintf(stderr, " at %s()", fr->function);
        if (fr->file[0])
            fprintf(stderr, " %s:%lld", base ? base + 1 : fr->file, fr->line);
    }
    fputc('\n', stderr);
}

/* The verdict on the run's records: the exit status racewatch ends with.
 * status: what it would be without a baseline (the program's). */
static int judge_run(judge *j, const ended *how, int status, int exitcode)
{
    rw_merge m;
    rw_merge_init(&m);
    strvec files = { 0 };
    char *inputs[1] = { j->dir };
    int ok = 1;
    DIR *d = opendir(j->dir);
    int any = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        any |= strstr(de->d_name, ".jsonl") != NULL;
    if (d)
        closedir(d);
    if (any && rw_merge_collect(inputs, 1, &files) != 0)
        ok = 0;
    for (size_t i = 0; ok && i < files.n; i++)
        if (rw_merge_read(&m, files.v[i]) != 0)
            ok = 0;
    if (!ok) {
        fprintf(stderr, "racewatch: the run's records cannot be read; no verdict on the baseline\n");
    } else {
        rw_baseline_apply(&j->base, &m);
        size_t failing = 0, known = 0;
        for (size_t i = 0; i < m.nentries; i++) {
            rw_entry *e = &m.entries[i];
            e->fails = !e->known && (j->fail_on & (1u << e->rec.kind));
            failing += e->fails;
            known += e->known;
            if (j->own.baseline || j->own.fail_on)
                describe(e, e->known ? "known (in baseline)" : e->fails ? "new" : "new, not failing");
        }
        if (j->own.write_baseline) {
            if (rw_baseline_write(&m, j->own.write_baseline) != 0)
                status = RW_EXIT_ERROR;
            else
                fprintf(stderr, "racewatch: wrote %zu fingerprint(s) to %s\n", m.nentries,
                        j->own.write_baseline);
        }
        if ((j->own.baseline || j->own.fail_on) && status != RW_EXIT_ERROR) {
            fprintf(stderr, "racewatch: %zu distinct report(s): %zu new, %zu known (in baseline); ", m.nentries,
                    m.nentries - known, known);
            if (failing)
                fprintf(stderr, "FAIL: %zu new report(s) of the kinds in --fail-on (%s)\n", failing,
                        rw_fail_on_text(j->fail_on));
            else
                fprintf(stderr, "PASS: no new report of the kinds in --fail-on (%s)\n",
                        rw_fail_on_text(j->fail_on));
            if (how->exited && failing && status == 0) {
                status = exitcode;   /* a child's new report, the program itself clean */
            } else if (how->exited && !failing) {
                /* The program's own process: its last summary says what
                 * racewatch made of its status. */
                const rw_proc *main_proc = NULL;
                for (size_t i = 0; i < m.nprocs; i++)
                    if (m.procs[i].pid == (long long)how->pid && m.procs[i].has_summary)
                        main_proc = &m.procs[i];
                if (main_proc && main_proc->exit_status == status &&
                    main_proc->program_exit_status != main_proc->exit_status)
                    status = (int)main_proc->program_exit_status;
            }
        }
    }
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    sv_free(&files);
    rw_merge_free(&m);
    return status;
}

int rw_run_main(int argc, char **argv)
{
    int next = 1;
    char *cli = NULL;
    char err[600];
    judge j;
    memset(&j, 0, sizeof j);
    int rc = rw_run_parse_flags(argc, argv, &next, &cli, &j.own, err, sizeof err);
    if (rc == 1) {
        rw_run_usage(stdout);
        free(cli);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "racewatch: %s\n", err);
        free(cli);
        return RW_EXIT_ERROR;
    }
    if (next >= argc) {
        fprintf(stderr, "racewatch: run: no program to run "
                "(usage: racewatch run [OPTIONS] PROG [ARGS...])\n");
        free(cli);
        return RW_EXIT_ERROR;
    }
    rw_options o;
    if (validate(cli, &o) != 0) {
        free(cli);
        return RW_EXIT_ERROR;
    }
    rw_runtime_path rt;
    char rterr[PATH_MAX + 100];
    if (rw_find_runtime(&rt, rterr, sizeof rterr) != 0) {
        fprintf(stderr, "racewatch: %s\n", rterr);
        free(cli);
        return RW_EXIT_ERROR;
    }
    if (judge_prepare(&j) != 0) {
        judge_cleanup(&j);
        free(cli);
        return RW_EXIT_ERROR;
    }
    char why[PATH_MAX + 200];
    if (rw_watchable(argv[next], why, sizeof why))
        set_environment(cli, &rt);
    else
        fprintf(stderr, "racewatch: %s\n", why);
    free(cli);
    ended how;
    rc = spawn_and_wait(argv + next, &how);
    if (rc == 0) {
        int status = how.exited ? how.code : 128 + how.sig;
        if (j.on)
            status = judge_run(&j, &how, status, o.exitcode);
        rc = status == RW_EXIT_ERROR && how.code != RW_EXIT_ERROR ? status : report_end(&how, status);
    }
    judge_cleanup(&j);
    return rc;
}
