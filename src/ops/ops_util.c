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

int ops_check_rank(probe_ctx *cx, int ndim)
{
    if (ndim <= PROBE_MAX_DIMS) return 0;
    return probe_raise(cx, PROBE_ERROR, NULL, "probe handles tensors of at most %d dimensions", PROBE_MAX_DIMS);
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

/* How torch.nn's docs name the spatial dimensions of each rank. A rank
 * beyond 3 has no names there: its dimensions are numbered. */
static const char *const dim_letters[4][3] = { { "" }, { "L" }, { "H", "W" }, { "D", "H", "W" } };
static const char *const side_names[4][3] = { { "" }, { "length" }, { "height", "width" }, { "depth", "height", "width" } };

const char *ops_dim_letter(int rank, int i)
{
    return rank >= 1 && rank <= 3 && i < rank ? dim_letters[rank][i] : "?";
}

const char *ops_side_name(int rank, int i)
{
    return rank >= 1 && rank <= 3 && i < rank ? side_names[rank][i] : "dimension";
}

void ops_all_dims(char *label, size_t lcap, char *side, size_t scap, int rank)
{
    label[0] = side[0] = '\0';
    for (int i = 0; i < rank; i++) {
        size_t n = strlen(label), m = strlen(side);
        snprintf(label + n, lcap - n, "%s%s_out", i ? " = " : "", ops_dim_letter(rank, i));
        snprintf(side + m, scap - m, "%s%s", i == 0 ? "" : i == rank - 1 ? " and " : ", ", ops_side_name(rank, i));
    }
}

const char *ops_join(char *buf, size_t cap, const int64_t *v, int n, const char *sep)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? sep : "", (long long)v[i]);
    return buf;
}

const char *ops_named_sizes(char *buf, size_t cap, const char *prefix, const int64_t *v, int rank,
                            const char *sep)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < rank && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s_%s: %lld", i ? sep : "", prefix, ops_side_name(rank, i),
                                (long long)v[i]);
    return buf;
}
