/* ops_conv.c - Conv2d and ConvTranspose2d, and their Lazy forms.
 * Formulas and messages: ATen's Convolution.cpp and torch/nn/modules/conv.py. */
#include "ops.h"

#include <string.h>

/* Constructor checks both convolutions share (torch/nn/modules/conv.py). */
static int check_channels_and_groups(probe_ctx *cx, int64_t in_channels, int64_t out_channels,
                                     probe_pair kernel_size, probe_pair stride,
                                     probe_pair dilation, int64_t groups)
{
    if (groups <= 0) return probe_raise(cx, PROBE_INVALID, "groups", "groups must be a positive integer");
    if (in_channels < 0) return probe_raise(cx, PROBE_INVALID, "in_channels", "in_channels must not be negative, got %lld", (long long)in_channels);
    if (out_channels < 0) return probe_raise(cx, PROBE_INVALID, "out_channels", "out_channels must not be negative, got %lld", (long long)out_channels);
    if (in_channels % groups != 0) return probe_raise(cx, PROBE_INVALID, "groups", "in_channels must be divisible by groups");
    if (out_channels % groups != 0) return probe_raise(cx, PROBE_INVALID, "groups", "out_channels must be divisible by groups");
    if (kernel_size.h <= 0 || kernel_size.w <= 0)
        return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel_size must be positive, got (%lld, %lld)", (long long)kernel_size.h, (long long)kernel_size.w);
    if (stride.h <= 0 || stride.w <= 0) return probe_raise(cx, PROBE_INVALID, "stride", "non-positive stride is not supported");
    if (dilation.h <= 0 || dilation.w <= 0) return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero");
    return 0;
}

/* Where the batch dimension is: conv accepts [C,H,W] as one unbatched sample. */
static int conv_input(probe_ctx *cx, const probe_tensor *x, const char *name, int64_t d[4])
{
    if (x->ndim == 4) { memcpy(d, x->dim, 4 * sizeof d[0]); return 0; }
    if (x->ndim == 3) { d[0] = 1; memcpy(d + 1, x->dim, 3 * sizeof d[0]); return 0; }
    return probe_raise(cx, PROBE_ERROR, NULL,
                       "Expected 3D (unbatched) or 4D (batched) input to %s, but got input of size: %s",
                       name, probe_shape_str(cx, x->dim, x->ndim));
}

static void conv_output(probe_tensor *x, int64_t n, int64_t c, int64_t h, int64_t w)
{
    int64_t d[4] = { n, c, h, w };
    if (x->ndim == 3) memcpy(x->dim, d + 1, 3 * sizeof d[0]);
    else memcpy(x->dim, d, 4 * sizeof d[0]);
}

/* What F.pad(mode=padding_mode) does before a non-zeros convolution. */
static int mode_pad(probe_ctx *cx, const char *mode, int64_t d[4], int64_t ph_lo, int64_t ph_hi,
                    int64_t pw_lo, int64_t pw_hi)
{
    if (!strcmp(mode, "reflect")) {
        if (pw_lo >= d[3] || pw_hi >= d[3])
            return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                               "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension 3 of input %s",
                               (long long)pw_lo, (long long)pw_hi, probe_shape_str(cx, d, 4));
        if (ph_lo >= d[2] || ph_hi >= d[2])
            return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                               "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension 2 of input %s",
                               (long long)ph_lo, (long long)ph_hi, probe_shape_str(cx, d, 4));
    } else if (!strcmp(mode, "circular")) {
        if (pw_lo > d[3] || pw_hi > d[3] || ph_lo > d[2] || ph_hi > d[2])
            return probe_raise(cx, PROBE_TOO_SMALL, "padding", "Padding value causes wrapping around more than once.");
    }
    d[2] = probe_add(cx, d[2], probe_add(cx, ph_lo, ph_hi));
    d[3] = probe_add(cx, d[3], probe_add(cx, pw_lo, pw_hi));
    return 0;
}

int conv2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
           probe_pair kernel_size, probe_pair stride, probe_pair padding, probe_pair dilation,
           int64_t groups, int bias, const char *padding_mode)
{
    bool same = padding.h == PROBE_SAME;
    if (!x) {
        if (check_channels_and_groups(cx, in_channels, out_channels, kernel_size, stride, dilation, groups)) return 1;
        if (same && (stride.h != 1 || stride.w != 1))
            return probe_raise(cx, PROBE_INVALID, "padding", "padding='same' is not supported for strided convolutions");
        if (!same && (padding.h < 0 || padding.w < 0))
            return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
        if (strcmp(padding_mode, "zeros") && strcmp(padding_mode, "reflect") &&
            strcmp(padding_mode, "replicate") && strcmp(padding_mode, "circular"))
            return probe_raise(cx, PROBE_INVALID, "padding_mode",
                               "padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='%s'", padding_mode);
        return 0;
    }
    int64_t d[4];
    if (conv_input(cx, x, "conv2d", d)) return 1;
    int64_t kh = probe_add(cx, probe_mul(cx, dilation.h, kernel_size.h - 1), 1);
    int64_t kw = probe_add(cx, probe_mul(cx, dilation.w, kernel_size.w - 1), 1);
    /* 'same' pads d*(k-1) in all, the odd one on the bottom/right */
    int64_t ph_lo = padding.h, ph_hi = padding.h, pw_lo = padding.w, pw_hi = padding.w;
    if (same) {
        ph_lo = (kh - 1) / 2; ph_hi = kh - 1 - ph_lo;
        pw_lo = (kw - 1) / 2; pw_hi = kw - 1 - pw_lo;
    }
    if (strcmp(padding_mode, "zeros")) {
        if (mode_pad(cx, padding_mode, d, ph_lo, ph_hi, pw_lo, pw_hi)) return 1;
        ph_lo = ph_hi = pw_lo = pw_hi = 0;
    }
    int64_t per_group = groups ? in_channels / groups : 0;
    int64_t expected = probe_mul(cx, per_group, groups);
    if (d[1] != expected) {
        int64_t w[4] = { out_channels, per_group, kernel_size.h, kernel_size.w };
        const char *ws = probe_shape_str(cx, w, 4);
        const char *is = probe_shape_str(cx, d, 4);
        if (d[1] % groups != 0)
            return probe_raise(cx, PROBE_ERROR, "in_channels",
                               "Given groups=%lld, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                               (long long)groups, ws, is, (long long)expected, (long long)d[1]);
        return probe_mismatch(cx, "in_channels", d[1],
                              "Given groups=%lld, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                              (long long)groups, ws, is, (long long)expected, (long long)d[1]);
    }
    int64_t hp = probe_add(cx, d[2], probe_add(cx, ph_lo, ph_hi));
    int64_t wp = probe_add(cx, d[3], probe_add(cx, pw_lo, pw_hi));
    if (hp < kh || wp < kw)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Calculated padded input size per channel: (%lld x %lld). Kernel size: (%lld x %lld). Kernel size can't be greater than actual input size",
                           (long long)hp, (long long)wp, (long long)kh, (long long)kw);
    int64_t oh = probe_add(cx, probe_floordiv(hp - kh, stride.h), 1);
    int64_t ow = probe_add(cx, probe_floordiv(wp - kw, stride.w), 1);
    probe_set_params(cx, probe_add(cx, probe_mul(cx, probe_mul(cx, out_channels, per_group),
                                                 probe_mul(cx, kernel_size.h, kernel_size.w)),
                                   bias ? out_channels : 0));
    conv_output(x, d[0], out_channels, oh, ow);
    return 0;
}

int lazy_conv2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels, probe_pair kernel_size,
                probe_pair stride, probe_pair padding, probe_pair dilation, int64_t groups,
                int bias, const char *padding_mode, int64_t in_channels)
{
    return conv2d(cx, x, in_channels, out_channels, kernel_size, stride, padding, dilation,
                  groups, bias, padding_mode);
}

int conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                     probe_pair kernel_size, probe_pair stride, probe_pair padding,
                     probe_pair output_padding, int64_t groups, int bias, probe_pair dilation,
                     const char *padding_mode)
{
    if (!x) {
        if (check_channels_and_groups(cx, in_channels, out_channels, kernel_size, stride, dilation, groups)) return 1;
        if (strcmp(padding_mode, "zeros"))
            return probe_raise(cx, PROBE_INVALID, "padding_mode", "Only \"zeros\" padding mode is supported for ConvTranspose2d");
        if (padding.h < 0 || padding.w < 0)
            return probe_raise(cx, PROBE_INVALID, "padding", "negative padding is not supported");
        if (output_padding.h < 0 || output_padding.w < 0)
            return probe_raise(cx, PROBE_INVALID, "output_padding", "negative output_padding is not supported");
        if ((output_padding.h >= stride.h && output_padding.h >= dilation.h) ||
            (output_padding.w >= stride.w && output_padding.w >= dilation.w))
            return probe_raise(cx, PROBE_INVALID, "output_padding",
                               "output padding must be smaller than either stride or dilation, but got output_padding_height: %lld output_padding_width: %lld stride_height: %lld stride_width: %lld dilation_height: %lld dilation_width: %lld",
                               (long long)output_padding.h, (long long)output_padding.w, (long long)stride.h,
                               (long long)stride.w, (long long)dilation.h, (long long)dilation.w);
        return 0;
    }
    int64_t d[4];
    if (conv_input(cx, x, "conv_transpose2d", d)) return 1;
    int64_t per_group = groups ? out_channels / groups : 0;
    if (d[1] != in_channels) {
        int64_t w[4] = { in_channels, per_group, kernel_size.h, kernel_size.w };
        const char *ws = probe_shape_str(cx, w, 4);
        const char *is = probe_shape_str(cx, d, 4);
        if (d[1] % groups != 0)
            return probe_raise(cx, PROBE_ERROR, "in_channels",
                               "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                               ws, is, (long long)in_channels, (long long)d[1]);
        return probe_mismatch(cx, "in_channels", d[1],
                              "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                              ws, is, (long long)in_channels, (long long)d[1]);
    }
    /* (in-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1 */
    int64_t oh = probe_add(cx, probe_add(cx, probe_sub(cx, probe_mul(cx, d[2] - 1, stride.h), probe_mul(cx, 2, padding.h)),
                                         probe_mul(cx, dilation.h, kernel_size.h - 1)), output_padding.h + 1);
    int64_t ow = probe_add(cx, probe_add(cx, probe_sub(cx, probe_mul(cx, d[3] - 1, stride.w), probe_mul(cx, 2, padding.w)),
                                         probe_mul(cx, dilation.w, kernel_size.w - 1)), output_padding.w + 1);
    if (oh < 1 || ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Given input size per channel: (%lld x %lld). Calculated output size per channel: (%lld x %lld). Output size is too small",
                           (long long)d[2], (long long)d[3], (long long)oh, (long long)ow);
    probe_set_params(cx, probe_add(cx, probe_mul(cx, probe_mul(cx, in_channels, per_group),
                                                 probe_mul(cx, kernel_size.h, kernel_size.w)),
                                   bias ? out_channels : 0));
    conv_output(x, d[0], out_channels, oh, ow);
    return 0;
}

int lazy_conv_transpose2d(probe_ctx *cx, probe_tensor *x, int64_t out_channels,
                          probe_pair kernel_size, probe_pair stride, probe_pair padding,
                          probe_pair output_padding, int64_t groups, int bias,
                          probe_pair dilation, const char *padding_mode, int64_t in_channels)
{
    return conv_transpose2d(cx, x, in_channels, out_channels, kernel_size, stride, padding,
                            output_padding, groups, bias, dilation, padding_mode);
}
