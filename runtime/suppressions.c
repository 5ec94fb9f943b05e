/* suppressions.c: the runtime's use of suppression files
 * (detector/suppress.h): loaded before main from the `suppressions`
 * option (a malformed file is one error line naming file and line, exit
 * 125, program not started), consulted before each report is printed, and
 * summarized at exit: every rule that matched, with its count, and on
 * request (`unused_suppressions=1`) the rules that never matched. */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <stdio.h>

#include "detector/suppress.h"
#include "runtime/symbolize.h"

static rw_supp_list rules;

void rw_suppressions_init(void)
{
    if (!rw_opts.suppressions[0])
        return;
    char err[1400];
    if (rw_supp_load(&rules, rw_opts.suppressions, err, sizeof err) != 0)
        rw_die("%s", err);
}

/* Symbolize stacks into frames (all frames, or each stack's top one) and
 * ask the rules of `kind`. */
int rw_suppressed(int kind, const rw_report_stack *const *stacks, int nstacks, int top_only)
{
    if (rules.n == 0)
        return 0;
    enum { MAXF = 256 };
    static rw_frame names[MAXF] RW_LARGE_BSS; /* under the sink lock or a fatal path */
    rw_supp_frame frames[MAXF];
    int n = 0;
    for (int s = 0; s < nstacks; s++) {
        int depth = top_only && stacks[s]->n > 0 ? 1 : stacks[s]->n;
        for (int i = 0; i < depth && n < MAXF; i++) {
            rw_frame fr[8];
            int k = rw_symbolize_pc(stacks[s]->pcs[i], 1, fr, 8);
            for (int j = 0; j < k && n < MAXF; j++) {
                names[n] = fr[j];
                frames[n].function = names[n].function;
                frames[n].file = names[n].file;
                frames[n].module = names[n].module;
                n++;
            }
        }
    }
    return rw_supp_match(&rules, kind, frames, n) != NULL;
}

void rw_suppressions_summary(void)
{
    char line[512];
    int any = 0;
    for (int i = 0; i < rules.n; i++) {
        if (!rules.rules[i].hits)
            continue;
        if (!any++) {
            int n = snprintf(line, sizeof line, "racewatch: matched suppressions:\n");
            rw_sink_write(line, (size_t)n);
        }
        int n = snprintf(line, sizeof line, "%7llu %s\n", (unsigned long long)rules.rules[i].hits,
                         rules.rules[i].text);
        rw_sink_write(line, (size_t)n);
    }
    if (!rw_opts.unused_suppressions)
        return;
    any = 0;
    for (int i = 0; i < rules.n; i++) {
        if (rules.rules[i].hits)
            continue;
        if (!any++) {
            int n = snprintf(line, sizeof line, "racewatch: suppressions that never matched:\n");
            rw_sink_write(line, (size_t)n);
        }
        int n = snprintf(line, sizeof line, "        %s\n", rules.rules[i].text);
        rw_sink_write(line, (size_t)n);
    }
}
