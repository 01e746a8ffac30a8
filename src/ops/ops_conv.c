/* ops_conv.c - Conv2d and ConvTranspose2d, and their Lazy forms.
 * Formulas and messages: ATen's Convolution.cpp, ConvUtils.h and
 * NaiveConvolutionTranspose2d.cpp, torch/nn/modules/conv.py (1.13). */
#include "ops/ops.h"
#include "base/util.h"

#include <string.h>

/* The first negative size of a weight, as torch.empty reports it. */
static int check_weight(probe_ctx *cx, const int64_t w[4], const char *const names[4])
{
    for (int i = 0; i < 4; i++)
        if (w[i] < 0)
            return probe_raise(cx, PROBE_INVALID, names[i], "Trying to create tensor with negative dimension %lld: %s",
                               (long long)w[i], probe_shape_str(cx, w, 4));
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

/* conv2d's batchify: [C, H, W] is one unbatched sample. */
static int conv_input(probe_ctx *cx, const probe_tensor *x, const char *name, probe_tensor *d)
{
    if (x->ndim == 4) { *d = *x; return 0; }
    if (x->ndim == 3) {
        d->ndim = 4;
        d->dim[0] = 1;
        memcpy(d->dim + 1, x->dim, 3 * sizeof d->dim[0]);
        return 0;
    }
    return probe_raise(cx, PROBE_ERROR, NULL,
                       "Expected 3D (unbatched) or 4D (batched) input to %s, but got input of size: %s",
                       name, probe_shape_str(cx, x->dim, x->ndim));
}

static void conv_output(probe_tensor *x, const probe_tensor *d, int64_t c, int64_t h, int64_t w)
{
    int64_t out[4] = { d->dim[0], c, h, w };
    x->ndim = x->ndim == 3 ? 3 : 4;
    memcpy(x->dim, out + (4 - x->ndim), (size_t)x->ndim * sizeof out[0]);
}

/* select_conv_backend: an empty input must be empty in batch or channels. */
static int check_empty(probe_ctx *cx, const probe_tensor *d)
{
    if (d->dim[2] != 0 && d->dim[3] != 0) return 0;
    if (d->dim[0] == 0 || d->dim[1] == 0) return 0;
    return probe_raise(cx, PROBE_TOO_SMALL, NULL, "Only zero batch or zero channel inputs are supported, but got input shape: %s",
                       probe_shape_str(cx, d->dim, 4));
}

/* The input channels disagree with the weight. A repair to the input's
 * channels is only possible when groups divides them; a Lazy layer (or
 * `?`, guessed as 0) then says what LazyConv2d says. */
static int channel_mismatch(probe_ctx *cx, int64_t in_channels, int64_t groups, int64_t have,
                            const char *fmt_groups, const int64_t w[4], const probe_tensor *d,
                            int64_t expected, bool transposed)
{
    const char *ws = probe_shape_str(cx, w, 4), *is = probe_shape_str(cx, d->dim, 4);
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

static int64_t conv_params(probe_ctx *cx, const int64_t w[4], int bias, int64_t out_channels)
{
    int64_t n = probe_mul(cx, probe_mul(cx, w[0], w[1]), probe_mul(cx, w[2], w[3]));
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

/* H_out = floor((H_in + 2*padding - dilation*(kernel_size-1) - 1)/stride + 1)
 * with the numbers put in, one line for both sides when they agree; a side
 * below 1 is named with the kernel it cannot hold. */
static void explain_conv_hw(probe_ctx *cx, const conv_dim c[2])
{
    static const char *const side[2] = { "height", "width" };
    bool both = same_dim(&c[0], &c[1]);
    for (int i = 0; i < (both ? 1 : 2); i++) {
        char pad[48];
        pad_terms(pad, sizeof pad, &c[i]);
        int64_t padded = util_sat_add(c[i].in, util_sat_add(c[i].lo, c[i].hi));
        int64_t reach = util_sat_add(util_sat_mul(c[i].d, c[i].k - 1), 1);
        int64_t out = util_sat_add(probe_floordiv(util_sat_sub(padded, reach), c[i].s), 1);
        probe_explain(cx, "%s = floor((%lld + %s - %lld*(%lld-1) - 1)/%lld + 1) = %lld%s",
                      both ? "H_out = W_out" : i ? "W_out" : "H_out", (long long)c[i].in, pad,
                      (long long)c[i].d, (long long)c[i].k, (long long)c[i].s, (long long)out, out < 1 ? " < 1" : "");
        if (out < 1)
            probe_explain(cx, "too small: the padded %s%s %lld + %s = %lld is less than the kernel's extent %lld*(%lld-1) + 1 = %lld",
                          side[i], both ? " and width" : "", (long long)c[i].in, pad, (long long)padded,
                          (long long)c[i].d, (long long)c[i].k, (long long)reach);
    }
}

/* What padding='same' chose: dilation*(kernel_size-1) per dimension,
 * split between the two sides with the odd one at the bottom or right. */
static void explain_same(probe_ctx *cx, const conv_dim c[2])
{
    bool even = c[0].lo == c[0].hi && c[1].lo == c[1].hi;
    if (c[0].d == c[1].d && c[0].k == c[1].k) {
        if (even)
            probe_explain(cx, "padding='same': dilation*(kernel_size-1) = %lld*(%lld-1) = %lld per dimension -> %lld on each side",
                          (long long)c[0].d, (long long)c[0].k, (long long)(c[0].lo + c[0].hi), (long long)c[0].lo);
        else
            probe_explain(cx, "padding='same': dilation*(kernel_size-1) = %lld*(%lld-1) = %lld per dimension -> %lld top/left + %lld bottom/right (the extra one at the bottom/right)",
                          (long long)c[0].d, (long long)c[0].k, (long long)(c[0].lo + c[0].hi), (long long)c[0].lo,
                          (long long)c[0].hi);
        return;
    }
    probe_explain(cx, "padding='same': H %lld*(%lld-1) = %lld -> %lld top + %lld bottom, W %lld*(%lld-1) = %lld -> %lld left + %lld right%s",
                  (long long)c[0].d, (long long)c[0].k, (long long)(c[0].lo + c[0].hi), (long long)c[0].lo,
                  (long long)c[0].hi, (long long)c[1].d, (long long)c[1].k, (long long)(c[1].lo + c[1].hi),
                  (long long)c[1].lo, (long long)c[1].hi,
                  even ? " (dilation*(kernel_size-1))" : " (dilation*(kernel_size-1), the extra one at the bottom/right)");
}

/* H_out = (H_in-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1 */
static void explain_transposed_hw(probe_ctx *cx, const conv_dim c[2], const int64_t out[2])
{
    bool both = same_dim(&c[0], &c[1]);
    for (int i = 0; i < (both ? 1 : 2); i++)
        probe_explain(cx, "%s = (%lld-1)*%lld - 2*%lld + %lld*(%lld-1) + %lld + 1 = %lld%s",
                      both ? "H_out = W_out" : i ? "W_out" : "H_out", (long long)c[i].in, (long long)c[i].s,
                      (long long)c[i].lo, (long long)c[i].d, (long long)c[i].k, (long long)c[i].op,
                      (long long)out[i], out[i] < 1 ? " < 1" : "");
}

/* Everything Conv2d refuses whatever the input: the constructor's checks,
 * then those every forward makes before looking at the input's sizes. */
static int conv2d_construct(probe_ctx *cx, int64_t in_channels, int64_t out_channels,
                            probe_pair kernel_size, probe_pair stride, probe_pair padding,
                            probe_pair dilation, int64_t groups, const char *padding_mode)
{
    bool same = padding.h == PROBE_SAME;
    if (check_groups(cx, in_channels, out_channels, groups)) return 1;
    if (same && (stride.h != 1 || stride.w != 1))
        return probe_raise(cx, PROBE_INVALID, "padding", "padding='same' is not supported for strided convolutions");
    if (strcmp(padding_mode, "zeros") && strcmp(padding_mode, "reflect") &&
        strcmp(padding_mode, "replicate") && strcmp(padding_mode, "circular"))
        return probe_raise(cx, PROBE_INVALID, "padding_mode",
                           "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='%s'",
                           padding_mode);
    static const char *const names[4] = { "out_channels", "in_channels", "kernel_size", "kernel_size" };
    int64_t w[4] = { out_channels, probe_floordiv(in_channels, groups), kernel_size.h, kernel_size.w };
    if (check_weight(cx, w, names)) return 1;
    if (!same && (padding.h < 0 || padding.w < 0))
        return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
    if (stride.h <= 0 || stride.w <= 0) return probe_raise(cx, PROBE_INVALID, "stride", "non-positive stride is not supported");
    if (out_channels < groups)
        return probe_raise(cx, PROBE_INVALID, "out_channels",
                           "Given groups=%lld, expected weight to be at least %lld at dimension 0, but got weight of size %s instead",
                           (long long)groups, (long long)groups, probe_shape_str(cx, w, 4));
    bool bad_dilation = dilation.h <= 0 || dilation.w <= 0;
    if (kernel_size.h == 0 || kernel_size.w == 0) {
        /* the dilated kernel prints the sizes as a list */
        if (bad_dilation)
            return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel size should be greater than zero, but got [%lld, %lld]",
                               (long long)kernel_size.h, (long long)kernel_size.w);
        return probe_raise(cx, PROBE_INVALID, "kernel_size",
                           "kernel size should be greater than zero, but got kernel_height: %lld kernel_width: %lld",
                           (long long)kernel_size.h, (long long)kernel_size.w);
    }
    if (bad_dilation)
        return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero, but got [%lld, %lld]",
                           (long long)dilation.h, (long long)dilation.w);
    return 0;
}

/* The input as conv2d's kernel sees it, into *d: padding_mode's F.pad
 * first (Conv2d._conv_forward; dims' padding then 0), batchified, and the
 * extra row and column of an uneven 'same' padding added at the bottom
 * and right. Sets dims' input sizes. */
static int conv_padded_input(probe_ctx *cx, const probe_tensor *x, const char *padding_mode, bool explaining,
                             conv_dim dims[2], probe_tensor *d)
{
    probe_tensor in = *x;
    if (strcmp(padding_mode, "zeros")) {
        /* Conv2d._conv_forward: F.pad first, then a convolution without padding */
        int64_t ph_lo = dims[0].lo, ph_hi = dims[0].hi, pw_lo = dims[1].lo, pw_hi = dims[1].hi;
        int64_t pad[4] = { pw_lo, pw_hi, ph_lo, ph_hi };
        if (explaining && in.ndim >= 2)
            probe_explain(cx, "padding_mode='%s' pads first: H %lld + %lld + %lld = %lld, W %lld + %lld + %lld = %lld; the convolution then has padding 0",
                          padding_mode, (long long)in.dim[in.ndim - 2], (long long)ph_lo, (long long)ph_hi,
                          (long long)util_sat_add(in.dim[in.ndim - 2], util_sat_add(ph_lo, ph_hi)),
                          (long long)in.dim[in.ndim - 1], (long long)pw_lo, (long long)pw_hi,
                          (long long)util_sat_add(in.dim[in.ndim - 1], util_sat_add(pw_lo, pw_hi)));
        if (ops_pad(cx, &in, pad, 4, padding_mode, "padding")) return 1;
        dims[0].lo = dims[0].hi = dims[1].lo = dims[1].hi = 0;
    }
    if (conv_input(cx, &in, "conv2d", d)) return 1;
    dims[0].in = d->dim[2];
    dims[1].in = d->dim[3];
    if (dims[0].lo != dims[0].hi || dims[1].lo != dims[1].hi) {
        /* _convolution_mode: zero-pads the difference, then pads evenly */
        int64_t pad[4] = { 0, dims[1].hi - dims[1].lo, 0, dims[0].hi - dims[0].lo };
        if (ops_pad(cx, d, pad, 4, "constant", "padding")) return 1;
    }
    return 0;
}

int conv2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
           probe_pair kernel_size, probe_pair stride, probe_pair padding, probe_pair dilation,
           int64_t groups, int bias, const char *padding_mode)
{
    if (!x)
        return conv2d_construct(cx, in_channels, out_channels, kernel_size, stride, padding, dilation,
                                groups, padding_mode);
    int64_t kh = probe_add(cx, probe_mul(cx, dilation.h, kernel_size.h - 1), 1);
    int64_t kw = probe_add(cx, probe_mul(cx, dilation.w, kernel_size.w - 1), 1);
    /* 'same' pads d*(k-1) in all, the odd one at the bottom/right */
    int64_t ph_lo = padding.h, ph_hi = padding.h, pw_lo = padding.w, pw_hi = padding.w;
    if (padding.h == PROBE_SAME) {
        ph_lo = (kh - 1) / 2; ph_hi = kh - 1 - ph_lo;
        pw_lo = (kw - 1) / 2; pw_hi = kw - 1 - pw_lo;
    }
    bool explaining = probe_explaining(cx);
    conv_dim dims[2] = {
        { 0, ph_lo, ph_hi, kernel_size.h, stride.h, dilation.h, 0 },
        { 0, pw_lo, pw_hi, kernel_size.w, stride.w, dilation.w, 0 },
    };
    if (explaining && padding.h == PROBE_SAME) explain_same(cx, dims);
    probe_tensor d;
    if (conv_padded_input(cx, x, padding_mode, explaining, dims, &d)) return 1;
    ph_lo = dims[0].lo;
    pw_lo = dims[1].lo;
    int64_t per_group = in_channels / groups;
    int64_t w[4] = { out_channels, per_group, kernel_size.h, kernel_size.w };
    char gs[24];
    snprintf(gs, sizeof gs, "%lld", (long long)groups);
    if (d.dim[1] != in_channels)
        return channel_mismatch(cx, in_channels, groups, d.dim[1], gs, w, &d, in_channels, false);
    int64_t hp = probe_add(cx, d.dim[2], probe_mul(cx, 2, ph_lo));
    int64_t wp = probe_add(cx, d.dim[3], probe_mul(cx, 2, pw_lo));
    if (explaining) {
        explain_channels(cx, in_channels, out_channels, groups);
        explain_conv_hw(cx, dims);
    }
    if (hp < kh || wp < kw)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Calculated padded input size per channel: (%lld x %lld). Kernel size: (%lld x %lld). Kernel size can't be greater than actual input size",
                           (long long)hp, (long long)wp, (long long)kh, (long long)kw);
    if (explaining && (d.dim[2] == 0 || d.dim[3] == 0) && d.dim[0] != 0 && d.dim[1] != 0)
        probe_explain(cx, "but conv2d refuses an empty image (H_in = %lld, W_in = %lld) whatever the padding",
                      (long long)d.dim[2], (long long)d.dim[3]);
    if (check_empty(cx, &d)) return 1;
    int64_t oh = probe_add(cx, probe_floordiv(hp - kh, stride.h), 1);
    int64_t ow = probe_add(cx, probe_floordiv(wp - kw, stride.w), 1);
    probe_set_params(cx, conv_params(cx, w, bias, out_channels));
    conv_output(x, &d, out_channels, oh, ow);
    return 0;
}

/* A Lazy layer's weight is made at the first forward, so the size it
 * infers cannot be printed in the message. */
static int lazy_weight(probe_ctx *cx, const char *layer, int64_t out_channels, probe_pair kernel_size)
{
    if (out_channels < 0)
        return probe_raise(cx, PROBE_INVALID, "out_channels", "%s: Trying to create tensor with negative dimension %lld (out_channels)",
                           layer, (long long)out_channels);
    if (kernel_size.h < 0 || kernel_size.w < 0)
        return probe_raise(cx, PROBE_INVALID, "kernel_size", "%s: Trying to create tensor with negative dimension %lld (kernel_size)",
                           layer, (long long)(kernel_size.h < 0 ? kernel_size.h : kernel_size.w));
    return 0;
}

int lazy_conv2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels, probe_pair kernel_size,
                probe_pair stride, probe_pair padding, probe_pair dilation, int64_t groups,
                int bias, const char *padding_mode, int64_t in_channels)
{
    if (!x && groups > 0 && lazy_weight(cx, "LazyConv2d", out_channels, kernel_size)) return 1;
    return conv2d(cx, x, in_channels, out_channels, kernel_size, stride, padding, dilation,
                  groups, bias, padding_mode);
}

static int conv_transpose2d_construct(probe_ctx *cx, int64_t in_channels, int64_t out_channels,
                                      probe_pair kernel_size, probe_pair stride, probe_pair padding,
                                      probe_pair output_padding, int64_t groups,
                                      probe_pair dilation, const char *padding_mode)
{
    if (strcmp(padding_mode, "zeros"))
        return probe_raise(cx, PROBE_INVALID, "padding_mode", "Only \"zeros\" padding mode is supported for ConvTranspose2d");
    if (check_groups(cx, in_channels, out_channels, groups)) return 1;
    static const char *const names[4] = { "in_channels", "out_channels", "kernel_size", "kernel_size" };
    int64_t w[4] = { in_channels, probe_floordiv(out_channels, groups), kernel_size.h, kernel_size.w };
    if (check_weight(cx, w, names)) return 1;
    if (padding.h < 0 || padding.w < 0)
        return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
    if (output_padding.h < 0 || output_padding.w < 0)
        return probe_raise(cx, PROBE_INVALID, "output_padding", "negative output_padding is not supported");
    if (stride.h <= 0 || stride.w <= 0) return probe_raise(cx, PROBE_INVALID, "stride", "non-positive stride is not supported");
    /* in_channels 0 is also the guess for `?`: the run finds the right one */
    if (kernel_size.h == 0 || kernel_size.w == 0)
        return probe_raise(cx, PROBE_INVALID, "kernel_size",
                           "kernel size should be greater than zero, but got kernel_height: %lld kernel_width: %lld",
                           (long long)kernel_size.h, (long long)kernel_size.w);
    if (dilation.h <= 0 || dilation.w <= 0)
        return probe_raise(cx, PROBE_INVALID, "dilation",
                           "dilation should be greater than zero, but got dilation_height: %lld, dilation_width: %lld",
                           (long long)dilation.h, (long long)dilation.w);
    if ((output_padding.h >= stride.h && output_padding.h >= dilation.h) ||
        (output_padding.w >= stride.w && output_padding.w >= dilation.w))
        return probe_raise(cx, PROBE_INVALID, "output_padding",
                           "output padding must be smaller than either stride or dilation, but got output_padding_height: %lld output_padding_width: %lld stride_height: %lld stride_width: %lld dilation_height: %lld dilation_width: %lld",
                           (long long)output_padding.h, (long long)output_padding.w, (long long)stride.h,
                           (long long)stride.w, (long long)dilation.h, (long long)dilation.w);
    if (out_channels == 0)
        return probe_raise(cx, PROBE_INVALID, "out_channels", "non-empty 2D or 4D weight tensor expected, but got: %s",
                           probe_shape_str(cx, w, 4));
    return 0;
}

/* (in-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1 */
static int64_t transposed_size(probe_ctx *cx, int64_t in, int64_t k, int64_t s, int64_t p, int64_t op, int64_t d)
{
    int64_t n = probe_sub(cx, probe_mul(cx, probe_sub(cx, in, 1), s), probe_mul(cx, 2, p));
    n = probe_add(cx, n, probe_mul(cx, d, probe_sub(cx, k, 1)));
    return probe_add(cx, n, probe_add(cx, op, 1));
}

int conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                     probe_pair kernel_size, probe_pair stride, probe_pair padding,
                     probe_pair output_padding, int64_t groups, int bias, probe_pair dilation,
                     const char *padding_mode)
{
    if (!x)
        return conv_transpose2d_construct(cx, in_channels, out_channels, kernel_size, stride, padding,
                                          output_padding, groups, dilation, padding_mode);
    probe_tensor d;
    if (conv_input(cx, x, "conv_transpose2d", &d)) return 1;
    int64_t w[4] = { in_channels, out_channels / groups, kernel_size.h, kernel_size.w };
    if (d.dim[1] != in_channels)
        return channel_mismatch(cx, in_channels, groups, d.dim[1], NULL, w, &d, in_channels, true);
    if (check_empty(cx, &d)) return 1;
    int64_t oh = transposed_size(cx, d.dim[2], kernel_size.h, stride.h, padding.h, output_padding.h, dilation.h);
    int64_t ow = transposed_size(cx, d.dim[3], kernel_size.w, stride.w, padding.w, output_padding.w, dilation.w);
    if (probe_explaining(cx)) {
        conv_dim dims[2] = {
            { d.dim[2], padding.h, padding.h, kernel_size.h, stride.h, dilation.h, output_padding.h },
            { d.dim[3], padding.w, padding.w, kernel_size.w, stride.w, dilation.w, output_padding.w },
        };
        int64_t out[2] = { oh, ow };
        explain_channels(cx, in_channels, out_channels, groups);
        explain_transposed_hw(cx, dims, out);
    }
    if (oh < 1 || ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Given input size per channel: (%lld x %lld). Calculated output size per channel: (%lld x %lld). Output size is too small",
                           (long long)d.dim[2], (long long)d.dim[3], (long long)oh, (long long)ow);
    probe_set_params(cx, conv_params(cx, w, bias, out_channels));
    conv_output(x, &d, out_channels, oh, ow);
    return 0;
}

int lazy_conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels,
                          probe_pair kernel_size, probe_pair stride, probe_pair padding,
                          probe_pair output_padding, int64_t groups, int bias,
                          probe_pair dilation, const char *padding_mode, int64_t in_channels)
{
    if (!x && groups > 0 && lazy_weight(cx, "LazyConvTranspose2d", out_channels, kernel_size)) return 1;
    return conv_transpose2d(cx, x, in_channels, out_channels, kernel_size, stride, padding,
                            output_padding, groups, bias, dilation, padding_mode);
}
