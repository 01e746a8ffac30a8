/* test_ops_rank.c - the proof that the convolution and pooling shape
 * functions are generic over the spatial rank: called with rank-1 and
 * rank-3 sizes on [N, C, L] and [N, C, D, H, W] tensors (what Conv1d,
 * Conv3d, MaxPool1d, ... bind),
 * they give PyTorch's shapes and messages; the adaptive and fractional
 * pools, whose rank is passed, likewise. Every expectation comes from
 * a PyTorch 1.13 run of the expression in the comment above it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops/ops.h"

#include "ops_check.h"

/* ---- calls ----------------------------------------------------------------- */

/* A bare int of a rank-n size: n copies, as _single/_triple make. */
static probe_ints fill(int rank, int64_t v)
{
    probe_ints r = { .n = rank };
    for (int i = 0; i < rank; i++) r.v[i] = v;
    return r;
}

/* None, for a stride or an output_size */
static const probe_ints NO_STRIDE = { .n = -1 };

static int conv(probe_tensor in, int64_t cin, int64_t cout, probe_ints k, probe_ints s, probe_ints p, probe_ints d,
                int64_t groups, const char *mode)
{
    ctx_reset(&cx);
    out = in;
    return ops_conv(&cx, &out, cin, cout, &k, &s, &p, &d, groups, 1, mode);
}

static int convt(probe_tensor in, int64_t cin, int64_t cout, probe_ints k, probe_ints s, probe_ints p, probe_ints op,
                 probe_ints d)
{
    ctx_reset(&cx);
    out = in;
    return ops_conv_transpose(&cx, &out, cin, cout, &k, &s, &p, &op, 1, 1, &d, "zeros");
}

static int maxpool(probe_tensor in, probe_ints k, probe_ints s, probe_ints p, int ceil_mode)
{
    ctx_reset(&cx);
    out = in;
    probe_ints d = fill(k.n, 1);
    return max_pool2d(&cx, &out, &k, &s, &p, &d, 0, ceil_mode);
}

/* ---- convolutions ------------------------------------------------------------ */

static void conv1d_shapes(void **state)
{
    (void)state;
    /* torch: nn.Conv1d(1, 16, 5)(torch.rand(1, 1, 187)) */
    OK_SHAPE(conv(SHAPE(1, 1, 187), 1, 16, fill(1, 5), fill(1, 1), fill(1, 0), fill(1, 1), 1, "zeros"), 1, 16, 183);
    /* sum(p.numel() for p in nn.Conv1d(1, 16, 5).parameters()) == 96 */
    assert_int_equal(cx.params, 96);
    /* torch: nn.Conv1d(3, 6, 3, dilation=2)(torch.rand(3, 20)): unbatched */
    OK_SHAPE(conv(SHAPE(3, 20), 3, 6, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 2), 1, "zeros"), 6, 16);
    /* torch: nn.Conv1d(4, 8, 4, padding='same')(torch.rand(2, 4, 10)): the odd one at the end */
    OK_SHAPE(conv(SHAPE(2, 4, 10), 4, 8, fill(1, 4), fill(1, 1), fill(1, PROBE_SAME), fill(1, 1), 1, "zeros"), 2, 8, 10);
    /* torch: nn.Conv1d(1, 1, 5, padding=2, padding_mode='reflect')(torch.rand(1, 1, 10)) */
    OK_SHAPE(conv(SHAPE(1, 1, 10), 1, 1, fill(1, 5), fill(1, 1), fill(1, 2), fill(1, 1), 1, "reflect"), 1, 1, 10);
    /* torch: nn.Conv1d(4, 8, 3, stride=2, groups=2)(torch.rand(1, 4, 9)); 8*2*3 + 8 parameters */
    OK_SHAPE(conv(SHAPE(1, 4, 9), 4, 8, fill(1, 3), fill(1, 2), fill(1, 0), fill(1, 1), 2, "zeros"), 1, 8, 4);
    assert_int_equal(cx.params, 56);
    /* torch: nn.Conv1d(1, 1, 3)(torch.rand(1, 1, 5, 5)) */
    RAISES(conv(SHAPE(1, 1, 5, 5), 1, 1, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 1), 1, "zeros"), PROBE_ERROR, NULL,
           "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 1, 5, 5]");
}

static void conv3d_shapes(void **state)
{
    (void)state;
    /* torch: nn.Conv3d(3, 8, 3, padding=1)(torch.rand(1, 3, 16, 112, 112)) */
    OK_SHAPE(conv(SHAPE(1, 3, 16, 112, 112), 3, 8, fill(3, 3), fill(3, 1), fill(3, 1), fill(3, 1), 1, "zeros"),
             1, 8, 16, 112, 112);
    /* sum(p.numel() for p in nn.Conv3d(3, 8, 3).parameters()) == 8*3*27 + 8 */
    assert_int_equal(cx.params, 656);
    /* torch: nn.Conv3d(2, 4, (3, 5, 1), stride=(1, 2, 3), padding=(1, 2, 0))(torch.rand(1, 2, 8, 9, 10)) */
    OK_SHAPE(conv(SHAPE(1, 2, 8, 9, 10), 2, 4, INTS(3, 5, 1), INTS(1, 2, 3), INTS(1, 2, 0), fill(3, 1), 1, "zeros"),
             1, 4, 8, 5, 4);
    assert_int_equal(cx.params, 4 * 2 * 15 + 4);
    /* not yet: a rank-3 padding_mode, whose F.pad needs ops_pad's 3-d kernels */
    /* torch: nn.Conv3d(2, 4, 2, padding='same')(torch.rand(2, 5, 6, 7)): unbatched */
    OK_SHAPE(conv(SHAPE(2, 5, 6, 7), 2, 4, fill(3, 2), fill(3, 1), fill(3, PROBE_SAME), fill(3, 1), 1, "zeros"), 4, 5, 6, 7);
    /* torch: nn.Conv3d(1, 1, 3)(torch.rand(1, 1, 2, 5, 5)) */
    RAISES(conv(SHAPE(1, 1, 2, 5, 5), 1, 1, fill(3, 3), fill(3, 1), fill(3, 0), fill(3, 1), 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (2 x 5 x 5). Kernel size: (3 x 3 x 3). Kernel size can't be greater than actual input size");
    /* torch: nn.Conv3d(3, 8, 3)(torch.rand(1, 4, 5, 5, 5)) */
    MISMATCH(conv(SHAPE(1, 4, 5, 5, 5), 3, 8, fill(3, 3), fill(3, 1), fill(3, 0), fill(3, 1), 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [8, 3, 3, 3, 3], expected input[1, 4, 5, 5, 5] to have 3 channels, but got 4 channels instead");
}

static void conv_transpose_shapes(void **state)
{
    (void)state;
    /* torch: nn.ConvTranspose1d(4, 2, 3, stride=2, output_padding=1)(torch.rand(1, 4, 7)) */
    OK_SHAPE(convt(SHAPE(1, 4, 7), 4, 2, fill(1, 3), fill(1, 2), fill(1, 0), fill(1, 1), fill(1, 1)), 1, 2, 16);
    /* sum(p.numel() ...) == 4*2*3 + 2 */
    assert_int_equal(cx.params, 26);
    /* torch: nn.ConvTranspose3d(2, 2, 2, stride=2)(torch.rand(1, 2, 4, 5, 6)) */
    OK_SHAPE(convt(SHAPE(1, 2, 4, 5, 6), 2, 2, fill(3, 2), fill(3, 2), fill(3, 0), fill(3, 0), fill(3, 1)), 1, 2, 8, 10, 12);
    /* torch: nn.ConvTranspose3d(2, 2, 3, padding=3)(torch.rand(1, 2, 2, 9, 9)) */
    RAISES(convt(SHAPE(1, 2, 2, 9, 9), 2, 2, fill(3, 3), fill(3, 1), fill(3, 3), fill(3, 0), fill(3, 1)), PROBE_TOO_SMALL, NULL,
           "Given input size per channel: (2 x 9 x 9). Calculated output size per channel: (-2 x 5 x 5). Output size is too small");
}

/* ---- pooling ----------------------------------------------------------------- */

static void max_pool_shapes(void **state)
{
    (void)state;
    /* torch: nn.MaxPool1d(3, ceil_mode=True)(torch.rand(1, 16, 187)) */
    OK_SHAPE(maxpool(SHAPE(1, 16, 187), fill(1, 3), NO_STRIDE, fill(1, 0), 1), 1, 16, 63);
    /* torch: nn.MaxPool1d(3)(torch.rand(1, 16, 187)) */
    OK_SHAPE(maxpool(SHAPE(1, 16, 187), fill(1, 3), NO_STRIDE, fill(1, 0), 0), 1, 16, 62);
    /* torch: nn.MaxPool1d(2, stride=1, padding=1)(torch.rand(4, 9)): unbatched */
    OK_SHAPE(maxpool(SHAPE(4, 9), fill(1, 2), fill(1, 1), fill(1, 1), 0), 4, 10);
    /* torch: nn.MaxPool3d(2)(torch.rand(1, 8, 16, 112, 112)) */
    OK_SHAPE(maxpool(SHAPE(1, 8, 16, 112, 112), fill(3, 2), NO_STRIDE, fill(3, 0), 0), 1, 8, 8, 56, 56);
    /* torch: nn.MaxPool3d((1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1))(torch.rand(1, 64, 16, 56, 56)) */
    OK_SHAPE(maxpool(SHAPE(1, 64, 16, 56, 56), INTS(1, 3, 3), INTS(1, 2, 2), INTS(0, 1, 1), 0), 1, 64, 16, 28, 28);
    /* torch: nn.MaxPool3d(3)(torch.rand(1, 2, 2, 9, 9)) */
    RAISES(maxpool(SHAPE(1, 2, 2, 9, 9), fill(3, 3), NO_STRIDE, fill(3, 0), 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (2x2x9x9). Calculated output size: (2x0x3x3). Output size is too small");
}

static int adaptive(probe_tensor in, probe_ints size, int rank, bool max)
{
    ctx_reset(&cx);
    out = in;
    return ops_adaptive_pool(&cx, &out, &size, rank, max);
}

static int fractional(probe_tensor in, probe_ints k, probe_ints size, double ratio)
{
    ctx_reset(&cx);
    out = in;
    double r[PROBE_MAX_DIMS];
    for (int i = 0; i < PROBE_MAX_DIMS; i++) r[i] = ratio;
    return ops_fractional_max_pool(&cx, &out, &k, &size, r);
}

static void adaptive_and_fractional_shapes(void **state)
{
    (void)state;
    /* torch: nn.AdaptiveMaxPool1d(5)(torch.rand(1, 16, 187)) */
    OK_SHAPE(adaptive(SHAPE(1, 16, 187), INTS(5), 1, true), 1, 16, 5);
    /* torch: nn.AdaptiveAvgPool3d((2, None, 4))(torch.rand(1, 3, 8, 9, 10)) */
    OK_SHAPE(adaptive(SHAPE(1, 3, 8, 9, 10), INTS(2, PROBE_NONE, 4), 3, false), 1, 3, 2, 9, 4);
    /* torch: nn.AdaptiveAvgPool3d(1)(torch.rand(2, 4, 5, 6, 7)): a mean over the last three */
    OK_SHAPE(adaptive(SHAPE(2, 4, 5, 6, 7), INTS(1), 3, false), 2, 4, 1, 1, 1);
    /* torch: nn.AdaptiveMaxPool3d(3)(torch.rand(3, 4, 5, 6)): unbatched */
    OK_SHAPE(adaptive(SHAPE(3, 4, 5, 6), INTS(3), 3, true), 3, 3, 3, 3);
    /* torch: nn.FractionalMaxPool3d(2, output_size=(3, 4, 5))(torch.rand(1, 2, 8, 9, 10)) */
    OK_SHAPE(fractional(SHAPE(1, 2, 8, 9, 10), fill(3, 2), INTS(3, 4, 5), NAN), 1, 2, 3, 4, 5);
    /* torch: nn.FractionalMaxPool3d(2, output_ratio=0.5)(torch.rand(1, 2, 8, 9, 10)) */
    OK_SHAPE(fractional(SHAPE(1, 2, 8, 9, 10), fill(3, 2), NO_STRIDE, 0.5), 1, 2, 4, 4, 5);
}

/* ---- 1.13's own texts per rank ---------------------------------------------- */

static int conv_build(int64_t cin, int64_t cout, probe_ints k, probe_ints d)
{
    ctx_reset(&cx);
    probe_ints s = fill(k.n, 1), p = fill(k.n, 0);
    return conv2d(&cx, NULL, cin, cout, &k, &s, &p, &d, 1, 1, "zeros");
}

static int convt_build(int64_t cin, int64_t cout, probe_ints k, probe_ints s, probe_ints op, probe_ints d)
{
    ctx_reset(&cx);
    probe_ints p = fill(k.n, 0);
    return conv_transpose2d(&cx, NULL, cin, cout, &k, &s, &p, &op, 1, 1, &d, "zeros");
}

static void conv_messages_per_rank(void **state)
{
    (void)state;
    /* 1-D convolutions run as 2-D ones over [N, C, 1, L]: some texts show that height of 1 */
    /* torch: nn.Conv1d(2, 4, 0)(torch.rand(1, 2, 5)) */
    INVALID(conv_build(2, 4, fill(1, 0), fill(1, 1)), "kernel_size",
            "kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0");
    /* torch: nn.Conv1d(2, 4, 0, dilation=0)(torch.rand(1, 2, 5)) */
    INVALID(conv_build(2, 4, fill(1, 0), fill(1, 0)), "kernel_size", "kernel size should be greater than zero, but got [1, 0]");
    /* torch: nn.Conv1d(2, 4, 3, dilation=0)(torch.rand(1, 2, 5)) */
    INVALID(conv_build(2, 4, fill(1, 3), fill(1, 0)), "dilation", "dilation should be greater than zero, but got [1, 0]");
    /* torch: nn.Conv3d(2, 4, (1, 0, 1))(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(conv_build(2, 4, INTS(1, 0, 1), fill(3, 1)), "kernel_size",
            "kernel size should be greater than zero, but got: 1 x 0 x 1 (TxHxW)");
    /* torch: nn.Conv3d(2, 4, (1, 0, 1), dilation=0)(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(conv_build(2, 4, INTS(1, 0, 1), fill(3, 0)), "kernel_size", "kernel size should be greater than zero, but got [1, 0, 1]");
    /* torch: nn.Conv3d(2, 4, 3, dilation=0)(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(conv_build(2, 4, fill(3, 3), fill(3, 0)), "dilation", "dilation should be greater than zero, but got [0, 0, 0]");
    /* torch: nn.Conv1d(2, 4, 3, padding=2)(torch.rand(1, 2, 0)) */
    RAISES(conv(SHAPE(1, 2, 0), 2, 4, fill(1, 3), fill(1, 1), fill(1, 2), fill(1, 1), 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Only zero batch or zero channel inputs are supported, but got input shape: [1, 2, 1, 0]");
    /* torch: nn.Conv1d(2, 4, 3)(torch.rand(1, 2, 2)) */
    RAISES(conv(SHAPE(1, 2, 2), 2, 4, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 1), 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (2). Kernel size: (3). Kernel size can't be greater than actual input size");
    /* torch: nn.Conv1d(2, 4, 3)(torch.rand(0, 2, 5)) */
    OK_SHAPE(conv(SHAPE(0, 2, 5), 2, 4, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 1), 1, "zeros"), 0, 4, 3);
    /* torch: nn.Conv3d(2, 4, 3)(torch.rand(1, 2, 4, 5)): a 4-D input is one unbatched sample */
    MISMATCH(conv(SHAPE(1, 2, 4, 5), 2, 4, fill(3, 3), fill(3, 1), fill(3, 0), fill(3, 1), 1, "zeros"), "in_channels", 1,
             "Given groups=1, weight of size [4, 2, 3, 3, 3], expected input[1, 1, 2, 4, 5] to have 2 channels, but got 1 channels instead");
    /* torch: nn.Conv3d(2, 4, 3)(torch.rand(2, 4, 5)) */
    RAISES(conv(SHAPE(2, 4, 5), 2, 4, fill(3, 3), fill(3, 1), fill(3, 0), fill(3, 1), 1, "zeros"), PROBE_ERROR, NULL,
           "Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: [2, 4, 5]");
    /* torch: nn.Conv3d(2, 4, 3, padding=1, padding_mode='reflect')(torch.rand(1, 2, 4, 5, 6)) */
    OK_SHAPE(conv(SHAPE(1, 2, 4, 5, 6), 2, 4, fill(3, 3), fill(3, 1), fill(3, 1), fill(3, 1), 1, "reflect"), 1, 4, 4, 5, 6);
    /* torch: nn.Conv3d(2, 4, 3, padding=1, padding_mode='replicate')(torch.rand(2, 4, 5, 6)) */
    OK_SHAPE(conv(SHAPE(2, 4, 5, 6), 2, 4, fill(3, 3), fill(3, 1), fill(3, 1), fill(3, 1), 1, "replicate"), 4, 4, 5, 6);
    /* torch: nn.Conv3d(2, 4, 3, padding=4, padding_mode='reflect')(torch.rand(1, 2, 4, 5, 6)) */
    RAISES(conv(SHAPE(1, 2, 4, 5, 6), 2, 4, fill(3, 3), fill(3, 1), fill(3, 4), fill(3, 1), 1, "reflect"), PROBE_TOO_SMALL,
           "padding",
           "Argument #8: Padding size should be less than the corresponding input dimension, but got: padding (4, 4) at dimension 2 of input [1, 2, 4, 5, 6]");
    /* torch: nn.Conv1d(2, 4, 3, padding=4, padding_mode='reflect')(torch.rand(1, 2, 4)) */
    RAISES(conv(SHAPE(1, 2, 4), 2, 4, fill(1, 3), fill(1, 1), fill(1, 4), fill(1, 1), 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (4, 4) at dimension 2 of input [1, 2, 4]");
}

static void conv_transpose_messages_per_rank(void **state)
{
    (void)state;
    /* torch: nn.ConvTranspose1d(2, 4, 3, padding=5)(torch.rand(1, 2, 4)) */
    RAISES(convt(SHAPE(1, 2, 4), 2, 4, fill(1, 3), fill(1, 1), fill(1, 5), fill(1, 0), fill(1, 1)), PROBE_TOO_SMALL, NULL,
           "Given input size per channel: (1 x 4). Calculated output size per channel: (1 x -4). Output size is too small");
    /* torch: nn.ConvTranspose1d(2, 4, 3)(torch.rand(1, 2, 0)) */
    RAISES(convt(SHAPE(1, 2, 0), 2, 4, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 0), fill(1, 1)), PROBE_TOO_SMALL, NULL,
           "Only zero batch or zero channel inputs are supported, but got input shape: [1, 2, 1, 0]");
    /* torch: nn.ConvTranspose1d(2, 4, 3)(torch.rand(1, 2, 4, 4)) */
    RAISES(convt(SHAPE(1, 2, 4, 4), 2, 4, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 0), fill(1, 1)), PROBE_ERROR, NULL,
           "Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: [1, 2, 4, 4]");
    /* torch: nn.ConvTranspose3d(2, 4, 3, output_padding=1, stride=2)(torch.rand(1, 2, 5, 5, 5)) */
    OK_SHAPE(convt(SHAPE(1, 2, 5, 5, 5), 2, 4, fill(3, 3), fill(3, 2), fill(3, 0), fill(3, 1), fill(3, 1)), 1, 4, 12, 12, 12);
    /* sum(p.numel() for p in nn.ConvTranspose3d(2, 4, 3).parameters()) == 2*4*27 + 4 */
    assert_int_equal(cx.params, 220);
    /* torch: nn.ConvTranspose1d(2, 4, 3, output_padding=3)(torch.rand(1, 2, 5)) */
    INVALID(convt_build(2, 4, fill(1, 3), fill(1, 1), fill(1, 3), fill(1, 1)), "output_padding",
            "output padding must be smaller than either stride or dilation, but got output_padding_height: 0 output_padding_width: 3 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1");
    /* torch: nn.ConvTranspose3d(2, 4, 3, output_padding=(0, 3, 0), stride=2)(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(convt_build(2, 4, fill(3, 3), fill(3, 2), INTS(0, 3, 0), fill(3, 1)), "output_padding",
            "output padding must be smaller than either stride or dilation, but got output_padding_depth: 0 output_padding_height: 3 output_padding_width: 0 stride_depth: 2 stride_height: 2 stride_width: 2 dilation_depth: 1 dilation_height: 1 dilation_width: 1");
    /* torch: nn.ConvTranspose1d(2, 0, 3)(torch.rand(1, 2, 5)) */
    INVALID(convt_build(2, 0, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 1)), "out_channels",
            "non-empty 2D or 4D weight tensor expected, but got: [2, 0, 1, 3]");
    /* torch: nn.ConvTranspose3d(2, 0, 3)(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(convt_build(2, 0, fill(3, 3), fill(3, 1), fill(3, 0), fill(3, 1)), "out_channels",
            "non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for weight, but got: [2, 0, 3, 3, 3]");
    /* torch: nn.ConvTranspose3d(2, 4, (1, 0, 1))(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(convt_build(2, 4, INTS(1, 0, 1), fill(3, 1), fill(3, 0), fill(3, 1)), "kernel_size",
            "non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for weight, but got: [2, 4, 1, 0, 1]");
    /* torch: nn.ConvTranspose1d(2, 4, 0)(torch.rand(1, 2, 5)) */
    INVALID(convt_build(2, 4, fill(1, 0), fill(1, 1), fill(1, 0), fill(1, 1)), "kernel_size",
            "kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0");
    /* torch: nn.ConvTranspose1d(2, 4, 3, dilation=0)(torch.rand(1, 2, 5)) */
    INVALID(convt_build(2, 4, fill(1, 3), fill(1, 1), fill(1, 0), fill(1, 0)), "dilation",
            "dilation should be greater than zero, but got dilation_height: 1, dilation_width: 0");
    /* torch: nn.ConvTranspose3d(2, 4, (1, 0, 1), dilation=0)(torch.rand(1, 2, 5, 5, 5)) */
    INVALID(convt_build(2, 4, INTS(1, 0, 1), fill(3, 1), fill(3, 0), fill(3, 0)), "dilation",
            "dilation should be greater than zero, but got dilation_depth: 0, dilation_height: 0, dilation_width: 0");
}

static int avgpool(probe_tensor in, probe_ints k, probe_ints s, probe_ints p, int ceil_mode)
{
    ctx_reset(&cx);
    out = in;
    return avg_pool2d(&cx, &out, &k, &s, &p, ceil_mode, 1, PROBE_NONE);
}

static int maxpool_build(probe_ints k, probe_ints s, probe_ints d)
{
    ctx_reset(&cx);
    probe_ints p = fill(k.n, 0);
    return max_pool2d(&cx, NULL, &k, &s, &p, &d, 0, 0);
}

/* The pools' texts with grad on, as the net trains (the corpus'
 * convention): torch.rand(...).requires_grad_() in each expression. */
static void max_pool_messages_per_rank(void **state)
{
    (void)state;
    /* 1-D pools run as 2-D ones over x.unsqueeze(-2) */
    /* torch: nn.MaxPool1d(2)(torch.rand(1, 64, 1)) */
    RAISES(maxpool(SHAPE(1, 64, 1), fill(1, 2), NO_STRIDE, fill(1, 0), 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (64x1x1). Calculated output size: (64x1x0). Output size is too small");
    /* torch: nn.MaxPool1d(2)(torch.rand(1, 3, 32, 32)) */
    RAISES(maxpool(SHAPE(1, 3, 32, 32), fill(1, 2), NO_STRIDE, fill(1, 0), 0), PROBE_ERROR, NULL,
           "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 3, 32, 32]");
    /* torch: nn.MaxPool1d(2)(torch.rand(1, 3, 0)) */
    RAISES(maxpool(SHAPE(1, 3, 0), fill(1, 2), NO_STRIDE, fill(1, 0), 0), PROBE_TOO_SMALL, NULL,
           "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 3, 0]");
    /* torch: nn.MaxPool1d(2)(torch.rand(0, 3, 5)) */
    OK_SHAPE(maxpool(SHAPE(0, 3, 5), fill(1, 2), NO_STRIDE, fill(1, 0), 0), 0, 3, 2);
    /* torch: nn.MaxPool1d(3, ceil_mode=True)(torch.rand(1, 3, 10)) */
    OK_SHAPE(maxpool(SHAPE(1, 3, 10), fill(1, 3), NO_STRIDE, fill(1, 0), 1), 1, 3, 4);
    /* torch: nn.MaxPool1d(3, dilation=0)(torch.rand(1, 3, 5)) */
    INVALID(maxpool_build(fill(1, 3), NO_STRIDE, fill(1, 0)), "dilation",
            "dilation should be greater than zero, but got dilationH: 1 dilationW: 0");
    /* torch: nn.MaxPool1d(0)(torch.rand(1, 3, 5)): the stride defaults to the kernel */
    INVALID(maxpool_build(fill(1, 0), NO_STRIDE, fill(1, 1)), "kernel_size", "stride should not be zero");
    /* torch: nn.MaxPool3d(2)(torch.rand(1, 3, 32, 32)): one unbatched sample */
    OK_SHAPE(maxpool(SHAPE(1, 3, 32, 32), fill(3, 2), NO_STRIDE, fill(3, 0), 0), 1, 1, 16, 16);
    /* torch: nn.MaxPool3d(2)(torch.rand(3, 32, 32)) */
    RAISES(maxpool(SHAPE(3, 32, 32), fill(3, 2), NO_STRIDE, fill(3, 0), 0), PROBE_ERROR, NULL,
           "non-empty 4D or 5D (batch mode) tensor expected for input");
    /* torch: nn.MaxPool3d(3)(torch.rand(1, 3, 0, 4, 4)) */
    RAISES(maxpool(SHAPE(1, 3, 0, 4, 4), fill(3, 3), NO_STRIDE, fill(3, 0), 0), PROBE_TOO_SMALL, NULL,
           "max_pool3d_with_indices_out_cpu_template(): Expected input's non-batch dimensions to have positive length, but input has a shape of [1, 3, 0, 4, 4] and non-batch dimension 0 has length zero!");
    /* torch: nn.MaxPool3d(3)(torch.rand(1, 0, 4, 4, 4)) */
    RAISES(maxpool(SHAPE(1, 0, 4, 4, 4), fill(3, 3), NO_STRIDE, fill(3, 0), 0), PROBE_ERROR, NULL,
           "max_pool3d_with_indices_out_cpu_template(): Expected input's non-batch dimensions to have positive length, but input has a shape of [1, 0, 4, 4, 4] and non-batch dimension 0 has length zero!");
    /* torch: nn.MaxPool3d((1, 0, 3), stride=1)(torch.rand(1, 3, 4, 4, 4)) */
    INVALID(maxpool_build(INTS(1, 0, 3), fill(3, 1), fill(3, 1)), "kernel_size",
            "kernel size should be greater than zero, but got kT: 1 kH: 0 kW: 3");
    /* torch: nn.MaxPool3d((1, 2, 3), dilation=(1, 0, 1))(torch.rand(1, 3, 4, 4, 4)) */
    INVALID(maxpool_build(INTS(1, 2, 3), NO_STRIDE, INTS(1, 0, 1)), "dilation",
            "dilation should be greater than zero, but got dilationT: 1 dilationH: 0 dilationW: 1");
}

static void avg_pool_messages_per_rank(void **state)
{
    (void)state;
    /* torch: nn.AvgPool1d(2)(torch.rand(1, 3, 32, 32)) */
    RAISES(avgpool(SHAPE(1, 3, 32, 32), fill(1, 2), NO_STRIDE, fill(1, 0), 0), PROBE_ERROR, NULL,
           "Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
    /* torch: nn.AvgPool1d(3)(torch.rand(64, 2)) */
    RAISES(avgpool(SHAPE(64, 2), fill(1, 3), NO_STRIDE, fill(1, 0), 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (64x1x2). Calculated output size: (64x1x0). Output size is too small");
    /* torch: nn.AvgPool1d(2)(torch.rand(1, 3, 0)) */
    RAISES(avgpool(SHAPE(1, 3, 0), fill(1, 2), NO_STRIDE, fill(1, 0), 0), PROBE_TOO_SMALL, NULL,
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 3, 1, 0]");
    /* torch: nn.AvgPool1d(3, ceil_mode=True)(torch.rand(1, 3, 10)) */
    OK_SHAPE(avgpool(SHAPE(1, 3, 10), fill(1, 3), NO_STRIDE, fill(1, 0), 1), 1, 3, 4);
    ctx_reset(&cx);
    probe_ints k0 = fill(1, 0), s1 = fill(1, 1), p0 = fill(1, 0);
    /* torch: nn.AvgPool1d(0, stride=1)(torch.rand(1, 3, 3)) */
    INVALID(avg_pool1d(&cx, NULL, &k0, &s1, &p0, 0, 1), "kernel_size", "kernel size should be greater than zero, but got kH: 1 kW: 0");
    /* torch: nn.AvgPool3d(3)(torch.rand(1, 3, 2, 4, 4)) */
    RAISES(avgpool(SHAPE(1, 3, 2, 4, 4), fill(3, 3), NO_STRIDE, fill(3, 0), 0), PROBE_TOO_SMALL, NULL,
           "input image (T: 2 H: 4 W: 4) smaller than kernel size (kT: 3 kH: 3 kW: 3)");
    /* torch: nn.AvgPool3d(2, padding=1)(torch.rand(1, 3, 1, 1, 1)): the unpadded input is checked */
    RAISES(avgpool(SHAPE(1, 3, 1, 1, 1), fill(3, 2), NO_STRIDE, fill(3, 1), 0), PROBE_TOO_SMALL, NULL,
           "input image (T: 1 H: 1 W: 1) smaller than kernel size (kT: 2 kH: 2 kW: 2)");
    /* torch: nn.AvgPool3d(2)(torch.rand(32, 32)) */
    RAISES(avgpool(SHAPE(32, 32), fill(3, 2), NO_STRIDE, fill(3, 0), 0), PROBE_ERROR, NULL,
           "non-empty 4D or 5D (batch mode) tensor expected for input");
    /* torch: nn.AvgPool3d(3)(torch.rand(3, 4, 4, 0)) */
    RAISES(avgpool(SHAPE(3, 4, 4, 0), fill(3, 3), NO_STRIDE, fill(3, 0), 0), PROBE_TOO_SMALL, NULL,
           "avg_pool3d(): Expected input's non-batch dimensions to have positive length, but input has a shape of [3, 4, 4, 0] and non-batch dimension 0 has length zero!");
    /* torch: nn.AvgPool3d(3, padding=1, ceil_mode=True)(torch.rand(1, 3, 4, 4, 4)) */
    OK_SHAPE(avgpool(SHAPE(1, 3, 4, 4, 4), fill(3, 3), NO_STRIDE, fill(3, 1), 1), 1, 3, 2, 2, 2);
    /* torch: nn.AvgPool3d(2)(torch.rand(1, 3, 32, 32)) */
    OK_SHAPE(avgpool(SHAPE(1, 3, 32, 32), fill(3, 2), NO_STRIDE, fill(3, 0), 0), 1, 1, 16, 16);
}

static int lppool(probe_tensor in, probe_ints k)
{
    ctx_reset(&cx);
    out = in;
    return lp_pool2d(&cx, &out, 2, &k, &NO_STRIDE, 0);
}

static void lp_pool_1d(void **state)
{
    (void)state;
    /* torch: nn.LPPool1d(2, 3)(torch.rand(3, 10)) */
    OK_SHAPE(lppool(SHAPE(3, 10), fill(1, 3)), 3, 3);
    /* torch: nn.LPPool1d(2, 3)(torch.rand(10)) */
    RAISES(lppool(SHAPE(10), fill(1, 3)), PROBE_ERROR, NULL,
           "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
    /* torch: nn.LPPool1d(2, 3)(torch.rand(1, 3, 2)) */
    RAISES(lppool(SHAPE(1, 3, 2), fill(1, 3)), PROBE_TOO_SMALL, NULL,
           "Given input size: (3x1x2). Calculated output size: (3x1x0). Output size is too small");
}

static int adaptive_build(probe_ints size, int rank, bool max)
{
    ctx_reset(&cx);
    return ops_adaptive_pool(&cx, NULL, &size, rank, max);
}

static void adaptive_messages_per_rank(void **state)
{
    (void)state;
    /* torch: nn.AdaptiveAvgPool1d(5)(torch.rand(1, 3, 32, 32)) */
    RAISES(adaptive(SHAPE(1, 3, 32, 32), INTS(5), 1, false), PROBE_ERROR, NULL,
           "Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_avg_pool1d)");
    /* torch: nn.AdaptiveAvgPool1d(5)(torch.rand(1, 3, 0)) */
    RAISES(adaptive(SHAPE(1, 3, 0), INTS(5), 1, false), PROBE_TOO_SMALL, NULL,
           "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 1, 0] with dimension 3 being empty");
    /* torch: nn.AdaptiveAvgPool1d(5)(torch.rand(1, 0, 4)) */
    OK_SHAPE(adaptive(SHAPE(1, 0, 4), INTS(5), 1, false), 1, 0, 5);
    /* torch: nn.AdaptiveMaxPool1d(5)(torch.rand(1, 0, 4)) */
    RAISES(adaptive(SHAPE(1, 0, 4), INTS(5), 1, true), PROBE_ERROR, NULL,
           "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 0, 1, 4] with dimension 1 being empty");
    /* torch: nn.AdaptiveAvgPool1d(1)(torch.rand(3, 7)) */
    OK_SHAPE(adaptive(SHAPE(3, 7), INTS(1), 1, false), 3, 1);
    /* torch: nn.AdaptiveAvgPool1d((5, 6))(torch.rand(1, 3, 8)) */
    INVALID(adaptive_build(INTS(5, 6), 1, false), "output_size", "adaptive_avg_pool1d() argument 'output_size' should contain one int (got 2)");
    /* torch: nn.AdaptiveAvgPool1d(-1)(torch.rand(1, 3, 8)) */
    INVALID(adaptive_build(INTS(-1), 1, false), "output_size",
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {1, -1}");
    /* torch: nn.AdaptiveAvgPool1d(None)(torch.rand(1, 3, 8)) */
    INVALID(adaptive_build(INTS(PROBE_NONE), 1, false), "output_size",
            "adaptive_avg_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not NoneType");
    /* torch: nn.AdaptiveAvgPool3d(-2)(torch.rand(1, 3, 8, 8, 8)) */
    INVALID(adaptive_build(INTS(-2), 3, false), "output_size",
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-2, -2,-2}");
    /* torch: nn.AdaptiveAvgPool3d((2, 3))(torch.rand(1, 3, 8, 8, 8)) */
    INVALID(adaptive_build(INTS(2, 3), 3, false), "output_size", "adaptive_avg_pool3d: output_size must be 3");
    /* torch: nn.AdaptiveMaxPool3d((2, 3))(torch.rand(1, 3, 8, 8, 8)) */
    INVALID(adaptive_build(INTS(2, 3), 3, true), "output_size", "adaptive_max_pool3d(): internal error: output_size.size() must be 3");
    /* torch: nn.AdaptiveAvgPool3d(2)(torch.rand(1, 3, 8, 8)): one unbatched sample */
    OK_SHAPE(adaptive(SHAPE(1, 3, 8, 8), INTS(2), 3, false), 1, 2, 2, 2);
    /* torch: nn.AdaptiveAvgPool3d(2)(torch.rand(3, 8, 8)) */
    RAISES(adaptive(SHAPE(3, 8, 8), INTS(2), 3, false), PROBE_ERROR, NULL,
           "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got [3, 8, 8]");
    /* torch: nn.AdaptiveMaxPool3d(2)(torch.rand(3, 8, 8)) */
    RAISES(adaptive(SHAPE(3, 8, 8), INTS(2), 3, true), PROBE_ERROR, NULL,
           "adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: [3, 8, 8]");
    /* torch: nn.AdaptiveMaxPool3d((2, None, 3))(torch.rand(8, 8, 8)) */
    RAISES(adaptive(SHAPE(8, 8, 8), INTS(2, PROBE_NONE, 3), 3, true), PROBE_ERROR, NULL, "Input dimension should be at least 4");
    /* torch: nn.AdaptiveMaxPool3d(2)(torch.rand(1, 3, 0, 8, 8)) */
    RAISES(adaptive(SHAPE(1, 3, 0, 8, 8), INTS(2), 3, true), PROBE_TOO_SMALL, NULL,
           "adaptive_max_pool3d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 0, 8, 8] with dimension 2 being empty");
}

static int fractional3d(probe_tensor *in, probe_ints size, probe_fpair ratio)
{
    ctx_reset(&cx);
    out = in ? *in : out;
    probe_ints k = fill(3, 2);
    return fractional_max_pool3d(&cx, in ? &out : NULL, &k, &size, ratio, 0);
}

static void fractional_3d_layer(void **state)
{
    (void)state;
    const probe_fpair none = { NAN, NAN };
    probe_tensor x = SHAPE(2, 8, 9, 10);
    /* torch: nn.FractionalMaxPool3d(2, output_ratio=0.5)(torch.rand(2, 8, 9, 10)) */
    OK_SHAPE(fractional3d(&x, NO_STRIDE, (probe_fpair){ 0.5, 0.5 }), 2, 4, 4, 5);
    x = SHAPE(1, 2, 8, 9, 10);
    /* torch: nn.FractionalMaxPool3d(2, output_ratio=0.1)(torch.rand(1, 2, 8, 9, 10)): empty sizes are fine */
    OK_SHAPE(fractional3d(&x, NO_STRIDE, (probe_fpair){ 0.1, 0.1 }), 1, 2, 0, 0, 1);
    x = SHAPE(1, 2, 3, 9, 10);
    /* torch: nn.FractionalMaxPool3d(2, output_size=(3, 4, 5))(torch.rand(1, 2, 3, 9, 10)) */
    RAISES(fractional3d(&x, INTS(3, 4, 5), none), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool3d_out(): pool time 2 too large relative to input time 3");
    x = SHAPE(1, 2, 8, 9, 3);
    /* torch: nn.FractionalMaxPool3d(2, output_size=(3, 4, 5))(torch.rand(1, 2, 8, 9, 3)) */
    RAISES(fractional3d(&x, INTS(3, 4, 5), none), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool3d_out(): pool width 2 too large relative to input width 3");
    x = SHAPE(1, 2, 0, 9, 10);
    /* torch: nn.FractionalMaxPool3d(2, output_size=(3, 4, 5))(torch.rand(1, 2, 0, 9, 10)) */
    RAISES(fractional3d(&x, INTS(3, 4, 5), none), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool3d_out(): Expected input to have non-zero size for non-batch dimensions, but got[1, 2, 0, 9, 10] with dimension 2 being empty.");
    x = SHAPE(1, 1, 2, 8, 9, 10);
    /* torch: nn.FractionalMaxPool3d(2, output_size=(3, 4, 5))(torch.rand(1, 1, 2, 8, 9, 10)) */
    RAISES(fractional3d(&x, INTS(3, 4, 5), none), PROBE_ERROR, NULL,
           "fractional_max_pool3d_out(): Expected 4D or 5D tensor, but got: [1, 1, 2, 8, 9, 10]");
    /* torch: nn.FractionalMaxPool3d(2) */
    INVALID(fractional3d(NULL, NO_STRIDE, none), NULL, "FractionalMaxPool3d requires specifying either an output size, or a pooling ratio");
    /* torch: nn.FractionalMaxPool3d(2, output_ratio=1.5) */
    INVALID(fractional3d(NULL, NO_STRIDE, (probe_fpair){ 1.5, 1.5 }), "output_ratio", "output_ratio must be between 0 and 1 (got 1.5)");
    /* torch: nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0.25))(torch.rand(1, 2, 8, 9, 10)) raises IndexError */
    INVALID(fractional3d(NULL, NO_STRIDE, (probe_fpair){ 0.5, 0.25 }), "output_ratio",
            "FractionalMaxPool3d's output_ratio is a number or a tuple of 3 (PyTorch: IndexError: tuple index out of range)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv1d_shapes),
        cmocka_unit_test(conv3d_shapes),
        cmocka_unit_test(conv_transpose_shapes),
        cmocka_unit_test(max_pool_shapes),
        cmocka_unit_test(adaptive_and_fractional_shapes),
        cmocka_unit_test(conv_messages_per_rank),
        cmocka_unit_test(conv_transpose_messages_per_rank),
        cmocka_unit_test(max_pool_messages_per_rank),
        cmocka_unit_test(avg_pool_messages_per_rank),
        cmocka_unit_test(lp_pool_1d),
        cmocka_unit_test(adaptive_messages_per_rank),
        cmocka_unit_test(fractional_3d_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
