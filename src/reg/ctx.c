/* ctx.c - the functions a shape function reports through. */
#include "reg/ctx.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ctx_reset(probe_ctx *cx)
{
    cx->kind = PROBE_OK;
    cx->param[0] = '\0';
    cx->has_need = cx->need_is_ints = false;
    cx->need = 0;
    cx->short_message[0] = '\0';
    cx->message = cx->short_message;
    cx->ar = NULL;
    cx->params = 0;
    cx->overflow = false;
    cx->nscratch = 0;
    cx->explain = NULL;
}

static int vraise(probe_ctx *cx, probe_status kind, const char *param, const char *fmt, va_list ap)
{
    /* the first error raised in a call is the one PyTorch would show */
    if (cx->kind != PROBE_OK) return 1;
    cx->kind = kind == PROBE_OK ? PROBE_ERROR : kind;
    snprintf(cx->param, sizeof cx->param, "%s", param ? param : "");
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(cx->short_message, sizeof cx->short_message, fmt, ap);
    /* a message longer than the buffer is written whole where the caller
     * keeps its results, never cut */
    char *whole = n >= (int)sizeof cx->short_message && cx->ar ? arena_alloc(cx->ar, (size_t)n + 1) : NULL;
    if (whole) {
        vsnprintf(whole, (size_t)n + 1, fmt, again);
        cx->message = whole;
    }
    va_end(again);
    return 1;
}

int probe_raise(probe_ctx *cx, probe_status kind, const char *param, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vraise(cx, kind, param, fmt, ap);
    va_end(ap);
    return 1;
}

/* Records a mismatch's message; false when an earlier error stands. */
static bool vmismatch(probe_ctx *cx, const char *param, const char *fmt, va_list ap)
{
    if (cx->kind != PROBE_OK) return false;
    vraise(cx, PROBE_MISMATCH, param, fmt, ap);
    cx->has_need = true;
    return true;
}

int probe_mismatch(probe_ctx *cx, const char *param, int64_t need, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vmismatch(cx, param, fmt, ap)) cx->need = need;
    va_end(ap);
    return 1;
}

int probe_mismatch_ints(probe_ctx *cx, const char *param, const probe_ints *need, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vmismatch(cx, param, fmt, ap)) {
        cx->need_is_ints = true;
        cx->need_ints = *need;
    }
    va_end(ap);
    return 1;
}

void probe_set_params(probe_ctx *cx, int64_t count) { cx->params = count; }

int64_t probe_add(probe_ctx *cx, int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) { cx->overflow = true; return 0; }
    return r;
}

int64_t probe_sub(probe_ctx *cx, int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) { cx->overflow = true; return 0; }
    return r;
}

int64_t probe_mul(probe_ctx *cx, int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) { cx->overflow = true; return 0; }
    return r;
}

int64_t probe_floordiv(int64_t a, int64_t b)
{
    if (b == 0) return 0;
    if (a == INT64_MIN && b == -1) return INT64_MAX;
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

const char *probe_shape_str(probe_ctx *cx, const int64_t *dims, int n)
{
    char *out = cx->scratch[cx->nscratch++ % CTX_SCRATCH];
    /* each size takes 3 bytes or more with its separator: no more than
     * these can show in a slot (nor are more read) */
    int most = (int)sizeof cx->scratch[0] / 3 + 1;
    sb text;
    sb_init(&text);
    sb_put_dims(&text, dims, n < most ? n : most);
    sb_copy_to(&text, out, sizeof cx->scratch[0]);
    sb_free(&text);
    return out;
}

int probe_wrap_dim(probe_ctx *cx, int64_t dim, int ndim, int *out)
{
    int64_t lo = ndim > 0 ? -ndim : -1, hi = ndim > 0 ? ndim - 1 : 0;
    if (dim < lo || dim > hi)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
                           (long long)lo, (long long)hi, (long long)dim);
    *out = (int)(dim < 0 ? dim + (ndim > 0 ? ndim : 1) : dim);
    return 0;
}

bool probe_explaining(const probe_ctx *cx) { return cx->explain != NULL; }

void probe_explain(probe_ctx *cx, const char *fmt, ...)
{
    if (!cx->explain) return;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(cx->explain, fmt, ap);
    va_end(ap);
    sb_putc(cx->explain, '\n');
}
