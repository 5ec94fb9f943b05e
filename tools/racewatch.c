/* racewatch.c: main() of the racewatch command: picks the subcommand
 * (run, merge, cc, help, version) and prints the top-level usage.  The
 * subcommands live in run.c, merge.c and cc_wrap.c. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "runtime/options.h"
#include "tools/cc_wrap.h"
#include "tools/merge.h"
#include "tools/run.h"
#include "tools/run_flags.h"
#include "tools/runtime_path.h"

#ifndef RW_VERSION
#define RW_VERSION "unknown"
#endif

static void usage(FILE *f)
{
    fputs(
"racewatch finds data races and deadlocks in threaded C programs and\n"
"reports them the way Go's race detector does.\n"
"\n"
"usage: racewatch <command> [arguments]\n"
"\n"
"Commands:\n"
"  run [OPTIONS] PROG [ARGS...]  run a program under the detector\n"
"  merge [OPTIONS] INPUT...      merge the JSON reports of many runs into\n"
"                                text, SARIF or JUnit, for CI\n"
"  cc ARGS...                    compile and link against the detector\n"
"                                (the same as racewatch-cc)\n"
"  help [run|merge|cc]           print this text, or a command's\n"
"  version                       print the version and the runtime in use\n"
"\n"
"Quick start:\n"
"  racewatch-cc -g -O1 -o prog prog.c      (or CC=racewatch-cc make)\n"
"  racewatch run ./prog\n"
"\n"
"Any dynamically linked program can be run; one built with racewatch-cc\n"
"is also checked at every memory access the compiler instrumented.\n"
"A race prints a \"WARNING: DATA RACE\" block on standard error, and the\n"
"program's exit status becomes 66 if it would have been 0.  A deadlock\n"
"prints \"fatal error: all threads are asleep - deadlock!\" and exits 2.\n"
"\n"
"Environment:\n"
"  RACEWATCH_OPTIONS     runtime options, e.g. \"halt_on_error=1 exitcode=3\"\n"
"                        (see 'racewatch help run')\n"
"  RACEWATCH_CC          the compiler racewatch-cc runs (default cc)\n"
"  RACEWATCH_CC_VERBOSE  1: racewatch-cc prints the commands it runs\n"
"\n"
"Run 'racewatch help run' for the options and exit statuses of run,\n"
"'racewatch help merge' for CI reports (docs/ci.md), 'racewatch help cc'\n"
"for the compiler wrapper.\n", f);
}

static int version(void)
{
    rw_runtime_path rt;
    char err[PATH_MAX + 100];
    printf("racewatch version %s\n", RW_VERSION);
    if (rw_find_runtime(&rt, err, sizeof err) == 0)
        printf("runtime: %s\n", rt.path);
    else
        printf("runtime: %s\n", err);
    return 0;
}

static int help(const char *topic)
{
    if (topic == NULL) {
        usage(stdout);
    } else if (!strcmp(topic, "run")) {
        rw_run_usage(stdout);
    } else if (!strcmp(topic, "merge")) {
        rw_merge_usage(stdout);
    } else if (!strcmp(topic, "cc")) {
        rw_cc_usage(stdout);
    } else {
        fprintf(stderr, "racewatch: unknown help topic '%s' (try 'racewatch help')\n", topic);
        return RW_EXIT_ERROR;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RW_EXIT_ERROR;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return rw_run_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return rw_merge_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "cc"))
        return rw_cc_main(argc - 2, argv + 2, "racewatch");
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return help(argc > 2 ? argv[2] : NULL);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version"))
        return version();
    fprintf(stderr, "racewatch: unknown command '%s' (try 'racewatch help')\n", cmd);
    return RW_EXIT_ERROR;
}
