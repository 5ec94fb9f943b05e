/* sarif_uri.c: file names as SARIF URIs (sarif_uri.h).
 *
 * rw_clean_path works on components like Go's path.Clean: a leading
 * "/" is kept, ".." above the root of an absolute path disappears, and
 * ".." at the start of a relative path is kept.  No file system access:
 * the files named in reports may not exist where merge runs. */
#include "tools/sarif_uri.h"

#include <stdlib.h>
#include <string.h>

#include "tools/strvec.h"

char *rw_clean_path(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(n + 2);
    if (out == NULL)
        sv_out_of_memory();
    int abs = path[0] == '/';
    size_t o = 0, floor = 0; /* out[0..floor) holds ".." that cannot be undone */
    if (abs)
        out[o++] = '/';
    floor = o;
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - s);
        if (len == 0 || (len == 1 && s[0] == '.'))
            continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (o > floor) {
                while (o > floor && out[o - 1] != '/')
                    o--;
                if (o > floor)
                    o--; /* the "/" before the removed component */
                else if (abs && o == 0)
                    o = 1;
                continue;
            }
            if (abs)
                continue; /* "/.." is "/" */
            if (o > 0)
                out[o++] = '/';
            out[o++] = '.';
            out[o++] = '.';
            floor = o;
            continue;
        }
        if (o > 0 && out[o - 1] != '/')
            out[o++] = '/';
        memcpy(out + o, s, len);
        o += len;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    return out;
}

static void encode(char **buf, size_t *n, size_t *cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (*n + 4 > *cap) {
            *cap = *cap * 2 + 64;
            *buf = realloc(*buf, *cap);
            if (*buf == NULL)
                sv_out_of_memory();
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~' || c == '/') {
            (*buf)[(*n)++] = (char)c;
        } else {
            (*buf)[(*n)++] = '%';
            (*buf)[(*n)++] = hex[c >> 4];
            (*buf)[(*n)++] = hex[c & 15];
        }
    }
    (*buf)[*n] = '\0';
}

static char *uri(const char *prefix, const char *path, const char *suffix)
{
    size_t n = strlen(prefix), cap = n + strlen(path) * 3 + strlen(suffix) + 8;
    char *buf = malloc(cap);
    if (buf == NULL)
        sv_out_of_memory();
    memcpy(buf, prefix, n + 1);
    encode(&buf, &n, &cap, path);
    encode(&buf, &n, &cap, suffix);
    return buf;
}

char *rw_sarif_uri(const char *file, const char *root, int *under_root)
{
    char *clean = rw_clean_path(file);
    char *result;
    *under_root = 0;
    size_t rn = root ? strlen(root) : 0;
    if (root && clean[0] == '/' && rn > 0 && !strncmp(clean, root, rn) &&
        (clean[rn] == '/' || (rn == 1 && root[0] == '/')) && clean[rn + (rn > 1)] != '\0') {
        *under_root = 1;
        result = uri("", clean + rn + (rn > 1), "");
    } else if (clean[0] == '/') {
        result = uri("file://", clean, "");
    } else {
        result = uri("", clean, "");
    }
    free(clean);
    return result;
}

char *rw_sarif_root_uri(const char *root)
{
    return uri("file://", root, strcmp(root, "/") ? "/" : "");
}
