/* ops_conv.c - Conv2d and ConvTranspose2d, and their Lazy forms, generic
 * over the spatial rank (ops_conv, ops_conv_transpose): the rank is the
 * kernel_size's length, so once the schemas bind sizes (the op's "[2]";
 * see the registered layers at the end) Conv1d and Conv3d need only
 * theirs.
 * Formulas and messages: ATen's Convolution.cpp, ConvUtils.h and
 * NaiveConvolutionTranspose2d.cpp, torch/nn/modules/conv.py (1.13). */
#include "ops/ops.h"
#include "base/util.h"

#include <string.h>

/* A weight's sizes: [a, b, *kernel_size], rank + 2 of them. */
static int weight_of(int64_t w[PROBE_MAX_DIMS + 2], int64_t a, int64_t b, const probe_ints *k)
{
    w[0] = a;
    w[1] = b;
    memcpy(w + 2, k->v, (size_t)k->n * sizeof w[0]);
    return k->n + 2;
}

/* The first negative size of a weight, as torch.empty reports it: the
 * first two sizes are named by names[], the kernel's by kernel_size. */
static int check_weight(probe_ctx *cx, const int64_t *w, int nw, const char *const names[2])
{
    for (int i = 0; i < nw; i++)
        if (w[i] < 0)
            return probe_raise(cx, PROBE_INVALID, i < 2 ? names[i] : "kernel_size",
                               "Trying to create tensor with negative dimension %lld: %s", (long long)w[i],
                               probe_shape_str(cx, w, nw));
    return 0;
}

/* _ConvNd.__init__'s checks of groups, in the order it makes them. */
static int check_groups(probe_ctx *cx, int64_t in_channels, int64_t out_channels, int64_t groups)
{
    if (groups <= 0) return probe_raise(cx, PROBE_INVALID, "groups", "groups must be a positive integer");
    if (in_channels % groups != 0) return probe_raise(cx, PROBE_INVALID, "groups", "in_channels must be divisible by groups");
    if (out_channels % groups != 0) return probe_raise(cx, PROBE_INVALID, "groups", "out_channels must be divisible by groups");
    return 0;
}

static bool any_below(const probe_ints *v, int64_t limit)
{
    for (int i = 0; i < v->n; i++)
        if (v->v[i] < limit) return true;
    return false;
}

static bool any_equal(const probe_ints *v, int64_t value)
{
    for (int i = 0; i < v->n; i++)
        if (v->v[i] == value) return true;
    return false;
}

/* convNd's batchify: [C, *spatial] is one unbatched sample. */
static int conv_input(probe_ctx *cx, const probe_tensor *x, const char *name, int rank, probe_tensor *d)
{
    if (x->ndim == rank + 2) { *d = *x; return 0; }
    if (x->ndim == rank + 1) {
        d->ndim = rank + 2;
        d->dim[0] = 1;
        memcpy(d->dim + 1, x->dim, (size_t)(rank + 1) * sizeof d->dim[0]);
        return 0;
    }
    return probe_raise(cx, PROBE_ERROR, NULL,
                       "Expected %dD (unbatched) or %dD (batched) input to %s, but got input of size: %s",
                       rank + 1, rank + 2, name, probe_shape_str(cx, x->dim, x->ndim));
}

/* The output [N, C, *o], or [C, *o] for an unbatched input. */
static void conv_output(probe_tensor *x, const probe_tensor *d, int64_t c, const int64_t *o, int rank)
{
    int64_t out[PROBE_MAX_DIMS + 2] = { d->dim[0], c };
    memcpy(out + 2, o, (size_t)rank * sizeof out[0]);
    x->ndim = x->ndim == rank + 1 ? rank + 1 : rank + 2;
    memcpy(x->dim, out + (rank + 2 - x->ndim), (size_t)x->ndim * sizeof out[0]);
}

static bool empty_spatial(const probe_tensor *d)
{
    for (int i = 2; i < d->ndim; i++)
        if (d->dim[i] == 0) return true;
    return false;
}

/* 1.13 runs a rank-1 convolution as a rank-2 one over [N, C, 1, L]
 * (view1d_as_2d), so the messages of its rank-2 kernels show a height of
 * 1: out[] gets v[] behind `front` (a kernel's, stride's or dilation's 1,
 * a padding's 0) for rank 1, v[] alone for another rank. Returns the
 * count. */
static int lifted(int64_t *out, const int64_t *v, int rank, int64_t front)
{
    int n = rank == 1;
    out[0] = front;
    memcpy(out + n, v, (size_t)rank * sizeof *v);
    return n + rank;
}

/* A batchified input's shape as the kernel sees it: [N, C, 1, L] for
 * rank 1. */
static const char *lifted_shape(probe_ctx *cx, const probe_tensor *d)
{
    int64_t s[PROBE_MAX_DIMS + 1] = { d->dim[0], d->dim[1] };
    int n = lifted(s + 2, d->dim + 2, d->ndim - 2, 1);
    return probe_shape_str(cx, s, n + 2);
}

/* select_conv_backend: an empty input must be empty in batch or channels. */
static int check_empty(probe_ctx *cx, const probe_tensor *d)
{
    if (!empty_spatial(d)) return 0;
    if (d->dim[0] == 0 || d->dim[1] == 0) return 0;
    return probe_raise(cx, PROBE_TOO_SMALL, NULL, "Only zero batch or zero channel inputs are supported, but got input shape: %s",
                       lifted_shape(cx, d));
}

/* The input channels disagree with the weight. A repair to the input's
 * channels is only possible when groups divides them; a Lazy layer (or
 * `?`, guessed as 0) then says what LazyConv2d says. */
static int channel_mismatch(probe_ctx *cx, int64_t in_channels, int64_t groups, int64_t have,
                            const char *fmt_groups, const int64_t *w, const probe_tensor *d,
                            int64_t expected, bool transposed)
{
    const char *ws = probe_shape_str(cx, w, d->ndim), *is = probe_shape_str(cx, d->dim, d->ndim);
    if (have % groups != 0) {
        if (in_channels == 0)
            return probe_raise(cx, PROBE_ERROR, "groups", "in_channels must be divisible by groups");
        if (transposed)
            return probe_raise(cx, PROBE_ERROR, "in_channels",
                               "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                               ws, is, (long long)expected, (long long)have);
        return probe_raise(cx, PROBE_ERROR, "in_channels",
                           "Given groups=%s, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                           fmt_groups, ws, is, (long long)expected, (long long)have);
    }
    if (transposed)
        return probe_mismatch(cx, "in_channels", have,
                              "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                              ws, is, (long long)expected, (long long)have);
    return probe_mismatch(cx, "in_channels", have,
                          "Given groups=%s, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                          fmt_groups, ws, is, (long long)expected, (long long)have);
}

/* The weight's numel (kernel volume times the channels) and the bias. */
static int64_t conv_params(probe_ctx *cx, const int64_t *w, int nw, int bias, int64_t out_channels)
{
    int64_t n = 1;
    for (int i = 0; i < nw; i++) n = probe_mul(cx, n, w[i]);
    return probe_add(cx, n, bias ? out_channels : 0);
}


/* ---- --explain: torch.nn.Conv2d's and ConvTranspose2d's formulas ---- */

/* One spatial dimension of a convolution as the formula sees it: the
 * input size, the padding before and after, kernel, stride, dilation,
 * output_padding. */
typedef struct conv_dim { int64_t in, lo, hi, k, s, d, op; } conv_dim;

static bool same_dim(const conv_dim *a, const conv_dim *b)
{
    return a->in == b->in && a->lo == b->lo && a->hi == b->hi && a->k == b->k && a->s == b->s &&
           a->d == b->d && a->op == b->op;
}

/* True when every dimension has the same numbers: one line says all. */
static bool all_same(const conv_dim *c, int rank)
{
    for (int i = 1; i < rank; i++)
        if (!same_dim(&c[i], &c[0])) return false;
    return rank > 1;
}

/* "2*1", or "1 + 2" for the uneven padding of 'same' */
static void pad_terms(char *buf, size_t cap, const conv_dim *c)
{
    if (c->lo == c->hi) snprintf(buf, cap, "2*%lld", (long long)c->lo);
    else snprintf(buf, cap, "%lld + %lld", (long long)c->lo, (long long)c->hi);
}

/* The channels a convolution checks and makes, and what groups splits. */
static void explain_channels(probe_ctx *cx, int64_t in_channels, int64_t out_channels, int64_t groups)
{
    probe_explain(cx, "in_channels = C_in = %lld, C_out = out_channels = %lld", (long long)in_channels,
                  (long long)out_channels);
    if (groups != 1)
        probe_explain(cx, "groups=%lld: each group maps in_channels/groups = %lld/%lld = %lld channels to out_channels/groups = %lld/%lld = %lld",
                      (long long)groups, (long long)in_channels, (long long)groups, (long long)(in_channels / groups),
                      (long long)out_channels, (long long)groups, (long long)(out_channels / groups));
}

/* The label of dimension i's line ("W_out"), or of all ("H_out = W_out")
 * with their sides ("height and width"). */
static void dim_label(char *label, size_t lcap, char *side, size_t scap, int rank, int i, bool all)
{
    if (all) {
        ops_all_dims(label, lcap, side, scap, rank);
        return;
    }
    snprintf(label, lcap, "%s_out", ops_dim_letter(rank, i));
    snprintf(side, scap, "%s", ops_side_name(rank, i));
}

/* H_out = floor((H_in + 2*padding - dilation*(kernel_size-1) - 1)/stride + 1)
 * with the numbers put in, one line for all sides when they agree; a side
 * below 1 is named with the kernel it cannot hold. */
static void explain_conv_dims(probe_ctx *cx, const conv_dim *c, int rank)
{
    bool all = all_same(c, rank);
    for (int i = 0; i < (all ? 1 : rank); i++) {
        char pad[48], label[64], side[64];
        pad_terms(pad, sizeof pad, &c[i]);
        dim_label(label, sizeof label, side, sizeof side, rank, i, all);
        int64_t padded = util_sat_add(c[i].in, util_sat_add(c[i].lo, c[i].hi));
        int64_t reach = util_sat_add(util_sat_mul(c[i].d, c[i].k - 1), 1);
        int64_t out = util_sat_add(probe_floordiv(util_sat_sub(padded, reach), c[i].s), 1);
        probe_explain(cx, "%s = floor((%lld + %s - %lld*(%lld-1) - 1)/%lld + 1) = %lld%s", label, (long long)c[i].in, pad,
                      (long long)c[i].d, (long long)c[i].k, (long long)c[i].s, (long long)out, out < 1 ? " < 1" : "");
        if (out < 1)
            probe_explain(cx, "too small: the padded %s %lld + %s = %lld is less than the kernel's extent %lld*(%lld-1) + 1 = %lld",
                          side, (long long)c[i].in, pad, (long long)padded, (long long)c[i].d, (long long)c[i].k,
                          (long long)reach);
    }
}

/* The words for a dimension's two sides in 'same''s split: the odd one
 * goes to the second (bottom, right: the end of the dimension). */
static void side_words(int rank, int i, const char **lo, const char **hi)
{
    bool width = i == rank - 1, height = rank >= 2 && i == rank - 2;
    *lo = width ? "left" : height ? "top" : "front";
    *hi = width ? "right" : height ? "bottom" : "back";
}

/* What padding='same' chose: dilation*(kernel_size-1) per dimension,
 * split between the two sides with the odd one at the bottom or right. */
static void explain_same(probe_ctx *cx, const conv_dim *c, int rank)
{
    bool even = true, uniform = true;
    for (int i = 0; i < rank; i++) {
        even &= c[i].lo == c[i].hi;
        uniform &= c[i].d == c[0].d && c[i].k == c[0].k;
    }
    if (uniform) {
        if (even)
            probe_explain(cx, "padding='same': dilation*(kernel_size-1) = %lld*(%lld-1) = %lld per dimension -> %lld on each side",
                          (long long)c[0].d, (long long)c[0].k, (long long)(c[0].lo + c[0].hi), (long long)c[0].lo);
        else
            probe_explain(cx, "padding='same': dilation*(kernel_size-1) = %lld*(%lld-1) = %lld per dimension -> %lld top/left + %lld bottom/right (the extra one at the bottom/right)",
                          (long long)c[0].d, (long long)c[0].k, (long long)(c[0].lo + c[0].hi), (long long)c[0].lo,
                          (long long)c[0].hi);
        return;
    }
    char text[400];
    size_t len = 0;
    text[0] = '\0';
    for (int i = 0; i < rank && len < sizeof text; i++) {
        const char *lo, *hi;
        side_words(rank, i, &lo, &hi);
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %lld*(%lld-1) = %lld -> %lld %s + %lld %s", i ? ", " : "",
                                ops_dim_letter(rank, i), (long long)c[i].d, (long long)c[i].k,
                                (long long)(c[i].lo + c[i].hi), (long long)c[i].lo, lo, (long long)c[i].hi, hi);
    }
    probe_explain(cx, "padding='same': %s%s", text,
                  even ? " (dilation*(kernel_size-1))" : " (dilation*(kernel_size-1), the extra one at the bottom/right)");
}

/* H_out = (H_in-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1 */
static void explain_transposed_dims(probe_ctx *cx, const conv_dim *c, const int64_t *out, int rank)
{
    bool all = all_same(c, rank);
    for (int i = 0; i < (all ? 1 : rank); i++) {
        char label[64], side[64];
        dim_label(label, sizeof label, side, sizeof side, rank, i, all);
        probe_explain(cx, "%s = (%lld-1)*%lld - 2*%lld + %lld*(%lld-1) + %lld + 1 = %lld%s", label, (long long)c[i].in,
                      (long long)c[i].s, (long long)c[i].lo, (long long)c[i].d, (long long)c[i].k, (long long)c[i].op,
                      (long long)out[i], out[i] < 1 ? " < 1" : "");
    }
}

/* ConvNd's kernel and dilation checks, after those of the weight: a zero
 * kernel with a bad dilation is reported by the dilated kernel, which
 * prints the sizes as a list; a rank-3 kernel names its sizes TxHxW. */
static int check_kernel(probe_ctx *cx, const probe_ints *kernel_size, const probe_ints *dilation)
{
    int rank = kernel_size->n;
    int64_t k[PROBE_MAX_DIMS + 1], d[PROBE_MAX_DIMS + 1];
    int n = lifted(k, kernel_size->v, rank, 1);
    lifted(d, dilation->v, rank, 1);
    bool bad_dilation = any_below(dilation, 1);
    char text[200];
    if (any_equal(kernel_size, 0)) {
        if (bad_dilation)
            return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got %s",
                               probe_shape_str(cx, k, n));
        if (rank == 3)
            return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got: %s (TxHxW)",
                               ops_join(text, sizeof text, k, n, " x "));
        return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got %s",
                           ops_named_sizes(text, sizeof text, "kernel", k, n, " "));
    }
    if (bad_dilation)
        return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero, but got %s",
                           probe_shape_str(cx, d, n));
    return 0;
}

/* Everything Conv2d refuses whatever the input: the constructor's checks,
 * then those every forward makes before looking at the input's sizes. */
static int conv_construct(probe_ctx *cx, int64_t in_channels, int64_t out_channels, const probe_ints *kernel_size,
                          const probe_ints *stride, const probe_ints *padding, const probe_ints *dilation,
                          int64_t groups, const char *padding_mode)
{
    bool same = padding->v[0] == PROBE_SAME;
    if (check_groups(cx, in_channels, out_channels, groups)) return 1;
    bool strided = false;
    for (int i = 0; i < stride->n; i++) strided |= stride->v[i] != 1;
    if (same && strided)
        return probe_raise(cx, PROBE_INVALID, "padding", "padding='same' is not supported for strided convolutions");
    if (strcmp(padding_mode, "zeros") && strcmp(padding_mode, "reflect") &&
        strcmp(padding_mode, "replicate") && strcmp(padding_mode, "circular"))
        return probe_raise(cx, PROBE_INVALID, "padding_mode",
                           "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='%s'",
                           padding_mode);
    static const char *const names[2] = { "out_channels", "in_channels" };
    int64_t w[PROBE_MAX_DIMS + 2];
    int nw = weight_of(w, out_channels, probe_floordiv(in_channels, groups), kernel_size);
    if (check_weight(cx, w, nw, names)) return 1;
    if (!same && any_below(padding, 0))
        return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
    if (any_below(stride, 1)) return probe_raise(cx, PROBE_INVALID, "stride", "non-positive stride is not supported");
    if (out_channels < groups)
        return probe_raise(cx, PROBE_INVALID, "out_channels",
                           "Given groups=%lld, expected weight to be at least %lld at dimension 0, but got weight of size %s instead",
                           (long long)groups, (long long)groups, probe_shape_str(cx, w, nw));
    return check_kernel(cx, kernel_size, dilation);
}

/* padding_mode's F.pad of x (Conv2d._conv_forward: the convolution then
 * has no padding), said in --explain one dimension at a time. F.pad takes
 * the last dimension's two sides first. */
static int pad_by_mode(probe_ctx *cx, probe_tensor *x, const char *padding_mode, bool explaining, conv_dim *dims,
                       int rank)
{
    int64_t pad[2 * PROBE_MAX_DIMS];
    char text[400];
    size_t len = 0;
    text[0] = '\0';
    for (int i = 0; i < rank; i++) {
        pad[2 * (rank - 1 - i)] = dims[i].lo;
        pad[2 * (rank - 1 - i) + 1] = dims[i].hi;
        if (explaining && x->ndim >= rank && len < sizeof text) {
            int64_t in = x->dim[x->ndim - rank + i];
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %lld + %lld + %lld = %lld", i ? ", " : "",
                                    ops_dim_letter(rank, i), (long long)in, (long long)dims[i].lo, (long long)dims[i].hi,
                                    (long long)util_sat_add(in, util_sat_add(dims[i].lo, dims[i].hi)));
        }
    }
    if (explaining && x->ndim >= rank)
        probe_explain(cx, "padding_mode='%s' pads first: %s; the convolution then has padding 0", padding_mode, text);
    if (ops_pad(cx, x, pad, 2 * rank, padding_mode, "padding")) return 1;
    for (int i = 0; i < rank; i++) dims[i].lo = dims[i].hi = 0;
    return 0;
}

/* The input as conv2d's kernel sees it, into *d: padding_mode's F.pad
 * first (dims' padding then 0), batchified, and the extra row and column
 * of an uneven 'same' padding added at the end of each dimension. Sets
 * dims' input sizes. */
static int conv_padded_input(probe_ctx *cx, const probe_tensor *x, const char *padding_mode, bool explaining,
                             conv_dim *dims, int rank, probe_tensor *d)
{
    probe_tensor in = *x;
    if (strcmp(padding_mode, "zeros") && pad_by_mode(cx, &in, padding_mode, explaining, dims, rank)) return 1;
    char name[32];
    snprintf(name, sizeof name, "conv%dd", rank);
    if (conv_input(cx, &in, name, rank, d)) return 1;
    int64_t pad[2 * PROBE_MAX_DIMS];
    bool uneven = false;
    for (int i = 0; i < rank; i++) {
        dims[i].in = d->dim[2 + i];
        /* _convolution_mode: zero-pads the difference, then pads evenly */
        pad[2 * (rank - 1 - i)] = 0;
        pad[2 * (rank - 1 - i) + 1] = dims[i].hi - dims[i].lo;
        uneven |= dims[i].lo != dims[i].hi;
    }
    return uneven && ops_pad(cx, d, pad, 2 * rank, "constant", "padding");
}

/* --explain's note that an empty image is refused before its output
 * size matters: "(H_in = 0, W_in = 5)". */
static void explain_empty(probe_ctx *cx, const probe_tensor *d, int rank)
{
    if (!empty_spatial(d) || d->dim[0] == 0 || d->dim[1] == 0) return;
    char text[200];
    size_t len = 0;
    text[0] = '\0';
    for (int i = 0; i < rank && len < sizeof text; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s_in = %lld", i ? ", " : "", ops_dim_letter(rank, i),
                                (long long)d->dim[2 + i]);
    probe_explain(cx, "but conv%dd refuses an empty image (%s) whatever the padding", rank, text);
}

/* Per dimension the kernel's extent dilation*(k-1) + 1 and the padding
 * 'same' chooses: that extent minus 1 in all, the odd one at the end. */
static void conv_dims(probe_ctx *cx, const probe_ints *kernel_size, const probe_ints *stride,
                      const probe_ints *padding, const probe_ints *dilation, conv_dim *dims, int64_t *reach)
{
    for (int i = 0; i < kernel_size->n; i++) {
        reach[i] = probe_add(cx, probe_mul(cx, dilation->v[i], kernel_size->v[i] - 1), 1);
        int64_t lo = padding->v[i], hi = padding->v[i];
        if (padding->v[0] == PROBE_SAME) {
            lo = (reach[i] - 1) / 2;
            hi = reach[i] - 1 - lo;
        }
        dims[i] = (conv_dim){ 0, lo, hi, kernel_size->v[i], stride->v[i], dilation->v[i], 0 };
    }
}

int ops_conv(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
             const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
             const probe_ints *dilation, int64_t groups, int bias, const char *padding_mode)
{
    if (!x)
        return conv_construct(cx, in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                              padding_mode);
    int rank = kernel_size->n;
    bool explaining = probe_explaining(cx);
    conv_dim dims[PROBE_MAX_DIMS];
    int64_t reach[PROBE_MAX_DIMS], padded[PROBE_MAX_DIMS], o[PROBE_MAX_DIMS], w[PROBE_MAX_DIMS + 2];
    conv_dims(cx, kernel_size, stride, padding, dilation, dims, reach);
    if (explaining && padding->v[0] == PROBE_SAME) explain_same(cx, dims, rank);
    probe_tensor d;
    if (conv_padded_input(cx, x, padding_mode, explaining, dims, rank, &d)) return 1;
    int nw = weight_of(w, out_channels, in_channels / groups, kernel_size);
    char gs[24];
    snprintf(gs, sizeof gs, "%lld", (long long)groups);
    if (d.dim[1] != in_channels)
        return channel_mismatch(cx, in_channels, groups, d.dim[1], gs, w, &d, in_channels, false);
    bool fits = true;
    for (int i = 0; i < rank; i++) {
        padded[i] = probe_add(cx, d.dim[2 + i], probe_mul(cx, 2, dims[i].lo));
        fits &= padded[i] >= reach[i];
    }
    if (explaining) {
        explain_channels(cx, in_channels, out_channels, groups);
        explain_conv_dims(cx, dims, rank);
    }
    if (!fits) {
        char a[200], b[200];
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Calculated padded input size per channel: (%s). Kernel size: (%s). Kernel size can't be greater than actual input size",
                           ops_join(a, sizeof a, padded, rank, " x "), ops_join(b, sizeof b, reach, rank, " x "));
    }
    if (explaining) explain_empty(cx, &d, rank);
    if (check_empty(cx, &d)) return 1;
    for (int i = 0; i < rank; i++) o[i] = probe_add(cx, probe_floordiv(padded[i] - reach[i], stride->v[i]), 1);
    probe_set_params(cx, conv_params(cx, w, nw, bias, out_channels));
    conv_output(x, &d, out_channels, o, rank);
    return 0;
}

/* A Lazy layer's weight is made at the first forward, so the size it
 * infers cannot be printed in the message. */
static int lazy_weight(probe_ctx *cx, const char *layer, int64_t out_channels, const probe_ints *kernel_size)
{
    if (out_channels < 0)
        return probe_raise(cx, PROBE_INVALID, "out_channels", "%s: Trying to create tensor with negative dimension %lld (out_channels)",
                           layer, (long long)out_channels);
    for (int i = 0; i < kernel_size->n; i++)
        if (kernel_size->v[i] < 0)
            return probe_raise(cx, PROBE_INVALID, "kernel_size", "%s: Trying to create tensor with negative dimension %lld (kernel_size)",
                               layer, (long long)kernel_size->v[i]);
    return 0;
}

/* ConvTranspose's checks of output_padding against stride and dilation:
 * each must be smaller than one of them, as slow_conv_transpose2d says. */
static int check_output_padding(probe_ctx *cx, const probe_ints *output_padding, const probe_ints *stride,
                                const probe_ints *dilation)
{
    int rank = stride->n;
    bool bad = false;
    for (int i = 0; i < rank; i++)
        bad |= output_padding->v[i] >= stride->v[i] && output_padding->v[i] >= dilation->v[i];
    if (!bad) return 0;
    int64_t op[PROBE_MAX_DIMS + 1], s[PROBE_MAX_DIMS + 1], d[PROBE_MAX_DIMS + 1];
    int n = lifted(op, output_padding->v, rank, 0);
    lifted(s, stride->v, rank, 1);
    lifted(d, dilation->v, rank, 1);
    char a[200], b[200], c[200];
    return probe_raise(cx, PROBE_INVALID, "output_padding",
                       "output padding must be smaller than either stride or dilation, but got %s %s %s",
                       ops_named_sizes(a, sizeof a, "output_padding", op, n, " "),
                       ops_named_sizes(b, sizeof b, "stride", s, n, " "),
                       ops_named_sizes(c, sizeof c, "dilation", d, n, " "));
}

/* The transposed kernels' checks of kernel, dilation, output_padding
 * and the weight, in their order: slow_conv_transpose2d's (a rank-1 layer
 * runs it with a height of 1), or slow_conv_transpose3d's, which leaves a
 * zero kernel to its check of an empty weight. */
static int transposed_kernel_checks(probe_ctx *cx, const probe_ints *kernel_size, const probe_ints *stride,
                                    const probe_ints *output_padding, const probe_ints *dilation, const int64_t *w)
{
    int rank = kernel_size->n;
    int64_t k[PROBE_MAX_DIMS + 1], d[PROBE_MAX_DIMS + 1], lw[PROBE_MAX_DIMS + 3] = { w[0], w[1] };
    int n = lifted(k, kernel_size->v, rank, 1);
    lifted(d, dilation->v, rank, 1);
    int nw = 2 + lifted(lw + 2, w + 2, rank, 1);
    char text[200];
    if (rank != 3 && any_equal(kernel_size, 0))
        return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got %s",
                           ops_named_sizes(text, sizeof text, "kernel", k, n, " "));
    if (any_below(dilation, 1))
        return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero, but got %s",
                           ops_named_sizes(text, sizeof text, "dilation", d, n, ", "));
    if (check_output_padding(cx, output_padding, stride, dilation)) return 1;
    if (rank == 3 && (w[1] == 0 || any_equal(kernel_size, 0)))
        return probe_raise(cx, PROBE_INVALID, w[1] == 0 ? "out_channels" : "kernel_size",
                           "non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for weight, but got: %s",
                           probe_shape_str(cx, w, 5));
    if (rank != 3 && w[1] == 0)
        return probe_raise(cx, PROBE_INVALID, "out_channels", "non-empty 2D or %dD weight tensor expected, but got: %s",
                           nw, probe_shape_str(cx, lw, nw));
    return 0;
}

static int conv_transpose_construct(probe_ctx *cx, int64_t in_channels, int64_t out_channels,
                                    const probe_ints *kernel_size, const probe_ints *stride,
                                    const probe_ints *padding, const probe_ints *output_padding, int64_t groups,
                                    const probe_ints *dilation, const char *padding_mode)
{
    int rank = kernel_size->n;
    if (strcmp(padding_mode, "zeros"))
        return probe_raise(cx, PROBE_INVALID, "padding_mode", "Only \"zeros\" padding mode is supported for ConvTranspose%dd",
                           rank);
    if (check_groups(cx, in_channels, out_channels, groups)) return 1;
    static const char *const names[2] = { "in_channels", "out_channels" };
    int64_t w[PROBE_MAX_DIMS + 2];
    int nw = weight_of(w, in_channels, probe_floordiv(out_channels, groups), kernel_size);
    if (check_weight(cx, w, nw, names)) return 1;
    if (any_below(padding, 0)) return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
    if (any_below(output_padding, 0))
        return probe_raise(cx, PROBE_INVALID, "output_padding", "negative output_padding is not supported");
    if (any_below(stride, 1)) return probe_raise(cx, PROBE_INVALID, "stride", "non-positive stride is not supported");
    /* in_channels 0 is also the guess for `?`: the run finds the right one */
    return transposed_kernel_checks(cx, kernel_size, stride, output_padding, dilation, w);
}

/* (in-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1 */
static int64_t transposed_size(probe_ctx *cx, int64_t in, int64_t k, int64_t s, int64_t p, int64_t op, int64_t d)
{
    int64_t n = probe_sub(cx, probe_mul(cx, probe_sub(cx, in, 1), s), probe_mul(cx, 2, p));
    n = probe_add(cx, n, probe_mul(cx, d, probe_sub(cx, k, 1)));
    return probe_add(cx, n, probe_add(cx, op, 1));
}

int ops_conv_transpose(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                       const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
                       const probe_ints *output_padding, int64_t groups, int bias, const probe_ints *dilation,
                       const char *padding_mode)
{
    if (!x)
        return conv_transpose_construct(cx, in_channels, out_channels, kernel_size, stride, padding, output_padding,
                                        groups, dilation, padding_mode);
    int rank = kernel_size->n;
    char name[32];
    snprintf(name, sizeof name, "conv_transpose%dd", rank);
    probe_tensor d;
    if (conv_input(cx, x, name, rank, &d)) return 1;
    int64_t w[PROBE_MAX_DIMS + 2], o[PROBE_MAX_DIMS];
    int nw = weight_of(w, in_channels, out_channels / groups, kernel_size);
    if (d.dim[1] != in_channels)
        return channel_mismatch(cx, in_channels, groups, d.dim[1], NULL, w, &d, in_channels, true);
    if (check_empty(cx, &d)) return 1;
    conv_dim dims[PROBE_MAX_DIMS];
    bool small = false;
    for (int i = 0; i < rank; i++) {
        int64_t k = kernel_size->v[i], s = stride->v[i], p = padding->v[i], op = output_padding->v[i], dl = dilation->v[i];
        o[i] = transposed_size(cx, d.dim[2 + i], k, s, p, op, dl);
        dims[i] = (conv_dim){ d.dim[2 + i], p, p, k, s, dl, op };
        small |= o[i] < 1;
    }
    if (probe_explaining(cx)) {
        explain_channels(cx, in_channels, out_channels, groups);
        explain_transposed_dims(cx, dims, o, rank);
    }
    if (small) {
        char a[200], b[200];
        int64_t li[PROBE_MAX_DIMS + 1], lo[PROBE_MAX_DIMS + 1];
        int n = lifted(li, d.dim + 2, rank, 1);
        lifted(lo, o, rank, 1);
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Given input size per channel: (%s). Calculated output size per channel: (%s). Output size is too small",
                           ops_join(a, sizeof a, li, n, " x "), ops_join(b, sizeof b, lo, n, " x "));
    }
    probe_set_params(cx, conv_params(cx, w, nw, bias, out_channels));
    conv_output(x, &d, out_channels, o, rank);
    return 0;
}

/* ---- the registered layers: their sizes hold the op's rank ---- */

int conv2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
           const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
           const probe_ints *dilation, int64_t groups, int bias, const char *padding_mode)
{
    return ops_conv(cx, x, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                    padding_mode);
}

int lazy_conv2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels, const probe_ints *kernel_size,
                const probe_ints *stride, const probe_ints *padding, const probe_ints *dilation, int64_t groups,
                int bias, const char *padding_mode, int64_t in_channels)
{
    char layer[32];
    snprintf(layer, sizeof layer, "LazyConv%dd", kernel_size->n);
    if (!x && groups > 0 && lazy_weight(cx, layer, out_channels, kernel_size)) return 1;
    return ops_conv(cx, x, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                    padding_mode);
}

int conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                     const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
                     const probe_ints *output_padding, int64_t groups, int bias, const probe_ints *dilation,
                     const char *padding_mode)
{
    return ops_conv_transpose(cx, x, in_channels, out_channels, kernel_size, stride, padding, output_padding, groups,
                              bias, dilation, padding_mode);
}

int lazy_conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels, const probe_ints *kernel_size,
                          const probe_ints *stride, const probe_ints *padding, const probe_ints *output_padding,
                          int64_t groups, int bias, const probe_ints *dilation, const char *padding_mode,
                          int64_t in_channels)
{
    char layer[32];
    snprintf(layer, sizeof layer, "LazyConvTranspose%dd", kernel_size->n);
    if (!x && groups > 0 && lazy_weight(cx, layer, out_channels, kernel_size)) return 1;
    return ops_conv_transpose(cx, x, in_channels, out_channels, kernel_size, stride, padding, output_padding, groups,
                              bias, dilation, padding_mode);
}
