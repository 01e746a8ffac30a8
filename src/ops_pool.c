/* ops_pool.c - the pooling layers. Formulas and messages: ATen's Pool.h
 * (pooling_output_shape, pool2d_shape_check) and AdaptivePooling.h. */
#include "ops.h"

#include <math.h>
#include <string.h>

static int check_window(probe_ctx *cx, probe_pair kernel_size, probe_pair stride,
                        probe_pair padding, probe_pair dilation)
{
    if (kernel_size.h <= 0 || kernel_size.w <= 0)
        return probe_raise(cx, PROBE_INVALID, "kernel_size",
                           "kernel size should be greater than zero, but got kH: %lld kW: %lld",
                           (long long)kernel_size.h, (long long)kernel_size.w);
    if (stride.h != PROBE_NONE && (stride.h <= 0 || stride.w <= 0))
        return probe_raise(cx, PROBE_INVALID, "stride", "stride should be greater than zero, but got dH: %lld dW: %lld",
                           (long long)stride.h, (long long)stride.w);
    if (dilation.h <= 0 || dilation.w <= 0)
        return probe_raise(cx, PROBE_INVALID, "dilation", "dilation should be greater than zero, but got dilationH: %lld dilationW: %lld",
                           (long long)dilation.h, (long long)dilation.w);
    if (padding.h < 0 || padding.w < 0)
        return probe_raise(cx, PROBE_INVALID, "padding", "pad must be non-negative, but got pad: (%lld, %lld)",
                           (long long)padding.h, (long long)padding.w);
    if (padding.h > kernel_size.h / 2)
        return probe_raise(cx, PROBE_INVALID, "padding", "pad should be at most half of kernel size, but got pad=%lld and kernel_size=%lld",
                           (long long)padding.h, (long long)kernel_size.h);
    if (padding.w > kernel_size.w / 2)
        return probe_raise(cx, PROBE_INVALID, "padding", "pad should be at most half of kernel size, but got pad=%lld and kernel_size=%lld",
                           (long long)padding.w, (long long)kernel_size.w);
    return 0;
}

/* The shared forward of MaxPool2d, AvgPool2d and LPPool2d. */
static int pool2d(probe_ctx *cx, probe_tensor *x, probe_pair k, probe_pair s, probe_pair p,
                  probe_pair d, int ceil_mode)
{
    if (!ops_need_3d_or_4d(cx, x, "Expected 3D or 4D (batch mode) tensor for input")) return 1;
    if (s.h == PROBE_NONE) s = k;
    int nd = x->ndim;
    int64_t c = x->dim[nd - 3], ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    int64_t oh = ops_pool_out(cx, ih, k.h, p.h, s.h, d.h, ceil_mode);
    int64_t ow = ops_pool_out(cx, iw, k.w, p.w, s.w, d.w, ceil_mode);
    if (oh < 1 || ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Given input size: (%lldx%lldx%lld). Calculated output size: (%lldx%lldx%lld). Output size is too small",
                           (long long)c, (long long)ih, (long long)iw, (long long)c, (long long)oh, (long long)ow);
    x->dim[nd - 2] = oh;
    x->dim[nd - 1] = ow;
    return 0;
}

int max_pool2d(probe_ctx *cx, probe_tensor *x, probe_pair kernel_size, probe_pair stride,
               probe_pair padding, probe_pair dilation, int return_indices, int ceil_mode)
{
    OPS_UNUSED1(return_indices);
    if (!x) return check_window(cx, kernel_size, stride, padding, dilation);
    return pool2d(cx, x, kernel_size, stride, padding, dilation, ceil_mode);
}

int avg_pool2d(probe_ctx *cx, probe_tensor *x, probe_pair kernel_size, probe_pair stride,
               probe_pair padding, int ceil_mode, int count_include_pad, int64_t divisor_override)
{
    OPS_UNUSED1(count_include_pad);
    probe_pair one = { 1, 1 };
    if (!x) {
        if (divisor_override != PROBE_NONE && divisor_override == 0)
            return probe_raise(cx, PROBE_INVALID, "divisor_override", "divisor must be not zero");
        return check_window(cx, kernel_size, stride, padding, one);
    }
    return pool2d(cx, x, kernel_size, stride, padding, one, ceil_mode);
}

int lp_pool2d(probe_ctx *cx, probe_tensor *x, double norm_type, probe_pair kernel_size,
              probe_pair stride, int ceil_mode)
{
    OPS_UNUSED1(norm_type);
    probe_pair zero = { 0, 0 }, one = { 1, 1 };
    if (!x) return check_window(cx, kernel_size, stride, zero, one);
    return pool2d(cx, x, kernel_size, stride, zero, one, ceil_mode);
}

/* output_size: n, (h, w), with None keeping the input's size */
static int adaptive(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, const char *name)
{
    if (!x) {
        if (output_size->n != 1 && output_size->n != 2 && output_size->n != -1)
            return probe_raise(cx, PROBE_INVALID, "output_size", "%s: output_size must be 2", name);
        for (int i = 0; i < output_size->n; i++)
            if (output_size->v[i] != PROBE_NONE && output_size->v[i] < 0)
                return probe_raise(cx, PROBE_INVALID, "output_size", "%s: elements of output_size must be greater than or equal to 0 but received {%lld}",
                                   name, (long long)output_size->v[i]);
        return 0;
    }
    int nd = x->ndim;
    if (nd != 3 && nd != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "%s(): Expected 3D or 4D tensor, but got %s",
                           name, probe_shape_str(cx, x->dim, nd));
    for (int i = 1; i < nd; i++)
        if (x->dim[i] == 0)
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "%s(): Expected input to have non-zero size for non-batch dimensions, but input has sizes %s with dimension %d being empty",
                               name, probe_shape_str(cx, x->dim, nd), i);
    int64_t oh = PROBE_NONE, ow = PROBE_NONE;
    if (output_size->n == 1) oh = ow = output_size->v[0];
    else if (output_size->n == 2) { oh = output_size->v[0]; ow = output_size->v[1]; }
    if (oh != PROBE_NONE) x->dim[nd - 2] = oh;
    if (ow != PROBE_NONE) x->dim[nd - 1] = ow;
    return 0;
}

int adaptive_avg_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size)
{
    return adaptive(cx, x, output_size, "adaptive_avg_pool2d");
}

int adaptive_max_pool2d(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int return_indices)
{
    OPS_UNUSED1(return_indices);
    return adaptive(cx, x, output_size, "adaptive_max_pool2d");
}

int fractional_max_pool2d(probe_ctx *cx, probe_tensor *x, probe_pair kernel_size,
                          probe_pair output_size, probe_fpair output_ratio, int return_indices)
{
    OPS_UNUSED1(return_indices);
    bool has_size = output_size.h != PROBE_NONE, has_ratio = !isnan(output_ratio.h);
    if (!x) {
        if (kernel_size.h <= 0 || kernel_size.w <= 0)
            return probe_raise(cx, PROBE_INVALID, "kernel_size", "kernel_size must be positive");
        if (has_size == has_ratio)
            return probe_raise(cx, PROBE_INVALID, has_size ? "output_ratio" : NULL,
                               has_size ? "only one of output_size and output_ratio may be specified"
                                        : "FractionalMaxPool2d requires specifying either an output size, or a pooling ratio");
        if (has_ratio && !(output_ratio.h > 0 && output_ratio.h < 1 && output_ratio.w > 0 && output_ratio.w < 1)) {
            char a[32], b[32];
            return probe_raise(cx, PROBE_INVALID, "output_ratio", "output_ratio must be between 0 and 1 (got (%s, %s))",
                               ops_float_repr(output_ratio.h, a), ops_float_repr(output_ratio.w, b));
        }
        return 0;
    }
    if (!ops_need_3d_or_4d(cx, x, "fractional_max_pool2d(): Expected 3D or 4D tensor")) return 1;
    int nd = x->ndim;
    int64_t ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    int64_t oh = has_size ? output_size.h : (int64_t)((double)ih * output_ratio.h);
    int64_t ow = has_size ? output_size.w : (int64_t)((double)iw * output_ratio.w);
    if (probe_add(cx, oh, kernel_size.h - 1) > ih)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "fractional_max_pool2d(): pool height %lld too large relative to input height %lld",
                           (long long)kernel_size.h, (long long)ih);
    if (probe_add(cx, ow, kernel_size.w - 1) > iw)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "fractional_max_pool2d(): pool width %lld too large relative to input width %lld",
                           (long long)kernel_size.w, (long long)iw);
    x->dim[nd - 2] = oh;
    x->dim[nd - 1] = ow;
    return 0;
}
