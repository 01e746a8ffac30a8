/* ops_util.c - helpers shared by the shape functions. */
#include "ops/ops.h"
#include "reg/ctx.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *ops_float_repr(double v, char buf[32])
{
    if (isnan(v)) { strcpy(buf, "nan"); return buf; }
    if (isinf(v)) { strcpy(buf, v > 0 ? "inf" : "-inf"); return buf; }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* Python writes 1e-05 where C writes 1e-05 too, but 1.0 where C writes 1 */
    if (!strpbrk(buf, ".eni")) strcat(buf, ".0");
    return buf;
}

int64_t ops_pool_out(probe_ctx *cx, int64_t in, int64_t k, int64_t pad, int64_t stride,
                     int64_t dilation, int ceil_mode)
{
    /* in + 2*pad - dilation*(k-1) - 1 + (ceil ? stride-1 : 0), floor-divided */
    int64_t span = probe_mul(cx, dilation, probe_sub(cx, k, 1));
    int64_t num = probe_sub(cx, probe_sub(cx, probe_add(cx, in, probe_mul(cx, 2, pad)), span), 1);
    if (ceil_mode) num = probe_add(cx, num, probe_sub(cx, stride, 1));
    int64_t out = probe_add(cx, probe_floordiv(num, stride), 1);
    /* the last window must start inside the input or its left padding */
    if (ceil_mode && probe_mul(cx, probe_sub(cx, out, 1), stride) >= probe_add(cx, in, pad)) out--;
    return out;
}

int64_t ops_numel(probe_ctx *cx, const probe_tensor *x)
{
    int64_t n = 1;
    for (int i = 0; i < x->ndim; i++) n = probe_mul(cx, n, x->dim[i]);
    return n;
}

bool ops_empty_image(const probe_tensor *x)
{
    for (int i = x->ndim - 2; i < x->ndim; i++)
        if (i >= 0 && x->dim[i] == 0) return true;
    return false;
}

const char *ops_tensor_str(probe_ctx *cx, const probe_tensor *x)
{
    /* the same scratch slots as probe_shape_str: valid until the call returns */
    char *out = cx->scratch[cx->nscratch++ % CTX_SCRATCH];
    sb text;
    sb_init(&text);
    sb_puts(&text, "[ torch.FloatTensor{");
    sb_put_ints(&text, x->dim, x->ndim, ",");
    sb_puts(&text, "} ]");
    sb_copy_to(&text, out, sizeof cx->scratch[0]);
    sb_free(&text);
    return out;
}

const char *ops_tuple_str(probe_ctx *cx, const int64_t *v, int n)
{
    char *out = cx->scratch[cx->nscratch++ % CTX_SCRATCH];
    sb text;
    sb_init(&text);
    sb_puts(&text, "(");
    sb_put_ints(&text, v, n, ", ");
    sb_puts(&text, n == 1 ? ",)" : ")");
    sb_copy_to(&text, out, sizeof cx->scratch[0]);
    sb_free(&text);
    return out;
}
