/* json_write.c: the streaming JSON writer of json_write.h.
 *
 * The writer only tracks, per nesting level, how many items it has
 * written: that decides the comma before an item and, when indenting,
 * whether a closing bracket goes on its own line.  A value right after a
 * key follows it on the same line. */
#include "tools/json_write.h"

#include <stdint.h>
#include <string.h>

#include "tools/json_utf8.h"

void rw_json_write_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    putc('"', f);
    while (left > 0) {
        uint32_t cp;
        int valid;
        size_t n = rw_utf8_next(p, left, &cp, &valid);
        if (!valid) {
            fprintf(f, "\\u%04x", (unsigned)cp);
        } else if (cp == '"' || cp == '\\') {
            putc('\\', f);
            putc((int)cp, f);
        } else if (cp == '\n') {
            fputs("\\n", f);
        } else if (cp == '\t') {
            fputs("\\t", f);
        } else if (cp == '\r') {
            fputs("\\r", f);
        } else if (cp < 0x20 || cp == 0x7f) {
            fprintf(f, "\\u%04x", (unsigned)cp);
        } else {
            fwrite(p, 1, n, f);
        }
        p += n;
        left -= n;
    }
    putc('"', f);
}

void rw_jw_init(rw_jw *w, FILE *f, int pretty)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->pretty = pretty;
}

static void newline(rw_jw *w)
{
    putc('\n', w->f);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->f);
}

/* Before any value or key: the separator and the indentation. */
static void item(rw_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->count[w->depth]++ > 0)
            putc(',', w->f);
        if (w->pretty)
            newline(w);
    }
}

static void jw_open(rw_jw *w, int c)
{
    item(w);
    putc(c, w->f);
    if (w->depth + 1 < RW_JW_MAX_DEPTH)
        w->depth++;
    w->count[w->depth] = 0;
}

static void jw_close(rw_jw *w, int c)
{
    int had = w->count[w->depth] > 0;
    if (w->depth > 0)
        w->depth--;
    if (w->pretty && had)
        newline(w);
    putc(c, w->f);
}

void rw_jw_begin_object(rw_jw *w) { jw_open(w, '{'); }
void rw_jw_end_object(rw_jw *w) { jw_close(w, '}'); }
void rw_jw_begin_array(rw_jw *w) { jw_open(w, '['); }
void rw_jw_end_array(rw_jw *w) { jw_close(w, ']'); }

void rw_jw_key(rw_jw *w, const char *key)
{
    item(w);
    rw_json_write_string(w->f, key);
    fputs(w->pretty ? ": " : ":", w->f);
    w->after_key = 1;
}

void rw_jw_string(rw_jw *w, const char *s)
{
    item(w);
    rw_json_write_string(w->f, s);
}

void rw_jw_int(rw_jw *w, long long v)
{
    item(w);
    fprintf(w->f, "%lld", v);
}

void rw_jw_bool(rw_jw *w, int b)
{
    item(w);
    fputs(b ? "true" : "false", w->f);
}

void rw_jw_value(rw_jw *w, const rw_json *v)
{
    switch (v->type) {
    case RW_JSON_NULL: item(w); fputs("null", w->f); break;
    case RW_JSON_FALSE: rw_jw_bool(w, 0); break;
    case RW_JSON_TRUE: rw_jw_bool(w, 1); break;
    case RW_JSON_NUMBER: item(w); fputs(v->str, w->f); break;
    case RW_JSON_STRING: rw_jw_string(w, v->str); break;
    case RW_JSON_ARRAY:
        rw_jw_begin_array(w);
        for (size_t i = 0; i < v->n; i++)
            rw_jw_value(w, v->items[i]);
        rw_jw_end_array(w);
        break;
    case RW_JSON_OBJECT:
        rw_jw_begin_object(w);
        for (size_t i = 0; i < v->n; i++) {
            rw_jw_key(w, v->keys[i]);
            rw_jw_value(w, v->items[i]);
        }
        rw_jw_end_object(w);
        break;
    }
}

void rw_jw_kstring(rw_jw *w, const char *key, const char *s)
{
    rw_jw_key(w, key);
    rw_jw_string(w, s);
}

void rw_jw_kint(rw_jw *w, const char *key, long long v)
{
    rw_jw_key(w, key);
    rw_jw_int(w, v);
}

void rw_jw_kbool(rw_jw *w, const char *key, int b)
{
    rw_jw_key(w, key);
    rw_jw_bool(w, b);
}
