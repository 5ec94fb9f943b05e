/* proc_name.c: names of processes for merge's outputs (proc_name.h).
 *
 * Each process's command is built once; duplicates are numbered after
 * sorting the processes by command (stable: by index within a command),
 * so naming is O(n log n) for the thousands of processes of a big test
 * suite. */
#include "tools/proc_name.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/strvec.h"

/* Characters a POSIX shell takes literally in a word. */
static int shell_plain(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("-_./:=@%+,^", c)))
            return 0;
    }
    return 1;
}

/* Append s to f as one shell word: as it is, or in single quotes (a
 * quote inside as '\''). */
static void put_word(FILE *f, const char *s)
{
    if (shell_plain(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* first, then argv[from..] as shell words, then " ..." if truncated. */
static char *words(const rw_proc *p, const char *first, size_t from)
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        sv_out_of_memory();
    put_word(f, first);
    for (size_t i = from; i < p->nargv; i++) {
        fputc(' ', f);
        put_word(f, p->argv[i]);
    }
    if (p->argv_truncated)
        fputs(" ...", f);
    if (fclose(f) != 0)
        sv_out_of_memory();
    return text;
}

char *rw_proc_command_line(const rw_proc *p)
{
    if (!p->has_argv)
        return NULL;
    if (p->nargv == 0)
        return words(p, p->program, 0);
    return words(p, p->argv[0], 1);
}

static const rw_merge *sort_merge;

static int by_command(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    int c = strcmp(sort_merge->procs[i].command, sort_merge->procs[k].command);
    if (c != 0)
        return c;
    return i < k ? -1 : i > k;
}

void rw_merge_name_processes(rw_merge *m)
{
    for (size_t i = 0; i < m->nprocs; i++) {
        rw_proc *p = &m->procs[i];
        const char *slash = strrchr(p->program, '/');
        const char *base = slash ? slash + 1 : p->program;
        free(p->command);
        free(p->name);
        p->command = p->has_argv ? words(p, base, 1) : sv_printf("%s (pid %lld)", base, p->pid);
        p->name = NULL;
    }
    size_t *order = malloc((m->nprocs ? m->nprocs : 1) * sizeof *order);
    if (order == NULL)
        sv_out_of_memory();
    for (size_t i = 0; i < m->nprocs; i++)
        order[i] = i;
    sort_merge = m;
    qsort(order, m->nprocs, sizeof *order, by_command);
    for (size_t k = 0, nth = 1; k < m->nprocs; k++) {
        rw_proc *p = &m->procs[order[k]];
        nth = k > 0 && !strcmp(m->procs[order[k - 1]].command, p->command) ? nth + 1 : 1;
        p->name = nth == 1 ? strdup(p->command) : sv_printf("%s #%zu", p->command, nth);
        if (p->name == NULL)
            sv_out_of_memory();
    }
    free(order);
}
