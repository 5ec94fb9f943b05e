/* junit_write.c: the JUnit XML of a merge (junit_write.h).
 *
 * XML 1.0 cannot hold every byte: text goes in CDATA sections, split
 * where the text holds "]]>"; characters XML forbids (most control
 * characters, such as the ESC of a color code) become U+FFFD; a byte
 * that is not UTF-8 is its Latin-1 character (json_utf8.h).  Attribute
 * values escape & < > " and white space other than a plain space. */
#include "tools/junit_write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/json_utf8.h"
#include "tools/merge_text.h"
#include "tools/proc_name.h"
#include "tools/strvec.h"

static void put_cp(FILE *f, uint32_t cp)
{
    int ok = cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
             (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok)
        cp = 0xfffd;
    if (cp < 0x80) {
        fputc((int)cp, f);
    } else if (cp < 0x800) {
        fputc((int)(0xc0 | cp >> 6), f);
        fputc((int)(0x80 | (cp & 0x3f)), f);
    } else if (cp < 0x10000) {
        fputc((int)(0xe0 | cp >> 12), f);
        fputc((int)(0x80 | (cp >> 6 & 0x3f)), f);
        fputc((int)(0x80 | (cp & 0x3f)), f);
    } else {
        fputc((int)(0xf0 | cp >> 18), f);
        fputc((int)(0x80 | (cp >> 12 & 0x3f)), f);
        fputc((int)(0x80 | (cp >> 6 & 0x3f)), f);
        fputc((int)(0x80 | (cp & 0x3f)), f);
    }
}

/* Walk s as characters; attr: escape for an attribute value. */
static void put_text(FILE *f, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        uint32_t cp;
        int valid;
        size_t n = rw_utf8_next(p, left, &cp, &valid);
        if (attr && cp == '&')
            fputs("&amp;", f);
        else if (attr && cp == '<')
            fputs("&lt;", f);
        else if (attr && cp == '>')
            fputs("&gt;", f);
        else if (attr && cp == '"')
            fputs("&quot;", f);
        else if (attr && (cp == '\n' || cp == '\t' || cp == '\r'))
            fprintf(f, "&#%u;", (unsigned)cp);
        else if (!attr && cp == ']' && left >= 3 && p[1] == ']' && p[2] == '>') {
            /* "]]>" would end the section: end it after "]]", start again */
            fputs("]]]]><![CDATA[>", f);
            n = 3;
        } else
            put_cp(f, cp);
        p += n;
        left -= n;
    }
}

static void cdata(FILE *f, const char *s)
{
    fputs("<![CDATA[", f);
    put_text(f, s, 0);
    fputs("]]>", f);
}

static void attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    put_text(f, value, 1);
    fputc('"', f);
}

static void memtext(char **text, size_t *len, FILE **f)
{
    *text = NULL;
    *f = open_memstream(text, len);
    if (*f == NULL)
        sv_out_of_memory();
}

/* How the process ended, and its reports that do not fail. */
static char *process_out(const rw_merge *m, const rw_proc *p)
{
    char *text;
    size_t len;
    FILE *f;
    memtext(&text, &len, &f);
    fprintf(f, "%s, pid %lld, records in %s\n", p->program, p->pid, p->file);
    char *command = rw_proc_command_line(p);
    if (command != NULL)
        fprintf(f, "command line: %s\n", command);
    free(command);
    if (p->has_summary) {
        fprintf(f, "exit status %lld; the process counted %lld data race(s), %lld deadlock(s), "
                   "%lld potential deadlock(s), %lld misuse report(s)",
                p->exit_status, p->races, p->deadlocks, p->potential_deadlocks, p->misuse);
        if (p->uses_after_free)
            fprintf(f, ", %lld use(s) after free", p->uses_after_free);
        if (p->thread_leaks)
            fprintf(f, ", %lld thread leak(s)", p->thread_leaks);
        fputs("\n", f);
    }
    else
        fputs("no summary record: the process crashed, was killed, called _exit or exec, or was "
              "still running\n",
              f);
    for (size_t i = 0; i < p->nentries; i++) {
        const rw_entry *e = &m->entries[p->entries[i]];
        if (e->fails)
            continue;
        fputs(e->known ? "\n(known, in baseline)\n" : "\n(not failing: its kind is not in --fail-on)\n", f);
        fputs(e->rec.text, f);
    }
    fclose(f);
    return text;
}

void rw_junit_write(FILE *f, const rw_merge *m, const rw_merge_opts *o)
{
    size_t failed = 0;
    for (size_t i = 0; i < m->nprocs; i++) {
        const rw_proc *p = &m->procs[i];
        int fails = 0;
        for (size_t k = 0; k < p->nentries && !fails; k++)
            fails = m->entries[p->entries[k]].fails;
        failed += fails;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"racewatch\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", m->nprocs,
            failed);
    fprintf(f, "  <testsuite name=\"racewatch\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
            m->nprocs, failed);
    for (size_t i = 0; i < m->nprocs; i++) {
        const rw_proc *p = &m->procs[i];
        fputs("    <testcase", f);
        attr(f, "name", p->name);
        attr(f, "classname", p->program);
        fputs(">\n", f);
        for (size_t k = 0; k < p->nentries; k++) {
            const rw_entry *e = &m->entries[p->entries[k]];
            if (!e->fails)
                continue;
            fputs("      <failure", f);
            attr(f, "message", e->rec.title);
            char type[96];
            if (e->rec.kind == RW_REC_MISUSE && e->rec.rule)
                snprintf(type, sizeof type, "misuse/%s", e->rec.rule); /* its rule */
            else
                snprintf(type, sizeof type, "%s", rw_rec_kind_name(e->rec.kind));
            attr(f, "type", type);
            fputc('>', f);
            cdata(f, e->rec.text);
            fputs("</failure>\n", f);
        }
        char *out = process_out(m, p);
        fputs("      <system-out>", f);
        cdata(f, out);
        fputs("</system-out>\n", f);
        free(out);
        fputs("    </testcase>\n", f);
    }
    char *summary;
    size_t len;
    FILE *s;
    memtext(&summary, &len, &s);
    rw_merge_write_summary(s, m, o);
    fclose(s);
    fputs("    <system-out>", f);
    cdata(f, summary);
    fputs("</system-out>\n", f);
    free(summary);
    fputs("  </testsuite>\n</testsuites>\n", f);
}
