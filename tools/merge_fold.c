/* merge_fold.c: distinct reports and processes from a stream of records
 * (merge_fold.h).
 *
 * Entries are found by fingerprint in an open-addressing hash table that
 * doubles at half load.  Processes are searched among those of the
 * current file only, newest first: a file holds the records of one pid,
 * rarely of a few (a reused pid, an exec), so the search is short. */
#include "tools/merge_fold.h"

#include <stdlib.h>
#include <string.h>

#include "tools/strvec.h"

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 8;
    while (c < need)
        c *= 2;
    p = realloc(p, c * size);
    if (p == NULL)
        sv_out_of_memory();
    *cap = c;
    return p;
}

uint64_t rw_fingerprint_value(const char *hex)
{
    uint64_t v = 0;
    for (; *hex; hex++) {
        int c = *hex, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        v = v << 4 | (uint64_t)d;
    }
    return v;
}

void rw_merge_init(rw_merge *m)
{
    memset(m, 0, sizeof *m);
}

void rw_merge_begin_file(rw_merge *m, const char *file)
{
    m->file = file;
    m->file_first_proc = m->nprocs;
}

static size_t slot(uint64_t fp, size_t size)
{
    return (size_t)((fp * 0x9e3779b97f4a7c15ull) >> 20) & (size - 1);
}

rw_entry *rw_merge_find(rw_merge *m, uint64_t fp)
{
    if (m->table_size == 0)
        return NULL;
    for (size_t i = slot(fp, m->table_size);; i = (i + 1) & (m->table_size - 1)) {
        size_t e = m->table[i];
        if (e == 0)
            return NULL;
        if (m->entries[e - 1].fp == fp)
            return &m->entries[e - 1];
    }
}

static void table_insert(rw_merge *m, size_t index)
{
    if (2 * (m->nentries + 1) > m->table_size) {
        size_t size = m->table_size ? m->table_size * 2 : 64;
        size_t *t = calloc(size, sizeof *t);
        if (t == NULL)
            sv_out_of_memory();
        free(m->table);
        m->table = t;
        m->table_size = size;
        for (size_t e = 0; e < m->nentries; e++) {
            if (e == index)
                continue;
            size_t i = slot(m->entries[e].fp, size);
            while (t[i])
                i = (i + 1) & (size - 1);
            t[i] = e + 1;
        }
    }
    size_t i = slot(m->entries[index].fp, m->table_size);
    while (m->table[i])
        i = (i + 1) & (m->table_size - 1);
    m->table[i] = index + 1;
}

/* Keep a's command line for p, unless p has one already (the records
 * of one process all carry the same). */
static void take_argv(rw_proc *p, const rw_rec_argv *a)
{
    if (p->has_argv || !a->known)
        return;
    p->argv = calloc(a->n ? a->n : 1, sizeof *p->argv);
    if (p->argv == NULL)
        sv_out_of_memory();
    for (size_t i = 0; i < a->n; i++) {
        p->argv[i] = strdup(a->v[i]);
        if (p->argv[i] == NULL)
            sv_out_of_memory();
    }
    p->nargv = a->n;
    p->has_argv = 1;
    p->argv_truncated = a->truncated;
}

/* The open process (pid, program) of the current file, or with any_state
 * the latest one, open or ended; else a new one. */
static size_t process(rw_merge *m, long long pid, const char *program, int any_state)
{
    for (size_t i = m->nprocs; i > m->file_first_proc; i--) {
        rw_proc *p = &m->procs[i - 1];
        if ((p->open || any_state) && p->pid == pid && !strcmp(p->program, program))
            return i - 1;
    }
    m->procs = grow(m->procs, &m->cap_procs, m->nprocs + 1, sizeof *m->procs);
    rw_proc *p = &m->procs[m->nprocs];
    memset(p, 0, sizeof *p);
    p->file = m->file;
    p->pid = pid;
    p->program = strdup(program);
    if (p->program == NULL)
        sv_out_of_memory();
    p->open = 1;
    return m->nprocs++;
}

static void link_entry(rw_merge *m, size_t e, size_t p)
{
    rw_entry *en = &m->entries[e];
    rw_proc *pr = &m->procs[p];
    int seen = 0;
    for (size_t i = 0; i < en->nprocs && !seen; i++)
        seen = en->procs[i] == p;
    if (!seen) {
        en->procs = grow(en->procs, &en->cap_procs, en->nprocs + 1, sizeof *en->procs);
        en->procs[en->nprocs++] = p;
    }
    seen = 0;
    for (size_t i = 0; i < pr->nentries && !seen; i++)
        seen = pr->entries[i] == e;
    if (!seen) {
        pr->entries = grow(pr->entries, &pr->cap_entries, pr->nentries + 1, sizeof *pr->entries);
        pr->entries[pr->nentries++] = e;
    }
}

void rw_merge_add(rw_merge *m, rw_record *r)
{
    if (r->kind == RW_REC_SUMMARY) {
        size_t i = process(m, r->pid, r->program, 0); /* may move procs */
        rw_proc *p = &m->procs[i];
        take_argv(p, &r->argv);
        p->has_summary = 1;
        p->open = 0;
        p->races = r->races;
        p->potential_deadlocks = r->potential_deadlocks;
        p->misuse = r->misuse;
        p->exit_status = r->exit_status;
        p->deadlocks = r->deadlocks;
        p->program_exit_status = r->program_exit_status;
        p->thread_leaks = r->thread_leaks;
        p->uses_after_free = r->uses_after_free;
        rw_record_free(r);
        return;
    }
    m->nrecords += r->count;
    uint64_t fp = rw_fingerprint_value(r->fingerprint);
    rw_entry *en = rw_merge_find(m, fp);
    size_t e;
    if (en != NULL) {
        e = (size_t)(en - m->entries);
        en->count += r->count;
    } else {
        m->entries = grow(m->entries, &m->cap_entries, m->nentries + 1, sizeof *m->entries);
        e = m->nentries++;
        en = &m->entries[e];
        memset(en, 0, sizeof *en);
        en->fp = fp;
        en->count = r->count;
        table_insert(m, e);
    }
    if (r->procs != NULL) {
        for (size_t i = 0; i < r->nprocs; i++) {
            size_t p = process(m, r->procs[i].pid, r->procs[i].program, 1);
            take_argv(&m->procs[p], &r->procs[i].argv);
            link_entry(m, e, p);
        }
    } else {
        size_t p = process(m, r->pid, r->program, 0);
        take_argv(&m->procs[p], &r->argv);
        link_entry(m, e, p);
    }
    if (en->rec.json == NULL)
        en->rec = *r; /* the first one is kept */
    else
        rw_record_free(r);
}

void rw_merge_free(rw_merge *m)
{
    for (size_t i = 0; i < m->nentries; i++) {
        rw_record_free(&m->entries[i].rec);
        free(m->entries[i].procs);
    }
    for (size_t i = 0; i < m->nprocs; i++) {
        free(m->procs[i].program);
        free(m->procs[i].entries);
        for (size_t k = 0; k < m->procs[i].nargv; k++)
            free(m->procs[i].argv[k]);
        free(m->procs[i].argv);
        free(m->procs[i].command);
        free(m->procs[i].name);
    }
    free(m->entries);
    free(m->procs);
    free(m->table);
    memset(m, 0, sizeof *m);
}
