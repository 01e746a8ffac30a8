/* diag.c - one located diagnostic, its message allocated as it needs. */
#include "base/diag.h"

#include <stdio.h>
#include <string.h>

bool diag_vset(diag *d, arena *ar, src_span at, probe_status kind, const char *layer,
               const char *fmt, va_list ap)
{
    d->at = at;
    d->kind = kind;
    d->layer = layer;
    /* measured, then written once into the arena: no heap copy between */
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    d->message = n < 0 ? NULL : arena_alloc(ar, (size_t)n + 1);
    if (d->message) vsnprintf(d->message, (size_t)n + 1, fmt, again);
    va_end(again);
    if (d->message) return true;
    d->message = "out of memory";
    ar->failed = true;
    return false;
}

bool diag_set(diag *d, arena *ar, src_span at, probe_status kind, const char *layer, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = diag_vset(d, ar, at, kind, layer, fmt, ap);
    va_end(ap);
    return ok;
}

const char *diag_message(const diag *d) { return d->message ? d->message : ""; }

size_t diag_bom_len(const char *text, size_t len)
{
    return len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

diag_text_fault diag_check_text(const char *text, size_t len, src_span *at)
{
    uint32_t line = 1, col = 1;
    size_t i = diag_bom_len(text, len);
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        size_t n = util_utf8_len(text + i, len - i);
        if (c == 0 || n == 0) {
            at->line = line;
            at->col = col;
            at->off = (uint32_t)i;
            at->end = (uint32_t)i + 1;
            return c == 0 ? DIAG_TEXT_NUL : DIAG_TEXT_BAD_UTF8;
        }
        if (c == '\n') { line++; col = 1; } else col++;
        i += n;
    }
    return DIAG_TEXT_OK;
}
