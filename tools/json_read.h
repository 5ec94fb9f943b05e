/* json_read.h: a small, strict JSON reader (RFC 8259) for the report
 * records of docs/json-format.md, one value per call, parsed into a tree.
 *
 * Strict: no comments, trailing commas, leading zeros, bare control
 * characters, invalid UTF-8, lone surrogates, duplicate object keys or
 * text after the value; nesting deeper than RW_JSON_MAX_DEPTH is refused.
 * Strings are byte strings: the escapes \u0080..\u00ff stand for the bytes
 * 0x80..0xff (the runtime writes every byte it does not print as such an
 * escape), other escapes for their code point in UTF-8.  \u0000 is
 * refused, so every string is also a C string.  Running out of memory is
 * fatal (sv_out_of_memory). */
#ifndef RW_TOOLS_JSON_READ_H
#define RW_TOOLS_JSON_READ_H

#include <stddef.h>

#define RW_JSON_MAX_DEPTH 64

typedef enum rw_json_type {
    RW_JSON_NULL,
    RW_JSON_FALSE,
    RW_JSON_TRUE,
    RW_JSON_NUMBER,
    RW_JSON_STRING,
    RW_JSON_ARRAY,
    RW_JSON_OBJECT,
} rw_json_type;

typedef struct rw_json rw_json;
struct rw_json {
    rw_json_type type;
    char *str;       /* string: its bytes; number: its text as written */
    size_t len;      /* string: length in bytes */
    size_t n;        /* array: items; object: members */
    char **keys;     /* object: member names, in the order written */
    rw_json **items; /* array: items; object: member values */
};

/* Parse text[0..len) as exactly one JSON value (whitespace around it is
 * allowed).  NULL on error with "column N: what" in err, N counted in
 * bytes from 1. */
rw_json *rw_json_parse(const char *text, size_t len, char *err, size_t errlen);

void rw_json_free(rw_json *v);

/* The member of an object named key, or NULL (also when v is no object). */
const rw_json *rw_json_get(const rw_json *v, const char *key);

/* v as a C integer: 0, or -1 when v is not a number without fraction or
 * exponent that fits a long long. */
int rw_json_integer(const rw_json *v, long long *out);

/* The name of a type, for error messages ("a string", "an array"...). */
const char *rw_json_type_name(rw_json_type t);

#endif
