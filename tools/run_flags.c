/* run_flags.c: "racewatch run" option parsing and its --help text (see
 * run_flags.h).
 *
 * Options are GNU-style long options with Go's leniency: --name=VALUE,
 * --name VALUE, and one dash works as well as two.  A switch alone means
 * on; --switch=0 turns it off.  Each value is validated at once by
 * rw_options_parse on "key=value", so a bad one is named with the flag the
 * user typed.  Values may not hold the separators of the RACEWATCH_OPTIONS
 * text (space, tab, comma, and colon except in log_path): they would split
 * into another option inside the program. */
#include "tools/run_flags.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/options.h"
#include "tools/strvec.h"

const rw_run_flag rw_run_flags[] = {
    {"log-path", "log_path", "PATH", "stderr",
     "Write reports to the file PATH.<pid> instead of standard error\n"
     "(\"stderr\" and \"stdout\" name the streams).  The program's own\n"
     "output is never redirected.  PATH may not contain spaces or commas."},
    {"json-path", "json_path", "PATH", "none",
     "Also write every report as a JSON line (docs/json-format.md) to\n"
     "PATH.<pid>.<start>.jsonl, one file per process (<start>: its start\n"
     "time), for racewatch merge, SARIF and JUnit."},
    {"suppressions", "suppressions", "FILE", "none",
     "Do not report what FILE suppresses (ThreadSanitizer's syntax:\n"
     "race:, race_top:, deadlock:, mutex:, thread:, called_from_lib:,\n"
     "with * wildcards on function, file or module names).  Rules that\n"
     "matched are counted at exit.  A malformed file is an error."},
    {"unused-suppressions", "unused_suppressions", NULL, "off",
     "At exit, also list the suppression rules that never matched."},
    {"exitcode", "exitcode", "N", "66",
     "Exit status when races or potential deadlocks were reported and\n"
     "the program itself exited 0 (0..255).  A non-zero status of the\n"
     "program's own is kept."},
    {"halt-on-error", "halt_on_error", NULL, "off",
     "Stop the program after the first report."},
    {"history-size", "history_size", "N", "2",
     "Per-thread event history kept to print the stack of the earlier\n"
     "access of a race: 64K << N events (0..7).  Larger values find\n"
     "older accesses' stacks and use more memory."},
    {"color", "color", "WHEN", "auto",
     "Color the reports: never, always, or auto (when the report\n"
     "stream is a terminal)."},
    {"report-thread-leaks", "report_thread_leaks", NULL, "on",
     "At exit, report the threads that finished but were never joined\n"
     "nor detached (WARNING: THREAD LEAK).  Warnings only: a clean exit\n"
     "stays 0.  --report-thread-leaks=fail counts them like misuse\n"
     "(exit 66); --report-thread-leaks=0 turns them off."},
    {"follow-exec", "follow_exec", NULL, "on",
     "Watch the programs this one executes too (each process reports\n"
     "for itself).  --follow-exec=0 watches only this program."},
    {"verbosity", "verbosity", "N", "0",
     "Diagnostics about racewatch itself on standard error (0..2)."},
    {"baseline", NULL, "FILE", "none",
     "Reports whose fingerprints FILE lists (a baseline, docs/ci.md) are\n"
     "known: still printed, but they do not fail the run.  When every\n"
     "report is known, racewatch exits with the program's own status, as\n"
     "if there had been none.  A malformed FILE is an error."},
    {"write-baseline", NULL, "FILE", "none",
     "After the program ends, write the fingerprints of every report of\n"
     "the run (all its processes) to FILE, for --baseline later."},
    {"fail-on", NULL, "KINDS", "all",
     "Which new reports fail the run: a comma list of data_race,\n"
     "deadlock, lock_order_inversion, misuse, use_after_free,\n"
     "thread_leak and all (all but thread_leak, the default: thread\n"
     "leaks fail only when named),\n"
     "or none."},
    {NULL, NULL, NULL, NULL, NULL},
};

static const rw_run_flag *find(const char *name, size_t n)
{
    for (int i = 0; rw_run_flags[i].name; i++)
        if (strlen(rw_run_flags[i].name) == n && !strncmp(rw_run_flags[i].name, name, n))
            return &rw_run_flags[i];
    return NULL;
}

/* Check one value; 0 or -1 with err filled. */
static int check(const rw_run_flag *f, const char *val, char *err, size_t errlen)
{
    int path = !strcmp(f->key, "log_path") || !strcmp(f->key, "json_path") ||
               !strcmp(f->key, "suppressions");
    const char *seps = path ? " \t\n," : " \t\n,:";
    if (strpbrk(val, seps) != NULL) {
        snprintf(err, errlen, "bad value '%s' for --%s (RACEWATCH_OPTIONS cannot carry %s)",
                 val, f->name, path ? "spaces or commas" : "spaces, commas or colons");
        return -1;
    }
    rw_options scratch;
    rw_options_defaults(&scratch);
    char *pair = sv_printf("%s=%s", f->key, val);
    char perr[512];
    int rc = rw_options_parse(pair, &scratch, perr, sizeof perr);
    free(pair);
    if (rc == 0)
        return 0;
    const char *want = strstr(perr, "(want ");   /* the parser's hint, if any */
    if (want != NULL)
        snprintf(err, errlen, "bad value '%s' for --%s %s", val, f->name, want);
    else
        snprintf(err, errlen, "--%s: %s", f->name, perr);
    return -1;
}

int rw_run_parse_flags(int argc, char **argv, int *next, char **text, rw_run_own *own,
                       char *err, size_t errlen)
{
    *text = sv_printf("%s", "");
    memset(own, 0, sizeof *own);
    int i = *next;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        const char *name = a + (a[1] == '-' ? 2 : 1);
        if (!strcmp(name, "help") || !strcmp(name, "h")) {
            *next = i + 1;
            return 1;
        }
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const rw_run_flag *f = find(name, n);
        if (f == NULL) {
            snprintf(err, errlen, "unknown option '%.*s' for 'racewatch run' "
                     "(see 'racewatch run --help')", (int)(n + (size_t)(name - a)), a);
            return -1;
        }
        const char *val;
        if (eq != NULL) {
            val = eq + 1;
        } else if (f->metavar == NULL) {
            val = "1";
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            snprintf(err, errlen, "option --%s needs a value (--%s=%s)", f->name, f->name,
                     f->metavar);
            return -1;
        }
        if (f->key == NULL) {         /* racewatch run's own */
            if (val[0] == '\0') {
                snprintf(err, errlen, "option --%s needs a value (--%s=%s)", f->name, f->name,
                         f->metavar);
                return -1;
            }
            if (!strcmp(f->name, "baseline"))
                own->baseline = val;
            else if (!strcmp(f->name, "write-baseline"))
                own->write_baseline = val;
            else
                own->fail_on = val;
            continue;
        }
        if (check(f, val, err, errlen) != 0)
            return -1;
        /* File options are made absolute here: the program and its
         * children may change directory before they write. */
        char *abs = NULL;
        int is_file = !strcmp(f->key, "log_path") || !strcmp(f->key, "json_path") ||
                      !strcmp(f->key, "suppressions");
        if (is_file && val[0] != '/' && strcmp(val, "stderr") && strcmp(val, "stdout")) {
            char cwd[4096];
            if (getcwd(cwd, sizeof cwd))
                abs = sv_printf("%s/%s", cwd, val);
        }
        char *more = sv_printf("%s%s%s=%s", *text, **text ? " " : "", f->key, abs ? abs : val);
        free(abs);
        free(*text);
        *text = more;
    }
    *next = i;
    return 0;
}

void rw_run_usage(FILE *f)
{
    fputs(
"usage: racewatch run [OPTIONS] PROG [ARGS...]\n"
"\n"
"Run PROG with ARGS under the racewatch runtime, like 'go run' with -race.\n"
"libracewatch.so is preloaded (LD_PRELOAD), so any dynamically linked\n"
"program works; programs built with racewatch-cc also report every memory\n"
"access the compiler instrumented.  PROG is looked up in $PATH when it has\n"
"no slash.  Its standard input, output and error pass through untouched;\n"
"reports go to standard error unless --log-path says otherwise.\n"
"\n"
"Options end at the first argument that is not an option, or at \"--\".\n"
"Each is a runtime option (the key in brackets) and may also be set in\n"
"the RACEWATCH_OPTIONS environment variable as key=value pairs separated\n"
"by spaces; options given here come last and win.\n"
"\n", f);
    for (int i = 0; rw_run_flags[i].name; i++) {
        const rw_run_flag *o = &rw_run_flags[i];
        char head[80];
        if (o->metavar)
            snprintf(head, sizeof head, "--%s=%s", o->name, o->metavar);
        else
            snprintf(head, sizeof head, "--%s", o->name);
        if (o->key)
            fprintf(f, "  %-22s [%s] default %s\n", head, o->key, o->deflt);
        else
            fprintf(f, "  %-22s (racewatch run only) default %s\n", head, o->deflt);
        for (const char *p = o->help; *p; ) {
            const char *nl = strchr(p, '\n');
            int len = nl ? (int)(nl - p) : (int)strlen(p);
            fprintf(f, "      %.*s\n", len, p);
            p += len + (nl != NULL);
        }
    }
    fputs(
"  -h, --help\n"
"      Print this text.\n"
"\n"
"Only in RACEWATCH_OPTIONS: report_races=0 turns race reports off.\n"
"\n"
"With --baseline, --fail-on or --write-baseline, every watched process of\n"
"the run (children too) also writes its JSON records to a private\n"
"directory, read when the program ends: racewatch lists each distinct\n"
"report as \"known\" or \"new\", writes the baseline, and exits as if the\n"
"run were clean when no new report of the kinds in --fail-on was made;\n"
"else with the program's status, or 66 (--exitcode) if that was 0.\n"
"A deadlock or fatal misuse keeps its 2: the program did not finish.\n"
"\n"
"Exit status, as 'go run' reports it:\n"
"  the program's own    it exited with status N != 0: racewatch prints\n"
"                       \"exit status N\" on standard error and exits N\n"
"  0                    the program exited 0 and nothing was reported\n"
"                       (or, with --baseline / --fail-on, nothing new)\n"
"  66 (--exitcode)      races, potential deadlocks or misuse warnings were\n"
"                       reported and the program exited 0\n"
"  2                    a deadlock (\"fatal error: all threads are asleep\")\n"
"                       or fatal misuse (\"fatal error: ...\", \"panic: ...\")\n"
"                       stopped the program\n"
"  125                  racewatch's own error: a bad option or\n"
"                       RACEWATCH_OPTIONS, a malformed suppression or\n"
"                       baseline file, no PROG, no runtime library found;\n"
"                       the program is not started\n"
"  126                  PROG exists but cannot be executed\n"
"  127                  PROG was not found\n"
"  128+N                the program died of signal N: racewatch prints\n"
"                       \"signal: <name>\", e.g. \"signal: killed\" (137)\n"
"\n"
"While the program runs, racewatch ignores SIGINT and SIGQUIT (the program\n"
"receives them from the terminal) and passes SIGTERM and SIGHUP on to it.\n"
"\n"
"Examples:\n"
"  racewatch run ./server --port 8080\n"
"  racewatch run --halt-on-error --log-path=/tmp/races ./test_queue\n"
"  RACEWATCH_OPTIONS='history_size=4 verbosity=1' racewatch run ./a.out\n"
"  racewatch run --write-baseline racewatch.baseline ./test_queue\n"
"  racewatch run --baseline racewatch.baseline ./test_queue\n", f);
}
