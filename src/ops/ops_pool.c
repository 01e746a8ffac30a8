/* ops_pool.c - the pooling layers. Formulas and messages: ATen's Pool.h
 * (pooling_output_shape, pool2d_shape_check), DilatedMaxPool2d.cpp,
 * AveragePool2d.cpp, AdaptiveAveragePooling.cpp, AdaptiveMaxPooling2d.cpp,
 * FractionalMaxPool2d.cpp and torch/nn/functional.py of PyTorch 1.13. */
#include "ops/ops.h"
#include "base/util.h"
#include "reg/ctx.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* The letters ATen names a pool's dimensions with, per rank: kT kH kW. */
static const char *const pool_letters[4][3] = { { "" }, { "W" }, { "H", "W" }, { "T", "H", "W" } };

/* "kH: 3 kW: 2": a check message's sizes, one per dimension. */
static const char *dims_text(char *buf, size_t cap, const char *prefix, const int64_t *v, int rank)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < rank && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s%s: %lld", i ? " " : "", prefix, pool_letters[rank][i],
                                (long long)v[i]);
    return buf;
}

static bool any_at_most(const int64_t *v, int rank, int64_t limit)
{
    for (int i = 0; i < rank; i++)
        if (v[i] <= limit) return true;
    return false;
}

/* A zero stride is the kernel's to change when the kernel has a zero:
 * the stride was (most likely) left to default to it. */
static bool stride_defaulted(const probe_ints *k, int rank)
{
    for (int i = 0; i < rank; i++)
        if (k->v[i] == 0) return true;
    return false;
}

/* What pooling_output_shape and pool2d_shape_check refuse whatever the
 * input, in their order: per dimension (the first first) a zero stride, a
 * negative pad, a pad over half the kernel; then kernel, stride, dilation.
 * The rank is the kernel's; a stride of None is the kernel. */
static int check_window(probe_ctx *cx, const probe_ints *k, const probe_ints *s, const probe_ints *p,
                        const probe_ints *d)
{
    if (s->n < 0) s = k;
    int rank = k->n;
    /* ATen's pooling kernels take these as 32-bit ints */
    const probe_ints *all[] = { k, s, p, d };
    static const char *const names[] = { "kernel_size", "stride", "padding", "dilation" };
    for (int a = 0; a < 4; a++)
        for (int i = 0; i < rank; i++)
            if (all[a]->v[i] > INT32_MAX || all[a]->v[i] < INT32_MIN)
                return probe_raise(cx, PROBE_INVALID, names[a], "integer out of range: %s=%lld does not fit in 32 bits, as PyTorch's pooling needs",
                                   names[a], (long long)all[a]->v[i]);
    for (int i = 0; i < rank; i++) {
        if (s->v[i] == 0)
            return probe_raise(cx, PROBE_INVALID, stride_defaulted(k, rank) ? "kernel_size" : "stride",
                               "stride should not be zero");
        if (p->v[i] < 0)
            return probe_raise(cx, PROBE_INVALID, "padding", "pad must be non-negative, but got pad: %lld", (long long)p->v[i]);
        if (p->v[i] > k->v[i] / 2)
            return probe_raise(cx, PROBE_INVALID, "padding", "pad should be at most half of kernel size, but got pad=%lld and kernel_size=%lld",
                               (long long)p->v[i], (long long)k->v[i]);
    }
    char text[160];
    if (any_at_most(k->v, rank, 0))
        return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got %s",
                           dims_text(text, sizeof text, "k", k->v, rank));
    if (any_at_most(s->v, rank, 0))
        return probe_raise(cx, PROBE_INVALID, "stride", "stride should be greater than zero, but got %s",
                           dims_text(text, sizeof text, "d", s->v, rank));
    if (any_at_most(d->v, rank, 0))
        return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero, but got %s",
                           dims_text(text, sizeof text, "dilation", d->v, rank));
    return 0;
}


/* The three pools' formulas as their docs write them. */
typedef enum pool_form { POOL_MAX, POOL_AVG, POOL_LP } pool_form;

/* One side of a pool: input, kernel, stride, padding, dilation. */
typedef struct pool_dim { int64_t in, k, s, p, d; } pool_dim;

/* The docs' formula for one side, floor or ceil, with the numbers put in;
 * a side below 1 is named with the window it cannot hold. With ceil_mode,
 * the rule that keeps or drops the extra last window is spelled out only
 * where it changes the result. */
static void explain_pool_side(probe_ctx *cx, pool_form form, const pool_dim *c, int ceil_mode,
                              const char *label, const char *side, int64_t out)
{
    const char *round = ceil_mode ? "ceil" : "floor";
    char inner[160], padded[80], window[80];
    int64_t reach = util_sat_add(util_sat_mul(c->d, c->k - 1), 1);
    if (form == POOL_MAX) {
        snprintf(inner, sizeof inner, "%lld + 2*%lld - %lld*(%lld-1) - 1", (long long)c->in, (long long)c->p,
                 (long long)c->d, (long long)c->k);
        snprintf(window, sizeof window, "%lld*(%lld-1) + 1 = %lld", (long long)c->d, (long long)c->k, (long long)reach);
    } else if (form == POOL_AVG) {
        snprintf(inner, sizeof inner, "%lld + 2*%lld - %lld", (long long)c->in, (long long)c->p, (long long)c->k);
        snprintf(window, sizeof window, "%lld", (long long)c->k);
    } else {
        snprintf(inner, sizeof inner, "%lld - %lld", (long long)c->in, (long long)c->k);
        snprintf(window, sizeof window, "%lld", (long long)c->k);
    }
    /* floor((a)/s + 1) == floordiv(a, s) + 1; ceil is the same on a + s - 1 */
    int64_t num = util_sat_sub(util_sat_add(c->in, util_sat_mul(2, c->p)), reach);
    int64_t by_floor = util_sat_add(probe_floordiv(num, c->s), 1);
    int64_t by_ceil = util_sat_add(probe_floordiv(util_sat_add(num, c->s - 1), c->s), 1);
    int64_t shown = ceil_mode ? by_ceil : by_floor;
    probe_explain(cx, "%s = %s((%s)/%lld + 1) = %lld%s", label, round, inner, (long long)c->s, (long long)shown,
                  shown < 1 ? " < 1" : "");
    if (out < 1) {
        if (form == POOL_LP) snprintf(padded, sizeof padded, "%lld", (long long)c->in);
        else snprintf(padded, sizeof padded, "%lld + 2*%lld = %lld", (long long)c->in, (long long)c->p,
                      (long long)util_sat_add(c->in, util_sat_mul(2, c->p)));
        probe_explain(cx, "too small: the window %s is larger than the %s%s %s", window,
                      form == POOL_LP ? "" : "padded ", side, padded);
        return;
    }
    if (!ceil_mode || by_ceil == by_floor) return;
    int64_t start = util_sat_mul(by_ceil - 1, c->s), limit = util_sat_add(c->in, c->p);
    /* the dimension's letter: label is "H_out" or "H_out = W_out" */
    if (out < by_ceil)
        probe_explain(cx, "ceil_mode: the last window would start at (%lld-1)*%lld = %lld >= %c_in + padding = %lld + %lld = %lld, outside the input and its left padding, so it is dropped: %lld -> %lld",
                      (long long)by_ceil, (long long)c->s, (long long)start, label[0],
                      (long long)c->in, (long long)c->p, (long long)limit, (long long)by_ceil, (long long)out);
    else
        probe_explain(cx, "ceil_mode: the extra last window starts at (%lld-1)*%lld = %lld < %c_in + padding = %lld + %lld = %lld, inside the input or its left padding, so it is kept (floor would give %lld)",
                      (long long)by_ceil, (long long)c->s, (long long)start, label[0],
                      (long long)c->in, (long long)c->p, (long long)limit, (long long)by_floor);
}

static bool same_pool_dim(const pool_dim *a, const pool_dim *b)
{
    return a->in == b->in && a->k == b->k && a->s == b->s && a->p == b->p && a->d == b->d;
}

/* One line per dimension, or one for all ("H_out = W_out") when they
 * agree. */
static void explain_pool(probe_ctx *cx, pool_form form, const pool_dim *c, int rank, int ceil_mode,
                         bool stride_defaulted, const int64_t *out)
{
    bool all_k = true, all = true;
    for (int i = 1; i < rank; i++) {
        all_k &= c[i].k == c[0].k;
        all &= same_pool_dim(&c[i], &c[0]);
    }
    if (stride_defaulted) {
        if (all_k) probe_explain(cx, "stride = kernel_size = %lld (not given)", (long long)c[0].k);
        else {
            int64_t k[PROBE_MAX_DIMS];
            for (int i = 0; i < rank; i++) k[i] = c[i].k;
            probe_explain(cx, "stride = kernel_size = %s (not given)", ops_tuple_str(cx, k, rank));
        }
    }
    if (all && rank > 1) {
        char label[64], side[64];
        ops_all_dims(label, sizeof label, side, sizeof side, rank);
        explain_pool_side(cx, form, &c[0], ceil_mode, label, side, out[0]);
        return;
    }
    for (int i = 0; i < rank; i++) {
        char label[8];
        snprintf(label, sizeof label, "%s_out", ops_dim_letter(rank, i));
        explain_pool_side(cx, form, &c[i], ceil_mode, label, ops_side_name(rank, i), out[i]);
    }
}

/* True when one of the last rank sizes is 0: an empty image is a
 * too-small input, another empty dimension some other error. */
static bool empty_spatial(const probe_tensor *x, int rank)
{
    for (int i = x->ndim - rank; i < x->ndim; i++)
        if (i >= 0 && x->dim[i] == 0) return true;
    return false;
}

/* "1x2x3": the channels and the spatial sizes, as the too-small message
 * writes them. */
static void sizes_x(char *buf, size_t cap, int64_t c, const int64_t *v, int rank)
{
    size_t len = (size_t)snprintf(buf, cap, "%lld", (long long)c);
    for (int i = 0; i < rank && len < cap; i++) len += (size_t)snprintf(buf + len, cap - len, "x%lld", (long long)v[i]);
}

/* The input check of pool2d_shape_check (rank 2: an empty batch is fine,
 * any other empty dimension is not) or pool3d_shape_check (rank 3: fn
 * names the kernel; "dimension 0" is what it prints, the size, not the
 * index). */
static int pool_input(probe_ctx *cx, const probe_tensor *x, pool_form form, int rank)
{
    int nd = x->ndim;
    bool ranked = nd == rank + 1 || nd == rank + 2, valid = ranked;
    for (int i = nd - rank - 1; valid && i < nd; i++) valid = x->dim[i] != 0;
    if (valid) return 0;
    probe_status kind = ranked && empty_spatial(x, rank) ? PROBE_TOO_SMALL : PROBE_ERROR;
    if (rank == 3)
        return probe_raise(cx, kind, NULL,
                           "%s(): Expected input's non-batch dimensions to have positive length, but input has a shape of %s and non-batch dimension 0 has length zero!",
                           form == POOL_MAX ? "max_pool3d_with_indices_out_cpu_template" : "avg_pool3d",
                           probe_shape_str(cx, x->dim, nd));
    return probe_raise(cx, kind, NULL, "Expected %dD or %dD (batch mode) tensor with optional 0 dim batch size for input, but got:%s",
                       rank + 1, rank + 2, probe_shape_str(cx, x->dim, nd));
}

/* avg_pool3d's check of the unpadded input against the kernel, made
 * before the output's. */
static int avg3d_fits(probe_ctx *cx, const int64_t *in, const probe_ints *k)
{
    if (in[0] >= k->v[0] && in[1] >= k->v[1] && in[2] >= k->v[2]) return 0;
    return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                       "input image (T: %lld H: %lld W: %lld) smaller than kernel size (kT: %lld kH: %lld kW: %lld)",
                       (long long)in[0], (long long)in[1], (long long)in[2], (long long)k->v[0], (long long)k->v[1],
                       (long long)k->v[2]);
}

/* The shared forward of MaxPool, AvgPool and LPPool of the kernel's rank,
 * once the input is known to have a [C, *spatial] at its end. shown: the
 * last dimensions --explain speaks of (a rank-1 pool runs as rank 2 with
 * a height of 1, which it does not mention). */
static int pool_nd(probe_ctx *cx, probe_tensor *x, pool_form form, const probe_ints *k, const probe_ints *s,
                   const probe_ints *p, const probe_ints *d, int ceil_mode, int shown)
{
    bool stride_defaulted = s->n < 0;
    if (stride_defaulted) s = k;
    int nd = x->ndim, rank = k->n;
    if (pool_input(cx, x, form, rank)) return 1;
    const int64_t *in = x->dim + nd - rank;
    int64_t out[PROBE_MAX_DIMS];
    pool_dim dims[PROBE_MAX_DIMS];
    bool small = false;
    for (int i = 0; i < rank; i++) {
        out[i] = ops_pool_out(cx, in[i], k->v[i], p->v[i], s->v[i], d->v[i], ceil_mode);
        dims[i] = (pool_dim){ in[i], k->v[i], s->v[i], p->v[i], d->v[i] };
        small |= out[i] < 1;
    }
    if (probe_explaining(cx))
        explain_pool(cx, form, dims + rank - shown, shown, ceil_mode, stride_defaulted, out + rank - shown);
    if (rank == 3 && form == POOL_AVG && avg3d_fits(cx, in, k)) return 1;
    if (small) {
        char a[160], b[160];
        int64_t c = x->dim[nd - rank - 1];
        sizes_x(a, sizeof a, c, in, rank);
        sizes_x(b, sizeof b, c, out, rank);
        return probe_raise(cx, PROBE_TOO_SMALL, NULL, "Given input size: (%s). Calculated output size: (%s). Output size is too small", a, b);
    }
    memcpy(x->dim + nd - rank, out, (size_t)rank * sizeof out[0]);
    return 0;
}

/* v's values behind `front`: a rank-1 window as the rank-2 kernel gets
 * it; None stays None. */
static probe_ints lift(const probe_ints *v, int64_t front)
{
    if (v->n < 0) return *v;
    probe_ints r = { .n = 2, .tuple = 1, .v = { front, v->v[0] } };
    return r;
}

/* 1.13 runs a rank-1 pool as the rank-2 one over x.unsqueeze(-2): its
 * messages show that height of 1 ("(64x1x1)"), --explain does not. */
static int pool_1d(probe_ctx *cx, probe_tensor *x, pool_form form, const probe_ints *k, const probe_ints *s,
                   const probe_ints *p, const probe_ints *d, int ceil_mode)
{
    probe_ints k2 = lift(k, 1), s2 = lift(s, 1), p2 = lift(p, 0), d2 = lift(d, 1);
    probe_tensor y = *x;
    y.ndim = x->ndim + 1;
    y.dim[x->ndim - 1] = 1;
    y.dim[x->ndim] = x->dim[x->ndim - 1];
    if (pool_nd(cx, &y, form, &k2, &s2, &p2, &d2, ceil_mode, 1)) return 1;
    x->dim[x->ndim - 1] = y.dim[y.ndim - 1];
    return 0;
}

/* The window checks of the kernel that runs the pool: rank 1's are the
 * rank-2 kernel's, on the lifted window. */
static int check_pool_window(probe_ctx *cx, const probe_ints *k, const probe_ints *s, const probe_ints *p,
                             const probe_ints *d)
{
    if (k->n != 1) return check_window(cx, k, s, p, d);
    probe_ints k2 = lift(k, 1), s2 = lift(s, 1), p2 = lift(p, 0), d2 = lift(d, 1);
    return check_window(cx, &k2, &s2, &p2, &d2);
}

int max_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size, const probe_ints *stride,
               const probe_ints *padding, const probe_ints *dilation, int return_indices, int ceil_mode)
{
    OPS_UNUSED1(return_indices);
    if (!x) return check_pool_window(cx, kernel_size, stride, padding, dilation);
    int rank = kernel_size->n, nd = x->ndim;
    if (rank == 1) {
        /* F.max_pool1d's own check: 2-D or 3-D, no empty channel or length */
        bool ok = (nd == 2 || nd == 3) && x->dim[nd - 1] != 0 && x->dim[nd - 2] != 0;
        if (!ok)
            return probe_raise(cx, (nd == 2 || nd == 3) && x->dim[nd - 1] == 0 ? PROBE_TOO_SMALL : PROBE_ERROR, NULL,
                               "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:%s",
                               probe_shape_str(cx, x->dim, nd));
        return pool_1d(cx, x, POOL_MAX, kernel_size, stride, padding, dilation, ceil_mode);
    }
    if (nd != rank + 1 && nd != rank + 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "non-empty %dD or %dD (batch mode) tensor expected for input", rank + 1, rank + 2);
    return pool_nd(cx, x, POOL_MAX, kernel_size, stride, padding, dilation, ceil_mode, rank);
}

/* The input rank avg_pool{1,2,3}d check first: avg_pool1d's
 * check_dim_size, avg_pool2d's read of input.size(-3) (the channels),
 * avg_pool3d's check of the rank. */
static int avg_input(probe_ctx *cx, const probe_tensor *x, int rank)
{
    int nd = x->ndim, unused;
    if (rank == 1 && nd != 2 && nd != 3)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)",
                           nd);
    if (rank == 3 && nd != 4 && nd != 5)
        return probe_raise(cx, PROBE_ERROR, NULL, "non-empty 4D or 5D (batch mode) tensor expected for input");
    return rank == 2 ? probe_wrap_dim(cx, -3, nd, &unused) : 0;
}

/* The rank's ones and zeros: the dilation and padding a pool without
 * them has. */
static probe_ints filled(int rank, int64_t v)
{
    probe_ints r = { .n = rank };
    for (int i = 0; i < rank; i++) r.v[i] = v;
    return r;
}

/* AvgPool and LPPool (which is avg_pool of x^p without padding) */
static int avg_pool(probe_ctx *cx, probe_tensor *x, pool_form form, const probe_ints *k, const probe_ints *s,
                    const probe_ints *p, int ceil_mode)
{
    probe_ints one = filled(k->n, 1);
    if (!x) return check_pool_window(cx, k, s, p, &one);
    if (avg_input(cx, x, k->n)) return 1;
    if (k->n == 1) return pool_1d(cx, x, form, k, s, p, &one, ceil_mode);
    return pool_nd(cx, x, form, k, s, p, &one, ceil_mode, k->n);
}

int avg_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size, const probe_ints *stride,
               const probe_ints *padding, int ceil_mode, int count_include_pad, int64_t divisor_override)
{
    OPS_UNUSED1(count_include_pad);
    if (!x && divisor_override == 0)
        return probe_raise(cx, PROBE_INVALID, "divisor_override", "divisor must be not zero");
    return avg_pool(cx, x, POOL_AVG, kernel_size, stride, padding, ceil_mode);
}

/* F.lp_poolNd: avg_poolNd of x^p without padding, scaled back */
int lp_pool2d(probe_ctx *cx, probe_tensor *x, double norm_type, const probe_ints *kernel_size,
              const probe_ints *stride, int ceil_mode)
{
    OPS_UNUSED1(norm_type);
    probe_ints zero = filled(kernel_size->n, 0);
    return avg_pool(cx, x, POOL_LP, kernel_size, stride, &zero, ceil_mode);
}

/* ---- adaptive pools ---- */

/* An adaptive pool's output_size is `ints`, not `size`: its entries may
 * be None (keep the input's size), which a size cannot hold, and a tuple
 * of the wrong length is PyTorch's error at construction, not a type
 * error. A bare int does not say the rank, and the op's "[2]" is not
 * passed to a shape function: so each registered layer passes its rank
 * (adaptive_avg_pool2d passes 2; AdaptiveAvgPool1d/3d will be one-line
 * entry points as well). */

/* output_size's value for dimension i: a bare int stands for all. */
static int64_t adaptive_at(const probe_ints *output_size, int i)
{
    return output_size->v[output_size->n == 1 ? 0 : i];
}

/* adaptive_{avg,max}_pool1d's argument parser: one int, no None. */
static int adaptive_construct_1d(probe_ctx *cx, const probe_ints *output_size, bool max)
{
    const char *fn = max ? "adaptive_max_pool1d" : "adaptive_avg_pool1d";
    if (output_size->n != 1)
        return probe_raise(cx, PROBE_INVALID, "output_size", "%s() argument 'output_size' should contain one int (got %d)", fn,
                           output_size->n);
    if (output_size->v[0] == PROBE_NONE)
        return probe_raise(cx, PROBE_INVALID, "output_size",
                           "%s(): argument 'output_size' (position 2) must be tuple of ints, not %s", fn,
                           output_size->tuple ? "tuple" : "NoneType");
    return 0;
}

/* adaptive_avg_pool2d's message for a negative size, which the 1-D and
 * 3-D pools print too: {1, -1} for the 1-D one's lifted size, and the
 * 3-D one's last two without a space. */
static int adaptive_negative(probe_ctx *cx, const probe_ints *output_size, int rank)
{
    char text[200];
    size_t len = 0;
    if (rank == 1) len = (size_t)snprintf(text, sizeof text, "1, ");
    for (int j = 0; j < rank && len < sizeof text; j++) {
        int64_t e = adaptive_at(output_size, j);
        const char *sep = j == 0 ? "" : j == 2 ? "," : ", ";
        len += (size_t)snprintf(text + len, sizeof text - len, e == PROBE_NONE ? "%sNone" : "%s%lld", sep, (long long)e);
    }
    return probe_raise(cx, PROBE_INVALID, "output_size",
                       "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {%s}", text);
}

/* output_size is an int (n == 1) or a rank-tuple whose None entries keep
 * the input's size; construction refuses what no input can fix. */
static int adaptive_construct(probe_ctx *cx, const probe_ints *output_size, int rank, bool max)
{
    const char *fn = max ? "adaptive_max_pool" : "adaptive_avg_pool";
    if (rank == 1 && adaptive_construct_1d(cx, output_size, max)) return 1;
    if ((output_size->n != 1 && output_size->n != rank) || (output_size->tuple && output_size->n != rank)) {
        if (max)
            return probe_raise(cx, PROBE_INVALID, "output_size", "%s%dd(): internal error: output_size.size() must be %d", fn,
                               rank, rank);
        return probe_raise(cx, PROBE_INVALID, "output_size", "%s%dd: output_size must be %d", fn, rank, rank);
    }
    if (output_size->n == 1 && output_size->v[0] == PROBE_NONE)
        return probe_raise(cx, PROBE_INVALID, "output_size", "%s%dd: output_size (None,) must be an int or a %s", fn, rank,
                           rank == 2 ? "pair" : "tuple");
    for (int i = 0; i < output_size->n; i++) {
        int64_t v = output_size->v[i];
        if (v == PROBE_NONE || v >= 0) continue;
        if (max)
            return probe_raise(cx, PROBE_INVALID, "output_size",
                               "%s%dd: output_size must be greater than or equal to 0, but got %lld (PyTorch fails to create a tensor with negative dimension %lld)",
                               fn, rank, (long long)v, (long long)v);
        return adaptive_negative(cx, output_size, rank);
    }
    return 0;
}

/* output_size decides the output, whatever the input; None keeps the
 * input's size. */
static void explain_adaptive(probe_ctx *cx, const probe_tensor *x, const probe_ints *output_size, const int64_t *out,
                             int rank)
{
    char label[64], side[64], text[400] = "";
    bool nones = false;
    for (int i = 0; i < output_size->n; i++) nones |= output_size->v[i] == PROBE_NONE;
    if (output_size->n == 1) {
        ops_all_dims(label, sizeof label, side, sizeof side, rank);
        probe_explain(cx, "%s = output_size = %lld, whatever the input's size", label, (long long)out[0]);
        return;
    }
    size_t len = 0;
    for (int i = 0; i < rank && len < sizeof text; i++) {
        const char *d = ops_dim_letter(rank, i);
        if (!nones)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s_out", i ? ", " : "", d);
        else if (output_size->v[i] == PROBE_NONE)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s_out = %s_in = %lld (None keeps the input's size)",
                                    i ? ", " : "", d, d, (long long)x->dim[x->ndim - rank + i]);
        else
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s_out = output_size[%d] = %lld", i ? ", " : "", d, i,
                                    (long long)out[i]);
    }
    if (nones) probe_explain(cx, "%s", text);
    else probe_explain(cx, "(%s) = output_size = %s, whatever the input's size", text, ops_tuple_str(cx, out, rank));
}

/* F.adaptive_*_pool's _list_with_default: a tuple needs an input of more
 * dimensions than it has values, and takes None as the input's size. */
static int adaptive_size(probe_ctx *cx, const probe_tensor *x, const probe_ints *output_size, int rank, int64_t *out)
{
    int nd = x->ndim;
    if (output_size->n == rank && output_size->tuple && nd <= rank)
        return probe_raise(cx, PROBE_ERROR, NULL, "Input dimension should be at least %d", rank + 1);
    for (int i = 0; i < rank; i++) {
        out[i] = adaptive_at(output_size, i);
        if (out[i] == PROBE_NONE) out[i] = x->dim[nd - rank + i];
    }
    return 0;
}

/* The check both adaptive pools make of the input's rank and sizes, and
 * the output. from: the first dimension that must not be empty (the avg
 * pool checks only the spatial ones, the max pool all but the batch). */
static int adaptive_apply(probe_ctx *cx, probe_tensor *x, const int64_t *out, int rank, bool max)
{
    int nd = x->ndim;
    const char *fn = max ? "adaptive_max_pool" : "adaptive_avg_pool";
    if (nd != rank + 1 && nd != rank + 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "%s%dd(): Expected %dD or %dD tensor, but got%s %s", fn, rank, rank + 1,
                           rank + 2, max ? ":" : "", probe_shape_str(cx, x->dim, nd));
    for (int i = max ? 1 : nd - rank; i < nd; i++)
        if (x->dim[i] == 0)
            return probe_raise(cx, i >= nd - rank ? PROBE_TOO_SMALL : PROBE_ERROR, NULL,
                               "%s%dd(): Expected input to have non-zero size for non-batch dimensions, but input has sizes %s with dimension %d being empty",
                               fn, rank, probe_shape_str(cx, x->dim, nd), i);
    memcpy(x->dim + nd - rank, out, (size_t)rank * sizeof out[0]);
    return 0;
}

static int adaptive_avg(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int rank)
{
    if (!x) return adaptive_construct(cx, output_size, rank, false);
    int nd = x->ndim;
    int64_t out[PROBE_MAX_DIMS];
    if (adaptive_size(cx, x, output_size, rank, out)) return 1;
    if (probe_explaining(cx)) explain_adaptive(cx, x, output_size, out, rank);
    bool ones = true;
    for (int i = 0; i < rank; i++) ones &= out[i] == 1;
    if (ones) {
        /* ATen computes an all-ones output as x.mean(the last rank dims,
         * keepdim=True), which takes any rank from rank on and empty
         * sizes too */
        int unused;
        if (probe_wrap_dim(cx, -rank, nd, &unused)) return 1;
        for (int i = nd - rank; i < nd; i++) x->dim[i] = 1;
        return 0;
    }
    return adaptive_apply(cx, x, out, rank, false);
}

static int adaptive_max(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int rank)
{
    if (!x) return adaptive_construct(cx, output_size, rank, true);
    int64_t out[PROBE_MAX_DIMS];
    if (adaptive_size(cx, x, output_size, rank, out)) return 1;
    if (probe_explaining(cx)) explain_adaptive(cx, x, output_size, out, rank);
    return adaptive_apply(cx, x, out, rank, true);
}

/* adaptive_{avg,max}_pool1d: the rank checked, then the 2-D pool on
 * x.unsqueeze(-2) to the size (1, output_size), whose messages show that
 * height of 1. */
static int adaptive_1d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, bool max)
{
    int nd = x->ndim;
    if (nd != 2 && nd != 3)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_%s_pool1d)",
                           nd, max ? "max" : "avg");
    probe_ints size = { .n = 2, .tuple = 1, .v = { 1, output_size->v[0] } };
    probe_tensor y = *x;
    y.ndim = nd + 1;
    y.dim[nd - 1] = 1;
    y.dim[nd] = x->dim[nd - 1];
    if (probe_explaining(cx)) explain_adaptive(cx, x, output_size, output_size->v, 1);
    /* the lifted pool's own lines would speak of that height */
    struct sb *explain = cx->explain;
    cx->explain = NULL;
    int rc = max ? adaptive_max(cx, &y, &size, 2) : adaptive_avg(cx, &y, &size, 2);
    cx->explain = explain;
    if (!rc) x->dim[nd - 1] = y.dim[nd];
    return rc;
}

int ops_adaptive_pool(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int rank, bool max)
{
    if (rank == 1 && x) return adaptive_1d(cx, x, output_size, max);
    return max ? adaptive_max(cx, x, output_size, rank) : adaptive_avg(cx, x, output_size, rank);
}

int adaptive_avg_pool1d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size)
{
    return ops_adaptive_pool(cx, x, output_size, 1, false);
}

int adaptive_avg_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size)
{
    return ops_adaptive_pool(cx, x, output_size, 2, false);
}

int adaptive_avg_pool3d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size)
{
    return ops_adaptive_pool(cx, x, output_size, 3, false);
}

int adaptive_max_pool1d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int return_indices)
{
    OPS_UNUSED1(return_indices);
    return ops_adaptive_pool(cx, x, output_size, 1, true);
}

int adaptive_max_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int return_indices)
{
    OPS_UNUSED1(return_indices);
    return ops_adaptive_pool(cx, x, output_size, 2, true);
}

int adaptive_max_pool3d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int return_indices)
{
    OPS_UNUSED1(return_indices);
    return ops_adaptive_pool(cx, x, output_size, 3, true);
}

/* AvgPool1d has no divisor_override */
int avg_pool1d(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size, const probe_ints *stride,
               const probe_ints *padding, int ceil_mode, int count_include_pad)
{
    return avg_pool2d(cx, x, kernel_size, stride, padding, ceil_mode, count_include_pad, PROBE_NONE);
}

/* ---- fractional max pool ---- */

/* FractionalMaxPoolNd.__init__'s checks: one of output_size and
 * output_ratio, the ratio in (0, 1). It checks no kernel size, nor does
 * ATen. ratio[] holds the rank's ratios (NaN: None). */
static int fractional_construct(probe_ctx *cx, const probe_ints *output_size, const double *ratio, int rank)
{
    bool has_size = output_size->n >= 0, has_ratio = !isnan(ratio[0]);
    if (!has_size && !has_ratio)
        return probe_raise(cx, PROBE_INVALID, NULL, "FractionalMaxPool%dd requires specifying either an output size, or a pooling ratio",
                           rank);
    if (has_size && has_ratio)
        return probe_raise(cx, PROBE_INVALID, "output_ratio", "only one of output_size and output_ratio may be specified");
    bool in_range = true, all_equal = true;
    for (int i = 0; has_ratio && i < rank; i++) {
        in_range &= ratio[i] > 0 && ratio[i] < 1;
        all_equal &= ratio[i] == ratio[0];
    }
    if (has_ratio && !in_range) {
        char text[200], one[32];
        size_t len = 0;
        for (int i = 0; i < rank && len < sizeof text; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? ", " : "", ops_float_repr(ratio[i], one));
        /* a number was repeated; a tuple prints as one */
        if (all_equal) return probe_raise(cx, PROBE_INVALID, "output_ratio", "output_ratio must be between 0 and 1 (got %s)",
                                          ops_float_repr(ratio[0], one));
        return probe_raise(cx, PROBE_INVALID, "output_ratio", "output_ratio must be between 0 and 1 (got (%s))", text);
    }
    if (has_size && any_at_most(output_size->v, rank, -1))
        return probe_raise(cx, PROBE_INVALID, "output_size",
                           "FractionalMaxPool%dd output_size must not be negative, got %s (PyTorch fails to create the output tensor)",
                           rank, ops_tuple_str(cx, output_size->v, rank));
    return 0;
}

/* Appends to text at *len, as far as cap allows. */
static void put(char *text, size_t cap, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *text, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    *len += (size_t)vsnprintf(text + *len, cap - *len, fmt, ap);
    va_end(ap);
}

/* The output size from output_size or output_ratio, and whether the
 * windows fit: in[] and out[] are the spatial sizes. */
static void explain_fractional(probe_ctx *cx, const int64_t *in, const int64_t *out, const probe_ints *kernel_size,
                               bool has_size, const double *ratio)
{
    int rank = kernel_size->n;
    char sizes[400] = "", fit[400] = "", labels[64] = "", r[32];
    size_t ls = 0, lf = 0, ll = 0;
    for (int i = 0; i < rank; i++) {
        const char *d = ops_dim_letter(rank, i);
        int64_t k = kernel_size->v[i], need = util_sat_add(out[i], k - 1);
        put(labels, sizeof labels, &ll, "%s%s_out", i ? ", " : "", d);
        if (i == 0) {
            put(sizes, sizeof sizes, &ls, "%s_out = int(%s_in * output_ratio) = int(%lld * %s) = %lld", d, d,
                (long long)in[i], ops_float_repr(ratio[i], r), (long long)out[i]);
            put(fit, sizeof fit, &lf, "the windows need %s_out + kernel_size - 1 <= %s_in: ", d, d);
        } else {
            put(sizes, sizeof sizes, &ls, ", %s_out = int(%lld * %s) = %lld", d, (long long)in[i],
                ops_float_repr(ratio[i], r), (long long)out[i]);
            put(fit, sizeof fit, &lf, "; %s: ", d);
        }
        put(fit, sizeof fit, &lf, "%lld + %lld - 1 = %lld %s %lld", (long long)out[i], (long long)k, (long long)need,
            need > in[i] ? ">" : "<=", (long long)in[i]);
    }
    if (has_size) probe_explain(cx, "(%s) = output_size = %s", labels, ops_tuple_str(cx, out, rank));
    else probe_explain(cx, "%s", sizes);
    probe_explain(cx, "%s", fit);
}

int ops_fractional_max_pool(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size, const probe_ints *output_size,
                         const double *ratio)
{
    int rank = kernel_size->n;
    if (!x) return fractional_construct(cx, output_size, ratio, rank);
    bool has_size = output_size->n >= 0, has_ratio = !isnan(ratio[0]);
    int nd = x->ndim, unused;
    /* F.fractional_max_poolNd reads input.size(-rank) for a ratio, then
     * input.size(-rank - 1) for its random samples */
    if (has_ratio && probe_wrap_dim(cx, -rank, nd, &unused)) return 1;
    if (probe_wrap_dim(cx, -rank - 1, nd, &unused)) return 1;
    /* the 3-d kernel's name and its word for depth */
    char fn[40];
    snprintf(fn, sizeof fn, rank == 3 ? "fractional_max_pool3d_out" : "fractional_max_pool%dd", rank);
    if (nd != rank + 1 && nd != rank + 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "%s(): Expected %dD or %dD tensor, but got: %s", fn, rank + 1, rank + 2,
                           probe_shape_str(cx, x->dim, nd));
    for (int i = 1; i < nd; i++)
        if (x->dim[i] == 0)
            return probe_raise(cx, i >= nd - rank ? PROBE_TOO_SMALL : PROBE_ERROR, NULL,
                               "%s(): Expected input to have non-zero size for non-batch dimensions, but got%s with dimension %d being empty.",
                               fn, probe_shape_str(cx, x->dim, nd), i);
    const int64_t *in = x->dim + nd - rank;
    int64_t out[PROBE_MAX_DIMS];
    /* Python's int(): toward zero */
    for (int i = 0; i < rank; i++) out[i] = has_size ? output_size->v[i] : (int64_t)((double)in[i] * ratio[i]);
    if (probe_explaining(cx)) explain_fractional(cx, in, out, kernel_size, has_size, ratio);
    for (int i = 0; i < rank; i++) {
        const char *side = rank == 3 && i == 0 ? "time" : ops_side_name(rank, i);
        if (probe_add(cx, out[i], probe_sub(cx, kernel_size->v[i], 1)) > in[i])
            return probe_raise(cx, PROBE_TOO_SMALL, NULL, "%s(): pool %s %lld too large relative to input %s %lld", fn, side,
                               (long long)kernel_size->v[i], side, (long long)in[i]);
    }
    memcpy(x->dim + nd - rank, out, (size_t)rank * sizeof out[0]);
    return 0;
}

/* output_ratio is an fpair, the one rank-2 type left here: the rank-3
 * layer takes its number (a float triple does not bind yet). */
int fractional_max_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size,
                          const probe_ints *output_size, probe_fpair output_ratio, int return_indices)
{
    OPS_UNUSED1(return_indices);
    double ratio[PROBE_MAX_DIMS] = { output_ratio.h, output_ratio.w };
    for (int i = 2; i < PROBE_MAX_DIMS; i++) ratio[i] = NAN;
    return ops_fractional_max_pool(cx, x, kernel_size, output_size, ratio);
}

/* FractionalMaxPool3d: output_ratio a number (an fpair of two equal
 * values); a pair of two is PyTorch's IndexError on _triple's (a, b). */
int fractional_max_pool3d(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size,
                          const probe_ints *output_size, probe_fpair output_ratio, int return_indices)
{
    OPS_UNUSED1(return_indices);
    if (!x && !isnan(output_ratio.h) && output_ratio.h != output_ratio.w)
        return probe_raise(cx, PROBE_INVALID, "output_ratio",
                           "FractionalMaxPool3d's output_ratio is a number or a tuple of 3 (PyTorch: IndexError: tuple index out of range)");
    double ratio[PROBE_MAX_DIMS];
    for (int i = 0; i < PROBE_MAX_DIMS; i++) ratio[i] = output_ratio.h;
    return ops_fractional_max_pool(cx, x, kernel_size, output_size, ratio);
}
