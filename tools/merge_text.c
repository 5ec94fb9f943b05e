/* merge_text.c: the text form of a merge (merge_text.h).
 *
 *   <the report's text, exactly as the runtime printed it>
 *   (seen 3 times in 2 processes)      when it was seen more than once
 *   (in test_a, test_b)                the processes, by name (proc_name.h);
 *                                      the first 5, then "and N more"
 *   (known, in baseline)               when --baseline lists it
 *   <blank line>
 *   ...
 *   racewatch merge: 4 process(es), 2 with reports
 *   Found 1 data race(s)                one line per kind that occurred,
 *   Found 1 use(s) after free
 *   Found 1 deadlock(s)                 counting distinct reports
 *   Found 1 potential deadlock(s)
 *   Found 1 misuse report(s)
 *   Found 1 thread leak(s)
 *   4 distinct report(s) (6 in all): 3 new, 1 known (in baseline)
 *   FAIL: 3 new report(s) of the kinds in --fail-on (all)
 *
 * The "Found" lines are the runtime's own summary lines over the whole
 * merge; the last line is PASS or FAIL, as the exit status says. */
#include "tools/merge_text.h"

#include <string.h>

/* Processes named under a report; --junit has them all. */
#define NAMES_SHOWN 5

static const char *const found_words[RW_REC_NREPORT_KINDS] = {
    [RW_REC_DATA_RACE] = "data race(s)",
    [RW_REC_DEADLOCK] = "deadlock(s)",
    [RW_REC_LOCK_ORDER] = "potential deadlock(s)",
    [RW_REC_MISUSE] = "misuse report(s)",
    [RW_REC_USE_AFTER_FREE] = "use(s) after free",
    [RW_REC_THREAD_LEAK] = "thread leak(s)",
};

void rw_merge_write_summary(FILE *f, const rw_merge *m, const rw_merge_opts *o)
{
    size_t with_reports = 0, no_summary = 0;
    for (size_t i = 0; i < m->nprocs; i++) {
        with_reports += m->procs[i].nentries > 0;
        no_summary += !m->procs[i].has_summary;
    }
    fprintf(f, "racewatch merge: %zu process(es), %zu with reports", m->nprocs, with_reports);
    if (no_summary)
        fprintf(f, ", %zu without a summary (crashed, killed, exec'd or still running)", no_summary);
    fputc('\n', f);

    size_t per_kind[RW_REC_NREPORT_KINDS] = { 0 };
    size_t known = 0, failing = 0;
    for (size_t i = 0; i < m->nentries; i++) {
        per_kind[m->entries[i].rec.kind]++;
        known += m->entries[i].known;
        failing += m->entries[i].fails;
    }
    static const rw_rec_kind order[] = { RW_REC_DATA_RACE, RW_REC_USE_AFTER_FREE, RW_REC_DEADLOCK,
                                         RW_REC_LOCK_ORDER, RW_REC_MISUSE, RW_REC_THREAD_LEAK };
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (per_kind[order[i]])
            fprintf(f, "Found %zu %s\n", per_kind[order[i]], found_words[order[i]]);
    if (m->nentries == 0) {
        fputs("No reports.\n", f);
    } else {
        fprintf(f, "%zu distinct report(s) (%lld in all)", m->nentries, m->nrecords);
        if (o->baseline != NULL)
            fprintf(f, ": %zu new, %zu known (in baseline)", m->nentries - known, known);
    }
    if (o->baseline != NULL && o->baseline_unseen)
        fprintf(f, "%s%zu baseline entr%s not seen", m->nentries ? "; " : "", o->baseline_unseen,
                o->baseline_unseen == 1 ? "y" : "ies");
    if (m->nentries || (o->baseline != NULL && o->baseline_unseen))
        fputc('\n', f);
    if (failing)
        fprintf(f, "FAIL: %zu new report(s) of the kinds in --fail-on (%s)\n", failing,
                rw_fail_on_text(o->fail_on));
    else
        fprintf(f, "PASS: no new report of the kinds in --fail-on (%s)\n", rw_fail_on_text(o->fail_on));
}

void rw_merge_write_text(FILE *f, const rw_merge *m, const rw_merge_opts *o)
{
    for (size_t i = 0; i < m->nentries; i++) {
        const rw_entry *e = &m->entries[i];
        const char *t = e->rec.text;
        size_t n = strlen(t);
        fputs(t, f);
        if (n == 0 || t[n - 1] != '\n')
            fputc('\n', f);
        if (e->count > 1)
            fprintf(f, "(seen %lld times in %zu process%s)\n", e->count, e->nprocs,
                    e->nprocs == 1 ? "" : "es");
        fputs("(in ", f);
        for (size_t k = 0; k < e->nprocs && k < NAMES_SHOWN; k++)
            fprintf(f, "%s%s", k ? ", " : "", m->procs[e->procs[k]].name);
        if (e->nprocs > NAMES_SHOWN)
            fprintf(f, " and %zu more", e->nprocs - NAMES_SHOWN);
        fputs(")\n", f);
        if (e->known)
            fputs("(known, in baseline)\n", f);
        fputc('\n', f);
    }
    rw_merge_write_summary(f, m, o);
}
