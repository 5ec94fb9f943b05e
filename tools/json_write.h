/* json_write.h: a streaming JSON writer to a FILE, for SARIF (indented)
 * and the merged JSON lines (compact).
 *
 * Calls follow the document: begin/end of objects and arrays, a key
 * before each member's value.  Indented output looks like Python's
 * json.dumps(indent=2): one item a line, "[]" and "{}" when empty.
 * Strings are record byte strings (json_utf8.h): valid UTF-8 is written
 * as it is, other bytes as \u00XX, control characters escaped. */
#ifndef RW_TOOLS_JSON_WRITE_H
#define RW_TOOLS_JSON_WRITE_H

#include <stdio.h>

#include "tools/json_read.h"

#define RW_JW_MAX_DEPTH 80

typedef struct rw_jw {
    FILE *f;
    int pretty;
    int depth;
    int count[RW_JW_MAX_DEPTH]; /* items written so far at each level */
    int after_key;
} rw_jw;

void rw_jw_init(rw_jw *w, FILE *f, int pretty);

void rw_jw_begin_object(rw_jw *w);
void rw_jw_end_object(rw_jw *w);
void rw_jw_begin_array(rw_jw *w);
void rw_jw_end_array(rw_jw *w);

/* The name of the next member (inside an object). */
void rw_jw_key(rw_jw *w, const char *key);

void rw_jw_string(rw_jw *w, const char *s);
void rw_jw_int(rw_jw *w, long long v);
void rw_jw_bool(rw_jw *w, int b);

/* A whole parsed value, members in their order. */
void rw_jw_value(rw_jw *w, const rw_json *v);

/* key + value in one call. */
void rw_jw_kstring(rw_jw *w, const char *key, const char *s);
void rw_jw_kint(rw_jw *w, const char *key, long long v);
void rw_jw_kbool(rw_jw *w, const char *key, int b);

/* s as a JSON string literal on f, quotes included. */
void rw_json_write_string(FILE *f, const char *s);

#endif
