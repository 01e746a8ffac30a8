/*
 * mylayers.c - an example probe plugin: three layers that are not in
 * torch.nn, as a project's own code defines them.
 *
 *   make plugins
 *   build/probe --plugin build/plugins/libmylayers.so --net probes/yolo_stem.cfg --hw 64x64
 *
 * Each layer is a schema string (the Python constructor's signature) and a
 * shape function whose parameters follow the schema, in order, with the C
 * types listed in probe_plugin.h. probe binds the config's arguments and
 * calls the function through libffi, exactly as it calls its own layers.
 */
#include <probe_plugin.h>
#include <string.h>

const int probe_plugin_abi = PROBE_PLUGIN_ABI;

/* Output size of a 'same'-padded (k // 2) convolution, as YOLOv5's autopad. */
static int64_t conv_out(probe_ctx *cx, int64_t in, int64_t k, int64_t s)
{
    int64_t pad = k / 2;
    return probe_add(cx, probe_floordiv(probe_sub(cx, probe_add(cx, in, 2 * pad), k), s), 1);
}

/*
 * ConvBNAct(in_channels, out_channels, kernel_size=3, stride=1): Conv2d
 * with padding k // 2 and no bias, BatchNorm2d, SiLU. The channel check is
 * Conv2d's, so a wrong in_channels is a mismatch probe repairs and reports
 * like a built-in one.
 */
static int conv_bn_act(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                       int64_t kernel_size, int64_t stride)
{
    if (!x) {
        if (in_channels < 0 || out_channels <= 0 || kernel_size <= 0 || stride <= 0)
            return probe_raise(cx, PROBE_INVALID, kernel_size <= 0 ? "kernel_size" : stride <= 0 ? "stride" : "out_channels",
                               "ConvBNAct needs positive sizes");
        return 0;
    }
    if (x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "ConvBNAct expects a 4D input, got %s",
                           probe_shape_str(cx, x->dim, x->ndim));
    if (x->dim[1] != in_channels) {
        int64_t w[4] = { out_channels, in_channels, kernel_size, kernel_size };
        const char *ws = probe_shape_str(cx, w, 4);
        return probe_mismatch(cx, "in_channels", x->dim[1],
                              "Given groups=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                              ws, probe_shape_str(cx, x->dim, 4), (long long)in_channels, (long long)x->dim[1]);
    }
    int64_t h = conv_out(cx, x->dim[2], kernel_size, stride);
    int64_t w = conv_out(cx, x->dim[3], kernel_size, stride);
    if (h < 1 || w < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Calculated padded input size per channel: (%lld x %lld). Kernel size: (%lld x %lld). Kernel size can't be greater than actual input size",
                           (long long)(x->dim[2] + 2 * (kernel_size / 2)), (long long)(x->dim[3] + 2 * (kernel_size / 2)),
                           (long long)kernel_size, (long long)kernel_size);
    probe_explain(cx, "H_out = floor((%lld + 2*%lld - %lld)/%lld) + 1 = %lld", (long long)x->dim[2],
                  (long long)(kernel_size / 2), (long long)kernel_size, (long long)stride, (long long)h);
    /* conv weight (no bias) + BatchNorm weight and bias */
    probe_set_params(cx, probe_add(cx, probe_mul(cx, probe_mul(cx, out_channels, in_channels),
                                                 probe_mul(cx, kernel_size, kernel_size)),
                                   probe_mul(cx, 2, out_channels)));
    x->dim[1] = out_channels;
    x->dim[2] = h;
    x->dim[3] = w;
    return 0;
}

/* SpaceToDepth(block_size): [N, C, H, W] -> [N, C*b*b, H/b, W/b]. */
static int space_to_depth(probe_ctx *cx, probe_tensor *x, int64_t block_size)
{
    if (!x) {
        if (block_size <= 0)
            return probe_raise(cx, PROBE_INVALID, "block_size", "block_size must be positive, got %lld", (long long)block_size);
        return 0;
    }
    if (x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "SpaceToDepth expects a 4D input, got %s", probe_shape_str(cx, x->dim, x->ndim));
    for (int d = 2; d < 4; d++)
        if (x->dim[d] % block_size != 0)
            return probe_raise(cx, PROBE_ERROR, "block_size",
                               "shape '[%lld, %lld, %lld, %lld, %lld, %lld]' is invalid for input of size %lld",
                               (long long)x->dim[0], (long long)x->dim[1], (long long)(x->dim[2] / block_size),
                               (long long)block_size, (long long)(x->dim[3] / block_size), (long long)block_size,
                               (long long)probe_mul(cx, probe_mul(cx, x->dim[0], x->dim[1]), probe_mul(cx, x->dim[2], x->dim[3])));
    x->dim[1] = probe_mul(cx, x->dim[1], probe_mul(cx, block_size, block_size));
    x->dim[2] /= block_size;
    x->dim[3] /= block_size;
    return 0;
}

/*
 * Focus(in_channels, out_channels, k=1): YOLOv5's stem. It concatenates the
 * four pixel phases x[..., ::2, ::2], x[..., 1::2, ::2], ... (4*C
 * channels, half the size) and applies ConvBNAct(4*C, out, k). An odd
 * height or width makes the phases differ in size and torch.cat fails.
 */
static int focus(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels, int64_t k)
{
    if (!x) return conv_bn_act(cx, NULL, in_channels, out_channels, k, 1);
    if (x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "Focus expects a 4D input, got %s", probe_shape_str(cx, x->dim, x->ndim));
    if (x->dim[2] % 2 || x->dim[3] % 2) {
        bool h_odd = x->dim[2] % 2;
        int64_t big = (x->dim[h_odd ? 2 : 3] + 1) / 2, small = x->dim[h_odd ? 2 : 3] / 2;
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Sizes of tensors must match except in dimension 1. Expected size %lld but got size %lld for tensor number 1 in the list.",
                           (long long)big, (long long)small);
    }
    if (x->dim[1] != in_channels)
        return probe_mismatch(cx, "in_channels", x->dim[1],
                              "Focus(): expected input with %lld channels, but got %lld channels", (long long)in_channels,
                              (long long)x->dim[1]);
    probe_tensor y = *x;
    y.dim[1] = probe_mul(cx, x->dim[1], 4);
    y.dim[2] /= 2;
    y.dim[3] /= 2;
    if (conv_bn_act(cx, &y, y.dim[1], out_channels, k, 1)) return 1;
    *x = y;
    return 0;
}

int probe_plugin_init(probe_registry *reg)
{
    if (probe_register(reg, "ConvBNAct(in_channels: i64 in, out_channels: i64, kernel_size: i64 = 3, stride: i64 = 1)",
                       (probe_shape_fn)conv_bn_act))
        return 1;
    if (probe_register(reg, "SpaceToDepth(block_size: i64)", (probe_shape_fn)space_to_depth)) return 1;
    if (probe_register(reg, "Focus(in_channels: i64 in, out_channels: i64, k: i64 = 1)", (probe_shape_fn)focus)) return 1;
    return 0;
}
