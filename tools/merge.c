/* merge.c: "racewatch merge [OPTIONS] INPUT...": options, the order of
 * the work, and the exit status (merge.h).
 *
 * The baseline is read first, then every input file (merge_input.h)
 * into one rw_merge (merge_fold.h).  Each entry is then marked known
 * (listed in the baseline) and failing (not known, and of a kind in
 * --fail-on), and the outputs are written from the same entries: text,
 * SARIF, JUnit, JSON lines, a new baseline.  Any error (a bad option, an
 * unreadable or malformed file, an output that cannot be written) is one
 * line on stderr and exit RW_EXIT_ERROR (125), racewatch's own error
 * status everywhere, before or instead of a verdict; 1 means failing
 * reports; 0 none.
 *
 * Options are parsed like run's: --name=VALUE or --name VALUE, one dash
 * or two.  They may come before, between or after the inputs; "--" ends
 * them. */
#include "tools/merge.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/options.h"
#include "tools/baseline.h"
#include "tools/errtext.h"
#include "tools/junit_write.h"
#include "tools/merge_input.h"
#include "tools/merge_json.h"
#include "tools/merge_text.h"
#include "tools/proc_name.h"
#include "tools/sarif_uri.h"
#include "tools/sarif_write.h"
#include "tools/strvec.h"

#ifndef RW_VERSION
#define RW_VERSION "unknown"
#endif


void rw_merge_usage(FILE *f)
{
    fputs(
"usage: racewatch merge [OPTIONS] INPUT...\n"
"\n"
"Merge the JSON report records that programs run with --json-path=P wrote\n"
"(P.<pid>.<start>.jsonl, one file per process; docs/json-format.md)\n"
"into one report.  Each INPUT is a file, or a directory: every *.jsonl\n"
"file under it.  The same report (the same fingerprint) seen in many processes is\n"
"shown once, with how often and in how many processes it was seen.\n"
"\n"
"Outputs (the text form alone when none of --sarif, --junit, --json,\n"
"--write-baseline is given; FILE \"-\" is standard output):\n"
"  --text                  the reports' text and a summary on stdout\n"
"  --sarif FILE            SARIF 2.1.0, for GitHub code scanning and other\n"
"                          SARIF viewers\n"
"  --junit FILE            JUnit XML: a testcase per process, named by its\n"
"                          command line; a failure per failing report\n"
"  --json FILE             the merged records as JSON lines, with \"count\"\n"
"                          and \"processes\" (merge reads them back)\n"
"  --write-baseline FILE   the fingerprints of all reports, one a line\n"
"\n"
"Options:\n"
"  --baseline FILE         reports listed in FILE are known: shown as\n"
"                          \"(known, in baseline)\", never failing\n"
"  --fail-on KINDS         which new reports fail the merge: a comma list\n"
"                          of data_race, deadlock, lock_order_inversion,\n"
"                          misuse, use_after_free, thread_leak, all (the\n"
"                          default: all but thread_leak), or none\n"
"  --source-root DIR       SARIF file locations relative to DIR (the\n"
"                          repository's root), as %SRCROOT%\n"
"\n"
"Exit status: 0 no failing report, 1 new reports of the kinds in\n"
"--fail-on, 125 an error (bad option, unreadable or malformed input or\n"
"baseline, named with its file and line; an output that cannot be\n"
"written).\n"
"\n"
"Example (docs/ci.md has recipes for meson, CTest, make and CI):\n"
"  mkdir -p rw\n"
"  racewatch run --exitcode=0 --json-path=$PWD/rw/report ./test1\n"
"  racewatch run --exitcode=0 --json-path=$PWD/rw/report ./test2\n"
"  racewatch merge --text --sarif rw.sarif --junit rw.xml \\\n"
"      --baseline racewatch.baseline rw/\n", f);
}

static const char *const fail_names[RW_REC_NREPORT_KINDS] = {
    "data_race", "deadlock", "lock_order_inversion", "misuse", "use_after_free", "thread_leak",
};

const char *rw_fail_on_text(unsigned mask)
{
    static char buf[128];
    if (mask == RW_FAIL_ON_ALL)
        return "all";
    if (mask == 0)
        return "none";
    buf[0] = '\0';
    if ((mask & RW_FAIL_ON_ALL) == RW_FAIL_ON_ALL) {
        strcat(buf, "all");
        mask &= ~(unsigned)RW_FAIL_ON_ALL;
    }
    for (int k = 0; k < RW_REC_NREPORT_KINDS; k++) {
        if (mask & (1u << k)) {
            if (buf[0])
                strcat(buf, ",");
            strcat(buf, fail_names[k]);
        }
    }
    return buf;
}

long rw_parse_fail_on(const char *s)
{
    if (!strcmp(s, "none"))
        return 0;
    unsigned mask = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        long found = -1;
        for (int k = 0; k < RW_REC_NREPORT_KINDS; k++)
            if (strlen(fail_names[k]) == n && !strncmp(p, fail_names[k], n))
                found = 1L << k;
        if (n == 3 && !strncmp(p, "all", 3))
            found = RW_FAIL_ON_ALL;
        if (found < 0)
            return -1;
        mask |= (unsigned)found;
        if (!comma)
            return mask;
        p = comma + 1;
    }
}

typedef struct opts {
    int text;
    const char *sarif, *junit, *json, *baseline, *write_baseline, *fail_on, *source_root;
} opts;

/* Parse argv[1..argc); inputs go to in.  0, 1 after --help, or 2 after
 * printing an error. */
static int parse(int argc, char **argv, opts *o, strvec *in)
{
    static const struct {
        const char *name;
        size_t off;
    } valued[] = {
        {"sarif", offsetof(opts, sarif)},
        {"junit", offsetof(opts, junit)},
        {"json", offsetof(opts, json)},
        {"baseline", offsetof(opts, baseline)},
        {"write-baseline", offsetof(opts, write_baseline)},
        {"fail-on", offsetof(opts, fail_on)},
        {"source-root", offsetof(opts, source_root)},
    };
    int options = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options || a[0] != '-' || !strcmp(a, "-")) {
            sv_push(in, a);
            continue;
        }
        if (!strcmp(a, "--")) {
            options = 0;
            continue;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        if ((n == 4 && !strncmp(name, "help", 4)) || (n == 1 && name[0] == 'h')) {
            rw_merge_usage(stdout);
            return 1;
        }
        if (n == 4 && !strncmp(name, "text", 4)) {
            if (eq) {
                fprintf(stderr, "racewatch merge: --text takes no value\n");
                return 2;
            }
            o->text = 1;
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof valued / sizeof *valued; k++)
            if (strlen(valued[k].name) == n && !strncmp(name, valued[k].name, n))
                break;
        if (k == sizeof valued / sizeof *valued) {
            fprintf(stderr, "racewatch merge: unknown option '%s' (see 'racewatch help merge')\n", a);
            return 2;
        }
        const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (val == NULL || val[0] == '\0') {
            fprintf(stderr, "racewatch merge: --%s needs a value\n", valued[k].name);
            return 2;
        }
        *(const char **)((char *)o + valued[k].off) = val;
    }
    return 0;
}

/* Open an output (FILE "-" is stdout); NULL after printing. */
static FILE *out_open(const char *path)
{
    if (!strcmp(path, "-"))
        return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fprintf(stderr, "racewatch merge: %s: %s\n", path, rw_errno_text(errno));
    return f;
}

/* Flush and close; 0, or -1 after printing. */
static int out_close(FILE *f, const char *path)
{
    int bad = ferror(f);
    int rc = f == stdout ? fflush(f) : fclose(f);
    if (bad || rc != 0) {
        fprintf(stderr, "racewatch merge: %s: %s\n", path, rw_errno_text(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

/* An absolute, lexically clean --source-root. */
static char *absolute_root(const char *dir)
{
    if (dir[0] == '/')
        return rw_clean_path(dir);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return NULL;
    char *joined = sv_printf("%s/%s", cwd, dir);
    char *clean = rw_clean_path(joined);
    free(joined);
    return clean;
}

int rw_merge_main(int argc, char **argv)
{
    opts o = { 0 };
    strvec inputs = { 0 };
    int rc = parse(argc, argv, &o, &inputs);
    if (rc != 0) {
        sv_free(&inputs);
        return rc == 1 ? 0 : RW_EXIT_ERROR;
    }
    if (inputs.n == 0) {
        fprintf(stderr, "racewatch merge: no INPUT (a .jsonl file or a directory; see 'racewatch help merge')\n");
        return RW_EXIT_ERROR;
    }
    rw_merge_opts mo = { RW_FAIL_ON_ALL, o.baseline, 0, NULL, RW_VERSION };
    if (o.fail_on != NULL) {
        long mask = rw_parse_fail_on(o.fail_on);
        if (mask < 0) {
            fprintf(stderr, "racewatch merge: bad value '%s' for --fail-on (want a comma list of data_race, "
                            "deadlock, lock_order_inversion, misuse, use_after_free, thread_leak, all, or none)\n",
                    o.fail_on);
            sv_free(&inputs);
            return RW_EXIT_ERROR;
        }
        mo.fail_on = (unsigned)mask;
    }
    char *root = NULL;
    if (o.source_root != NULL) {
        root = absolute_root(o.source_root);
        if (root == NULL) {
            fprintf(stderr, "racewatch merge: --source-root: %s\n", rw_errno_text(errno));
            sv_free(&inputs);
            return RW_EXIT_ERROR;
        }
        mo.source_root = root;
    }

    rw_baseline base = { 0 };
    rw_merge m;
    rw_merge_init(&m);
    strvec files = { 0 };
    rc = RW_EXIT_ERROR;
    if (o.baseline != NULL && rw_baseline_read(&base, o.baseline) != 0)
        goto out;
    if (rw_merge_collect(inputs.v, inputs.n, &files) != 0)
        goto out;
    for (size_t i = 0; i < files.n; i++)
        if (rw_merge_read(&m, files.v[i]) != 0)
            goto out;
    rw_merge_name_processes(&m);

    mo.baseline_unseen = rw_baseline_apply(&base, &m);
    size_t failing = 0;
    for (size_t i = 0; i < m.nentries; i++) {
        rw_entry *e = &m.entries[i];
        e->fails = !e->known && (mo.fail_on & (1u << e->rec.kind));
        failing += e->fails;
    }

    const struct {
        const char *path;
        void (*write)(FILE *, const rw_merge *, const rw_merge_opts *);
    } outs[] = {
        {o.sarif, rw_sarif_write},
        {o.junit, rw_junit_write},
    };
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++) {
        if (outs[i].path == NULL)
            continue;
        FILE *f = out_open(outs[i].path);
        if (f == NULL)
            goto out;
        outs[i].write(f, &m, &mo);
        if (out_close(f, outs[i].path) != 0)
            goto out;
    }
    if (o.json != NULL) {
        FILE *f = out_open(o.json);
        if (f == NULL)
            goto out;
        rw_merge_write_json(f, &m);
        if (out_close(f, o.json) != 0)
            goto out;
    }
    if (o.write_baseline != NULL && rw_baseline_write(&m, o.write_baseline) != 0)
        goto out;
    int text = o.text || (!o.sarif && !o.junit && !o.json && !o.write_baseline);
    if (text) {
        rw_merge_write_text(stdout, &m, &mo);
        if (out_close(stdout, "standard output") != 0)
            goto out;
    } else if (failing) {
        fprintf(stderr, "racewatch merge: FAIL: %zu new report(s) of the kinds in --fail-on (%s); "
                        "--text shows them\n",
                failing, rw_fail_on_text(mo.fail_on));
    }
    rc = failing ? 1 : 0;
out:
    rw_merge_free(&m);
    rw_baseline_free(&base);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    sv_free(&files);
    sv_free(&inputs);
    free(root);
    return rc;
}
