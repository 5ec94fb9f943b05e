/* baseline.c: reading and writing baseline files (baseline.h).
 *
 * The fingerprints are kept sorted for a binary search.  A written
 * baseline is sorted by fingerprint too, so that a baseline kept in a
 * repository changes by whole lines when reports come and go; each
 * line's comment names the report's title and top frame (function,
 * file basename, line) for the human reading the diff. */
#include "tools/baseline.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/errtext.h"
#include "tools/strvec.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int rw_baseline_read(rw_baseline *b, const char *path)
{
    memset(b, 0, sizeof *b);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, nalloc = 0;
    long lineno = 0;
    int rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line, *e = line + strlen(line);
        while (*s && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (*s == '\0')
            continue;
        size_t n = 0;
        while (isxdigit((unsigned char)s[n]))
            n++;
        if (n != 16 || s[n] != '\0') {
            fprintf(stderr, "%s: %s:%ld: expected a fingerprint (16 hex digits), got '%.60s'\n",
                    rw_tool_name, path, lineno, s);
            rc = -1;
            break;
        }
        if (b->n == nalloc) {
            nalloc = nalloc ? nalloc * 2 : 64;
            b->fps = realloc(b->fps, nalloc * sizeof *b->fps);
            if (b->fps == NULL)
                sv_out_of_memory();
        }
        b->fps[b->n++] = rw_fingerprint_value(s);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc != 0) {
        rw_baseline_free(b);
        return -1;
    }
    if (b->n) {
        qsort(b->fps, b->n, sizeof *b->fps, cmp_u64);
        size_t k = 1;
        for (size_t i = 1; i < b->n; i++)
            if (b->fps[i] != b->fps[k - 1])
                b->fps[k++] = b->fps[i];
        b->n = k;
    }
    return 0;
}

int rw_baseline_has(const rw_baseline *b, uint64_t fp)
{
    return b->n && bsearch(&fp, b->fps, b->n, sizeof *b->fps, cmp_u64) != NULL;
}

size_t rw_baseline_apply(const rw_baseline *b, rw_merge *m)
{
    for (size_t i = 0; i < m->nentries; i++)
        m->entries[i].known = rw_baseline_has(b, m->entries[i].fp);
    size_t unseen = 0;
    for (size_t i = 0; i < b->n; i++)
        unseen += rw_merge_find(m, b->fps[i]) == NULL;
    return unseen;
}

static int by_fingerprint(const void *a, const void *b)
{
    const rw_entry *x = *(const rw_entry *const *)a, *y = *(const rw_entry *const *)b;
    return x->fp < y->fp ? -1 : x->fp > y->fp;
}

/* s on f with control characters as spaces (a comment stays one line). */
static void put_flat(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

int rw_baseline_write(const rw_merge *m, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno));
        return -1;
    }
    const rw_entry **v = calloc(m->nentries ? m->nentries : 1, sizeof *v);
    if (v == NULL)
        sv_out_of_memory();
    for (size_t i = 0; i < m->nentries; i++)
        v[i] = &m->entries[i];
    qsort(v, m->nentries, sizeof *v, by_fingerprint);
    fputs("# racewatch baseline: the fingerprints of known reports, one a line.\n"
          "# Written by 'racewatch merge --write-baseline' or 'racewatch run --write-baseline';\n"
          "# read by their --baseline, which shows these reports as known and does not fail on them.\n",
          f);
    for (size_t i = 0; i < m->nentries; i++) {
        const rw_record *r = &v[i]->rec;
        fprintf(f, "%016llx  # ", (unsigned long long)v[i]->fp);
        put_flat(f, r->title);
        const rw_rec_frame *fr = rw_record_top_frame(r);
        if (fr != NULL) {
            const char *base = strrchr(fr->file, '/');
            fputs(" at ", f);
            put_flat(f, fr->function);
            fputs("()", f);
            if (fr->file[0]) {
                fputc(' ', f);
                put_flat(f, base ? base + 1 : fr->file);
                fprintf(f, ":%lld", fr->line);
            }
        }
        fputc('\n', f);
    }
    free(v);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

void rw_baseline_free(rw_baseline *b)
{
    free(b->fps);
    memset(b, 0, sizeof *b);
}
