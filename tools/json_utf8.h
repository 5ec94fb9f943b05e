/* json_utf8.h: the byte strings of the report records as Unicode text.
 *
 * Record strings are bytes (file names, symbols): mostly UTF-8, but not
 * always.  Every writer (JSON, XML) walks them with rw_utf8_next: a valid
 * UTF-8 sequence is one character; any other byte b is the character
 * U+00b (Latin-1), which is also what the escape \u00b in a record means
 * (json_read.h).  So nothing is dropped and a string read from a record
 * is written back with the same bytes or escapes. */
#ifndef RW_TOOLS_JSON_UTF8_H
#define RW_TOOLS_JSON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The character at p[0..avail) (avail >= 1): sets *cp and *valid (1 for a
 * valid UTF-8 sequence or an ASCII byte, 0 for a lone byte) and returns
 * its length in bytes. */
size_t rw_utf8_next(const unsigned char *p, size_t avail, uint32_t *cp, int *valid);

#endif
