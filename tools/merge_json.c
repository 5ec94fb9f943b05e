/* merge_json.c: writing a merge as JSON lines (merge_json.h).  The
 * summaries come first, in the order of the processes, so that reading
 * the file back finds the processes in the same order.  A report's own
 * members are copied in their order (json_write.h), minus the ones merge
 * sets, which follow at the end. */
#include "tools/merge_json.h"

#include <string.h>

#include "tools/json_write.h"

/* "argv" and "argv_truncated", as the records had them. */
static void argv_members(rw_jw *w, const rw_proc *p)
{
    if (!p->has_argv)
        return;
    rw_jw_key(w, "argv");
    rw_jw_begin_array(w);
    for (size_t i = 0; i < p->nargv; i++)
        rw_jw_string(w, p->argv[i]);
    rw_jw_end_array(w);
    if (p->argv_truncated)
        rw_jw_kbool(w, "argv_truncated", 1);
}

void rw_merge_write_json(FILE *f, const rw_merge *m)
{
    rw_jw w;
    for (size_t i = 0; i < m->nprocs; i++) {
        const rw_proc *p = &m->procs[i];
        if (!p->has_summary)
            continue;
        rw_jw_init(&w, f, 0);
        rw_jw_begin_object(&w);
        rw_jw_kint(&w, "version", 1);
        rw_jw_kstring(&w, "kind", "summary");
        rw_jw_kint(&w, "pid", p->pid);
        rw_jw_kstring(&w, "program", p->program);
        argv_members(&w, p);
        rw_jw_kint(&w, "races", p->races);
        rw_jw_kint(&w, "deadlocks", p->deadlocks);
        rw_jw_kint(&w, "potential_deadlocks", p->potential_deadlocks);
        rw_jw_kint(&w, "misuse", p->misuse);
        if (p->thread_leaks) /* absent means 0 (json-format.md) */
            rw_jw_kint(&w, "thread_leaks", p->thread_leaks);
        if (p->uses_after_free)
            rw_jw_kint(&w, "uses_after_free", p->uses_after_free);
        rw_jw_kint(&w, "program_exit_status", p->program_exit_status);
        rw_jw_kint(&w, "exit_status", p->exit_status);
        rw_jw_end_object(&w);
        fputc('\n', f);
    }
    for (size_t i = 0; i < m->nentries; i++) {
        const rw_entry *e = &m->entries[i];
        const rw_json *v = e->rec.json;
        rw_jw_init(&w, f, 0);
        rw_jw_begin_object(&w);
        for (size_t k = 0; k < v->n; k++) {
            if (!strcmp(v->keys[k], "count") || !strcmp(v->keys[k], "processes") ||
                !strcmp(v->keys[k], "known"))
                continue;
            rw_jw_key(&w, v->keys[k]);
            rw_jw_value(&w, v->items[k]);
        }
        rw_jw_kint(&w, "count", e->count);
        rw_jw_key(&w, "processes");
        rw_jw_begin_array(&w);
        for (size_t p = 0; p < e->nprocs; p++) {
            const rw_proc *pr = &m->procs[e->procs[p]];
            rw_jw_begin_object(&w);
            rw_jw_kint(&w, "pid", pr->pid);
            rw_jw_kstring(&w, "program", pr->program);
            argv_members(&w, pr);
            rw_jw_end_object(&w);
        }
        rw_jw_end_array(&w);
        rw_jw_kbool(&w, "known", e->known);
        rw_jw_end_object(&w);
        fputc('\n', f);
    }
}
