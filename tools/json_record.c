/* json_record.c: checking a parsed record against docs/json-format.md
 * and filling the typed rw_record (json_record.h).
 *
 * Every getter takes the path of the object it reads from ("",
 * "stacks[1]", "stacks[1].frames[0]") so the first violation is reported
 * with the full name of the field ("missing field 'text'", "field
 * 'stacks[0].frames[1].line': expected an integer, got 12.5").  A check
 * that fails sets the error and
 * later checks return at once, so the loaders can run straight through
 * and look at the error once at the end. */
#include "tools/json_record.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/misuse_rules.h"
#include "tools/strvec.h"

typedef struct checker {
    char *err;
    size_t errlen;
    int failed;
} checker;

static void bad(checker *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void bad(checker *c, const char *path, const char *key, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = 1;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *dot = path[0] && key[0] ? "." : "";
    if (!strcmp(what, "missing"))
        snprintf(c->err, c->errlen, "missing field '%s%s%s'", path, dot, key);
    else
        snprintf(c->err, c->errlen, "field '%s%s%s': %s", path, dot, key, what);
}

static const rw_json *member(checker *c, const rw_json *obj, const char *path, const char *key,
                             rw_json_type want)
{
    if (c->failed)
        return NULL;
    const rw_json *v = rw_json_get(obj, key);
    if (v == NULL) {
        bad(c, path, key, "missing");
        return NULL;
    }
    int ok = v->type == want || (want == RW_JSON_TRUE && v->type == RW_JSON_FALSE);
    if (!ok) {
        bad(c, path, key, "expected %s, got %s", rw_json_type_name(want), rw_json_type_name(v->type));
        return NULL;
    }
    return v;
}

static const char *get_string(checker *c, const rw_json *obj, const char *path, const char *key)
{
    const rw_json *v = member(c, obj, path, key, RW_JSON_STRING);
    return v ? v->str : "";
}

static long long get_int(checker *c, const rw_json *obj, const char *path, const char *key)
{
    const rw_json *v = member(c, obj, path, key, RW_JSON_NUMBER);
    long long x = 0;
    if (v && rw_json_integer(v, &x) != 0)
        bad(c, path, key, "expected an integer, got %s", v->str);
    return x;
}

/* An integer member that older records may lack: dflt then. */
static long long get_int_opt(checker *c, const rw_json *obj, const char *key, long long dflt)
{
    if (c->failed || rw_json_get(obj, key) == NULL)
        return dflt;
    return get_int(c, obj, "", key);
}

static int get_bool(checker *c, const rw_json *obj, const char *path, const char *key)
{
    const rw_json *v = member(c, obj, path, key, RW_JSON_TRUE);
    return v && v->type == RW_JSON_TRUE;
}

static const rw_json *get_array(checker *c, const rw_json *obj, const char *path, const char *key)
{
    return member(c, obj, path, key, RW_JSON_ARRAY);
}

/* items[i] must be an object; its path is "<path>.<key>[i]". */
static const rw_json *element(checker *c, const rw_json *arr, size_t i, const char *path,
                              const char *key, char *ipath, size_t ipathlen)
{
    snprintf(ipath, ipathlen, "%s%s%s[%zu]", path, path[0] ? "." : "", key, i);
    if (c->failed)
        return NULL;
    if (arr->items[i]->type != RW_JSON_OBJECT) {
        bad(c, ipath, "", "expected an object, got %s", rw_json_type_name(arr->items[i]->type));
        return NULL;
    }
    return arr->items[i];
}

static rw_rec_frame *frames(checker *c, const rw_json *obj, const char *path, const char *key,
                            size_t *n)
{
    *n = 0;
    const rw_json *arr = get_array(c, obj, path, key);
    if (arr == NULL)
        return NULL;
    rw_rec_frame *f = calloc(arr->n ? arr->n : 1, sizeof *f);
    if (f == NULL)
        sv_out_of_memory();
    for (size_t i = 0; i < arr->n && !c->failed; i++) {
        char p[200];
        const rw_json *o = element(c, arr, i, path, key, p, sizeof p);
        if (o == NULL)
            break;
        f[i].function = get_string(c, o, p, "function");
        f[i].file = get_string(c, o, p, "file");
        f[i].line = get_int(c, o, p, "line");
        f[i].offset = get_string(c, o, p, "offset");
        f[i].module = get_string(c, o, p, "module");
        f[i].module_offset = get_string(c, o, p, "module_offset");
        f[i].inlined = get_bool(c, o, p, "inlined");
    }
    *n = arr->n;
    return f;
}

static void load_stacks(checker *c, rw_record *r, const rw_json *v)
{
    const rw_json *arr = get_array(c, v, "", "stacks");
    if (arr == NULL)
        return;
    r->stacks = calloc(arr->n ? arr->n : 1, sizeof *r->stacks);
    if (r->stacks == NULL)
        sv_out_of_memory();
    r->nstacks = arr->n;
    for (size_t i = 0; i < arr->n && !c->failed; i++) {
        char p[100];
        const rw_json *o = element(c, arr, i, "", "stacks", p, sizeof p);
        if (o == NULL)
            break;
        rw_rec_stack *s = &r->stacks[i];
        s->role = get_string(c, o, p, "role");
        s->thread = get_int(c, o, p, "thread");
        if (r->kind == RW_REC_DATA_RACE || r->kind == RW_REC_USE_AFTER_FREE) {
            s->access = get_string(c, o, p, "access");
            s->address = get_string(c, o, p, "address");
        }
        if (r->kind == RW_REC_DEADLOCK)
            s->reason = get_string(c, o, p, "reason");
        s->frames = frames(c, o, p, "frames", &s->nframes);
    }
}

static void load_threads(checker *c, rw_record *r, const rw_json *v)
{
    const rw_json *arr = get_array(c, v, "", "threads");
    if (arr == NULL)
        return;
    r->threads = calloc(arr->n ? arr->n : 1, sizeof *r->threads);
    if (r->threads == NULL)
        sv_out_of_memory();
    r->nthreads = arr->n;
    for (size_t i = 0; i < arr->n && !c->failed; i++) {
        char p[100];
        const rw_json *o = element(c, arr, i, "", "threads", p, sizeof p);
        if (o == NULL)
            break;
        rw_rec_thread *t = &r->threads[i];
        t->number = get_int(c, o, p, "number");
        t->running = get_bool(c, o, p, "running");
        t->created_by = get_int(c, o, p, "created_by");
        t->created_at = frames(c, o, p, "created_at", &t->ncreated_at);
    }
}

static void load_locks(checker *c, rw_record *r, const rw_json *v)
{
    const rw_json *arr = get_array(c, v, "", "locks");
    if (arr == NULL)
        return;
    r->locks = calloc(arr->n ? arr->n : 1, sizeof *r->locks);
    if (r->locks == NULL)
        sv_out_of_memory();
    r->nlocks = arr->n;
    for (size_t i = 0; i < arr->n && !c->failed; i++) {
        char p[100];
        const rw_json *o = element(c, arr, i, "", "locks", p, sizeof p);
        if (o == NULL)
            break;
        r->locks[i].name = get_string(c, o, p, "name");
        r->locks[i].address = get_string(c, o, p, "address");
    }
}

static void load_location(checker *c, rw_record *r, const rw_json *v)
{
    const rw_json *o = member(c, v, "", "location", RW_JSON_OBJECT);
    if (o == NULL)
        return;
    r->location.kind = get_string(c, o, "location", "kind");
    r->location.name = get_string(c, o, "location", "name");
    r->location.address = get_string(c, o, "location", "address");
    r->location.size = get_int(c, o, "location", "size");
    r->location.thread = get_int(c, o, "location", "thread");
}

/* The optional "argv" (an array of strings) and "argv_truncated" (a
 * boolean) of obj at path. */
static void load_argv(checker *c, rw_rec_argv *a, const rw_json *obj, const char *path)
{
    memset(a, 0, sizeof *a);
    if (c->failed || rw_json_get(obj, "argv") == NULL)
        return;
    const rw_json *arr = get_array(c, obj, path, "argv");
    if (arr == NULL)
        return;
    a->v = calloc(arr->n ? arr->n : 1, sizeof *a->v);
    if (a->v == NULL)
        sv_out_of_memory();
    for (size_t i = 0; i < arr->n; i++) {
        if (arr->items[i]->type != RW_JSON_STRING) {
            char key[40];
            snprintf(key, sizeof key, "argv[%zu]", i);
            bad(c, path, key, "expected a string, got %s", rw_json_type_name(arr->items[i]->type));
            return;
        }
        a->v[i] = arr->items[i]->str;
    }
    a->n = arr->n;
    a->known = 1;
    if (rw_json_get(obj, "argv_truncated") != NULL)
        a->truncated = get_bool(c, obj, path, "argv_truncated");
}

/* The optional "count" and "processes" of a record merge wrote. */
static void load_merged(checker *c, rw_record *r, const rw_json *v)
{
    r->count = 1;
    if (rw_json_get(v, "count") != NULL) {
        r->count = get_int(c, v, "", "count");
        if (!c->failed && r->count < 1)
            bad(c, "", "count", "must be at least 1, got %lld", r->count);
    }
    if (rw_json_get(v, "processes") == NULL)
        return;
    const rw_json *arr = get_array(c, v, "", "processes");
    if (arr == NULL)
        return;
    r->procs = calloc(arr->n ? arr->n : 1, sizeof *r->procs);
    if (r->procs == NULL)
        sv_out_of_memory();
    r->nprocs = arr->n;
    for (size_t i = 0; i < arr->n && !c->failed; i++) {
        char p[100];
        const rw_json *o = element(c, arr, i, "", "processes", p, sizeof p);
        if (o == NULL)
            break;
        r->procs[i].pid = get_int(c, o, p, "pid");
        r->procs[i].program = get_string(c, o, p, "program");
        load_argv(c, &r->procs[i].argv, o, p);
    }
}

static int is_fingerprint(const char *s)
{
    if (strlen(s) != 16)
        return 0;
    for (; *s; s++)
        if (!isxdigit((unsigned char)*s))
            return 0;
    return 1;
}

int rw_record_load(rw_record *r, rw_json *v, char *err, size_t errlen)
{
    checker c = { err, errlen, 0 };
    memset(r, 0, sizeof *r);
    r->json = v;
    r->count = 1;
    if (v->type != RW_JSON_OBJECT) {
        snprintf(err, errlen, "expected a record (an object), got %s", rw_json_type_name(v->type));
        return -1;
    }
    long long version = get_int(&c, v, "", "version");
    if (!c.failed && version != 1)
        bad(&c, "", "version", "unsupported record version %lld (this racewatch reads version 1)", version);
    const char *kind = get_string(&c, v, "", "kind");
    int k = rw_rec_kind_parse(kind);
    if (!c.failed && k < 0)
        bad(&c, "", "kind", "unknown kind \"%s\"", kind);
    if (c.failed)
        return -1;
    r->kind = (rw_rec_kind)k;
    r->pid = get_int(&c, v, "", "pid");
    r->program = get_string(&c, v, "", "program");
    load_argv(&c, &r->argv, v, ""); /* added later in version 1 */
    if (r->kind == RW_REC_SUMMARY) {
        r->races = get_int(&c, v, "", "races");
        r->potential_deadlocks = get_int(&c, v, "", "potential_deadlocks");
        r->misuse = get_int(&c, v, "", "misuse");
        r->exit_status = get_int(&c, v, "", "exit_status");
        /* Added later in version 1: absent in older records. */
        r->deadlocks = get_int_opt(&c, v, "deadlocks", 0);
        r->program_exit_status = get_int_opt(&c, v, "program_exit_status", r->exit_status);
        r->thread_leaks = get_int_opt(&c, v, "thread_leaks", 0);
        r->uses_after_free = get_int_opt(&c, v, "uses_after_free", 0);
        return c.failed ? -1 : 0;
    }
    r->fingerprint = get_string(&c, v, "", "fingerprint");
    if (!c.failed && !is_fingerprint(r->fingerprint))
        bad(&c, "", "fingerprint", "expected 16 hex digits, got \"%s\"", r->fingerprint);
    r->title = get_string(&c, v, "", "title");
    r->fatal = get_bool(&c, v, "", "fatal");
    r->text = get_string(&c, v, "", "text");
    if (r->kind == RW_REC_MISUSE) {
        /* "rule" was added later in version 1: older records get the
         * rule of their title. */
        r->rule = rw_json_get(v, "rule") ? get_string(&c, v, "", "rule")
                                          : rw_misuse_rule_of(r->title)->id;
    }
    load_stacks(&c, r, v);
    load_threads(&c, r, v);
    if (r->kind == RW_REC_DATA_RACE || r->kind == RW_REC_USE_AFTER_FREE)
        load_location(&c, r, v);
    if (r->kind == RW_REC_DEADLOCK)
        r->cycle = get_bool(&c, v, "", "cycle");
    if (r->kind == RW_REC_LOCK_ORDER)
        load_locks(&c, r, v);
    if (r->kind == RW_REC_THREAD_LEAK)
        r->leaked_threads = get_int(&c, v, "", "leaked_threads");
    load_merged(&c, r, v);
    return c.failed ? -1 : 0;
}

void rw_record_free(rw_record *r)
{
    for (size_t i = 0; i < r->nstacks; i++)
        free(r->stacks[i].frames);
    for (size_t i = 0; i < r->nthreads; i++)
        free(r->threads[i].created_at);
    free(r->stacks);
    free(r->threads);
    free(r->locks);
    for (size_t i = 0; r->procs != NULL && i < r->nprocs; i++)
        free(r->procs[i].argv.v);
    free(r->procs);
    free(r->argv.v);
    rw_json_free(r->json);
    memset(r, 0, sizeof *r);
}

static const char *const kind_names[] = {
    [RW_REC_DATA_RACE] = "data_race",
    [RW_REC_DEADLOCK] = "deadlock",
    [RW_REC_LOCK_ORDER] = "lock_order_inversion",
    [RW_REC_MISUSE] = "misuse",
    [RW_REC_USE_AFTER_FREE] = "use_after_free",
    [RW_REC_THREAD_LEAK] = "thread_leak",
    [RW_REC_SUMMARY] = "summary",
};

const char *rw_rec_kind_name(rw_rec_kind k)
{
    return k <= RW_REC_SUMMARY ? kind_names[k] : "?";
}

int rw_rec_kind_parse(const char *s)
{
    for (int k = 0; k <= RW_REC_SUMMARY; k++)
        if (!strcmp(s, kind_names[k]))
            return k;
    return -1;
}

const rw_rec_frame *rw_stack_source_frame(const rw_rec_stack *s)
{
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].file[0])
            return &s->frames[i];
    return NULL;
}

const rw_rec_frame *rw_record_top_frame(const rw_record *r)
{
    if (r->nstacks == 0 || r->stacks[0].nframes == 0)
        return NULL;
    const rw_rec_frame *f = rw_stack_source_frame(&r->stacks[0]);
    return f ? f : &r->stacks[0].frames[0];
}
