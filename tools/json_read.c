/* json_read.c: the strict JSON reader of json_read.h.
 *
 * A recursive-descent parser over a byte range with one cursor.  Each
 * grammar rule of RFC 8259 is one function; the first violation stops
 * the parse with its column and what was expected.  Strings are decoded
 * into malloc'd byte strings (see json_read.h for the \u00XX rule);
 * numbers keep their text, checked against the grammar, and are
 * converted only when asked (rw_json_integer). */
#include "tools/json_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/json_utf8.h"
#include "tools/strvec.h"

typedef struct parser {
    const unsigned char *s, *end, *p;
    char *err;
    size_t errlen;
    int failed;
} parser;

static void fail(parser *ps, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(parser *ps, const unsigned char *at, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    int n = snprintf(ps->err, ps->errlen, "column %zu: ", (size_t)(at - ps->s) + 1);
    if (n < 0 || (size_t)n >= ps->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* What is at p, for "expected X, got Y" messages. */
static const char *got(parser *ps, const unsigned char *p)
{
    static char buf[32];
    if (p >= ps->end)
        return "end of line";
    if (*p >= 0x21 && *p < 0x7f)
        snprintf(buf, sizeof buf, "'%c'", *p);
    else
        snprintf(buf, sizeof buf, "byte 0x%02x", *p);
    return buf;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL)
        sv_out_of_memory();
    return p;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (p == NULL)
        sv_out_of_memory();
    return p;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static rw_json *value(parser *ps, int depth);

/* A growable byte string for decoding. */
typedef struct bytes {
    char *b;
    size_t n, cap;
} bytes;

static void put(bytes *o, unsigned char c)
{
    if (o->n + 2 > o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->b = xrealloc(o->b, o->cap);
    }
    o->b[o->n++] = (char)c;
    o->b[o->n] = '\0';
}

static void put_utf8(bytes *o, uint32_t cp)
{
    if (cp < 0x80) {
        put(o, (unsigned char)cp);
    } else if (cp < 0x800) {
        put(o, (unsigned char)(0xc0 | cp >> 6));
        put(o, (unsigned char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        put(o, (unsigned char)(0xe0 | cp >> 12));
        put(o, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
        put(o, (unsigned char)(0x80 | (cp & 0x3f)));
    } else {
        put(o, (unsigned char)(0xf0 | cp >> 18));
        put(o, (unsigned char)(0x80 | (cp >> 12 & 0x3f)));
        put(o, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
        put(o, (unsigned char)(0x80 | (cp & 0x3f)));
    }
}

/* Four hex digits at p; -1 if they are not. */
static long hex4(const unsigned char *p, const unsigned char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A string at ps->p (which is at the opening quote). */
static char *string(parser *ps, size_t *len)
{
    bytes o = { xcalloc(64, 1), 0, 64 };
    ps->p++;
    for (;;) {
        if (ps->p >= ps->end) {
            fail(ps, ps->p, "unterminated string");
            break;
        }
        unsigned c = *ps->p;
        if (c == '"') {
            ps->p++;
            *len = o.n;
            return o.b;
        }
        if (c < 0x20) {
            fail(ps, ps->p, "control character 0x%02x in a string (must be escaped)", c);
            break;
        }
        if (c >= 0x80) {
            uint32_t cp;
            int valid;
            size_t n = rw_utf8_next(ps->p, (size_t)(ps->end - ps->p), &cp, &valid);
            if (!valid) {
                fail(ps, ps->p, "invalid UTF-8 byte 0x%02x in a string", c);
                break;
            }
            for (size_t i = 0; i < n; i++)
                put(&o, ps->p[i]);
            ps->p += n;
            continue;
        }
        if (c != '\\') {
            put(&o, (unsigned char)c);
            ps->p++;
            continue;
        }
        const unsigned char *esc = ps->p;
        if (ps->p + 1 >= ps->end) {
            fail(ps, esc, "unterminated string");
            break;
        }
        c = ps->p[1];
        ps->p += 2;
        switch (c) {
        case '"': put(&o, '"'); continue;
        case '\\': put(&o, '\\'); continue;
        case '/': put(&o, '/'); continue;
        case 'b': put(&o, '\b'); continue;
        case 'f': put(&o, '\f'); continue;
        case 'n': put(&o, '\n'); continue;
        case 'r': put(&o, '\r'); continue;
        case 't': put(&o, '\t'); continue;
        case 'u': break;
        default:
            fail(ps, esc, "invalid escape '\\%c' in a string", c >= 0x21 && c < 0x7f ? (char)c : '?');
            goto bad;
        }
        long cp = hex4(ps->p, ps->end);
        if (cp < 0) {
            fail(ps, esc, "\\u must be followed by four hex digits");
            break;
        }
        ps->p += 4;
        if (cp == 0) {
            fail(ps, esc, "\\u0000 in a string is not allowed in a record");
            break;
        }
        if (cp >= 0xdc00 && cp <= 0xdfff) {
            fail(ps, esc, "lone low surrogate \\u%04lx", cp);
            break;
        }
        if (cp >= 0xd800 && cp <= 0xdbff) {
            long lo = -1;
            if (ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u')
                lo = hex4(ps->p + 2, ps->end);
            if (lo < 0xdc00 || lo > 0xdfff) {
                fail(ps, esc, "high surrogate \\u%04lx not followed by a low one", cp);
                break;
            }
            ps->p += 6;
            put_utf8(&o, (uint32_t)(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)));
        } else if (cp >= 0x80 && cp <= 0xff) {
            put(&o, (unsigned char)cp); /* a byte of the original (json_read.h) */
        } else {
            put_utf8(&o, (uint32_t)cp);
        }
    }
bad:
    free(o.b);
    return NULL;
}

static rw_json *node(rw_json_type t)
{
    rw_json *v = xcalloc(1, sizeof *v);
    v->type = t;
    return v;
}

static int is_digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

static rw_json *number(parser *ps)
{
    const unsigned char *start = ps->p, *p = ps->p;
    if (p < ps->end && *p == '-')
        p++;
    if (!is_digit(p, ps->end)) {
        fail(ps, p, "expected a digit, got %s", got(ps, p));
        return NULL;
    }
    if (*p == '0' && is_digit(p + 1, ps->end)) {
        fail(ps, p, "leading zero in a number");
        return NULL;
    }
    while (is_digit(p, ps->end))
        p++;
    if (p < ps->end && *p == '.') {
        p++;
        if (!is_digit(p, ps->end)) {
            fail(ps, p, "expected a digit after '.', got %s", got(ps, p));
            return NULL;
        }
        while (is_digit(p, ps->end))
            p++;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < ps->end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(p, ps->end)) {
            fail(ps, p, "expected a digit in the exponent, got %s", got(ps, p));
            return NULL;
        }
        while (is_digit(p, ps->end))
            p++;
    }
    rw_json *v = node(RW_JSON_NUMBER);
    v->len = (size_t)(p - start);
    v->str = xcalloc(v->len + 1, 1);
    memcpy(v->str, start, v->len);
    ps->p = p;
    return v;
}

static rw_json *array(parser *ps, int depth)
{
    rw_json *v = node(RW_JSON_ARRAY);
    size_t cap = 0;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return v;
    }
    for (;;) {
        rw_json *item = value(ps, depth + 1);
        if (item == NULL)
            break;
        if (v->n == cap) {
            cap = cap ? cap * 2 : 4;
            v->items = xrealloc(v->items, cap * sizeof *v->items);
        }
        v->items[v->n++] = item;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return v;
        }
        fail(ps, ps->p, "expected ',' or ']' in an array, got %s", got(ps, ps->p));
        break;
    }
    rw_json_free(v);
    return NULL;
}

static rw_json *object(parser *ps, int depth)
{
    rw_json *v = node(RW_JSON_OBJECT);
    size_t cap = 0;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return v;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
            fail(ps, ps->p, "expected a member name (a string) in an object, got %s", got(ps, ps->p));
            break;
        }
        const unsigned char *key_at = ps->p;
        size_t klen;
        char *key = string(ps, &klen);
        if (key == NULL)
            break;
        for (size_t i = 0; i < v->n; i++) {
            if (!strcmp(v->keys[i], key)) {
                fail(ps, key_at, "duplicate member \"%s\" in an object", key);
                break;
            }
        }
        if (ps->failed) {
            free(key);
            break;
        }
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') {
            fail(ps, ps->p, "expected ':' after a member name, got %s", got(ps, ps->p));
            free(key);
            break;
        }
        ps->p++;
        rw_json *item = value(ps, depth + 1);
        if (item == NULL) {
            free(key);
            break;
        }
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = xrealloc(v->items, cap * sizeof *v->items);
            v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
        }
        v->keys[v->n] = key;
        v->items[v->n++] = item;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return v;
        }
        fail(ps, ps->p, "expected ',' or '}' in an object, got %s", got(ps, ps->p));
        break;
    }
    rw_json_free(v);
    return NULL;
}

static rw_json *literal(parser *ps, const char *word, rw_json_type t)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        fail(ps, ps->p, "expected a value, got %s", got(ps, ps->p));
        return NULL;
    }
    ps->p += n;
    return node(t);
}

static rw_json *value(parser *ps, int depth)
{
    skip_ws(ps);
    if (depth > RW_JSON_MAX_DEPTH) {
        fail(ps, ps->p, "nested deeper than %d levels", RW_JSON_MAX_DEPTH);
        return NULL;
    }
    if (ps->p >= ps->end) {
        fail(ps, ps->p, "expected a value, got end of line");
        return NULL;
    }
    switch (*ps->p) {
    case '{': return object(ps, depth);
    case '[': return array(ps, depth);
    case '"': {
        size_t len;
        char *s = string(ps, &len);
        if (s == NULL)
            return NULL;
        rw_json *v = node(RW_JSON_STRING);
        v->str = s;
        v->len = len;
        return v;
    }
    case 't': return literal(ps, "true", RW_JSON_TRUE);
    case 'f': return literal(ps, "false", RW_JSON_FALSE);
    case 'n': return literal(ps, "null", RW_JSON_NULL);
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            return number(ps);
        fail(ps, ps->p, "expected a value, got %s", got(ps, ps->p));
        return NULL;
    }
}

rw_json *rw_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    parser ps = { (const unsigned char *)text, (const unsigned char *)text + len,
                  (const unsigned char *)text, err, errlen, 0 };
    if (errlen > 0)
        err[0] = '\0';
    rw_json *v = value(&ps, 1);
    if (v == NULL)
        return NULL;
    skip_ws(&ps);
    if (ps.p < ps.end) {
        fail(&ps, ps.p, "text after the value: %s", got(&ps, ps.p));
        rw_json_free(v);
        return NULL;
    }
    return v;
}

void rw_json_free(rw_json *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n; i++) {
        rw_json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const rw_json *rw_json_get(const rw_json *v, const char *key)
{
    if (v == NULL || v->type != RW_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->keys[i], key))
            return v->items[i];
    return NULL;
}

int rw_json_integer(const rw_json *v, long long *out)
{
    if (v == NULL || v->type != RW_JSON_NUMBER || strpbrk(v->str, ".eE") != NULL)
        return -1;
    errno = 0;
    char *end;
    long long x = strtoll(v->str, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = x;
    return 0;
}

const char *rw_json_type_name(rw_json_type t)
{
    switch (t) {
    case RW_JSON_NULL: return "null";
    case RW_JSON_FALSE:
    case RW_JSON_TRUE: return "a boolean";
    case RW_JSON_NUMBER: return "a number";
    case RW_JSON_STRING: return "a string";
    case RW_JSON_ARRAY: return "an array";
    case RW_JSON_OBJECT: return "an object";
    }
    return "a value";
}
