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
    sb text;
    sb_init(&text);
    sb_vprintf(&text, fmt, ap);
    d->message = text.failed ? NULL : arena_strndup(ar, text.buf ? text.buf : "", text.len);
    sb_free(&text);
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
