/*
 * diag.h - a place in the source and one located diagnostic (prefix:
 * diag_). Every error probe reports -- a syntax error, an argument the
 * binder refuses, a constructor check, a shape error at run time, a
 * plugin that will not register -- is a diag: where (file, line, column,
 * byte range), what kind (the verdict it gives), which layer, and the
 * message, as long as it needs to be.
 */
#ifndef PROBE_DIAG_H
#define PROBE_DIAG_H

#include <stdint.h>
#include "probe_plugin.h"
#include "base/util.h"

/* A place in the source: 1-based line and column (columns count code
 * points, as an editor does), and the byte range [off, end). Line 0: the
 * whole file, no place in it. */
typedef struct src_span {
    uint32_t line, col;
    uint32_t off, end;      /* files are at most 256 MiB */
} src_span;

typedef struct diag {
    const char *file;       /* the net's name as messages give it; NULL: unknown yet */
    src_span at;
    probe_status kind;      /* PROBE_INVALID: wrong whatever the input */
    const char *layer;      /* the layer type as written; NULL for syntax */
    char *message;          /* NULL until set; owned by the arena given to diag_set */
} diag;

/*
 * Sets every field of *d but file (kept); the message is formatted into
 * `ar` and lives as long as it. Returns false when out of memory: the
 * message is then "out of memory" (static) and ar->failed is set.
 */
bool diag_set(diag *d, arena *ar, src_span at, probe_status kind, const char *layer,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
bool diag_vset(diag *d, arena *ar, src_span at, probe_status kind, const char *layer,
               const char *fmt, va_list ap);
/* d's message, or "" before one is set. */
const char *diag_message(const diag *d);

/* The bytes of a UTF-8 byte-order mark at the very start of text (0 or
 * 3). Windows editors write one and Python skips it there, not counting
 * it in line 1's columns. Both front ends skip it. */
size_t diag_bom_len(const char *text, size_t len);

typedef enum diag_text_fault { DIAG_TEXT_OK, DIAG_TEXT_NUL, DIAG_TEXT_BAD_UTF8 } diag_text_fault;
/* Checks that text (after a leading byte-order mark) is valid UTF-8
 * without NUL bytes; on a fault sets *at to the first offending byte's
 * place (columns in code points) and says which fault it is. */
diag_text_fault diag_check_text(const char *text, size_t len, src_span *at);

#endif
