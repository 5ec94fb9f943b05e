/* json_utf8.c: one character of a record's byte string (json_utf8.h).
 * A sequence is valid UTF-8 when it is the shortest form of a code point
 * up to U+10FFFF that is not a surrogate (RFC 3629). */
#include "tools/json_utf8.h"

size_t rw_utf8_next(const unsigned char *p, size_t avail, uint32_t *cp, int *valid)
{
    unsigned c = p[0];
    size_t n;
    uint32_t min;
    *cp = c;
    *valid = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
    } else {
        *valid = 0;
        return 1;
    }
    if (avail < n) {
        *valid = 0;
        return 1;
    }
    uint32_t v = c & (0x7fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *valid = 0;
            return 1;
        }
        v = v << 6 | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        *valid = 0;
        return 1;
    }
    *cp = v;
    return n;
}
