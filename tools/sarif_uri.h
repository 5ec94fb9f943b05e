/* sarif_uri.h: a source file name as a SARIF artifact location URI.
 *
 * A file under the source root (--source-root) becomes a relative
 * reference ("src/counter.c") to be resolved against %SRCROOT%, which is
 * how GitHub code scanning finds files in the repository.  Any other
 * absolute file becomes a file:// URI; a relative name (from debug
 * information without a compilation directory) stays relative.  Paths
 * are cleaned lexically first ("a/./b/../c" is "a/c").  Every byte but
 * letters, digits, "-._~/" is percent-encoded, so the result is a valid
 * URI reference whatever the file name holds. */
#ifndef RW_TOOLS_SARIF_URI_H
#define RW_TOOLS_SARIF_URI_H

/* The URI of file (malloc'd); *under_root is set when it is relative to
 * root.  root may be NULL (no source root): absolute paths are file://
 * URIs then. */
char *rw_sarif_uri(const char *file, const char *root, int *under_root);

/* The root directory as the file:// URI of %SRCROOT%, ending in "/"
 * (malloc'd). */
char *rw_sarif_root_uri(const char *root);

/* path cleaned lexically: no "." components, ".." resolved where a
 * component precedes it, no repeated or trailing "/" (malloc'd). */
char *rw_clean_path(const char *path);

#endif
