/* test_explain.c - --explain: each layer's formula from PyTorch's docs with
 * the numbers put in, as probe_result_explain prints it after a run with
 * probe_options.explain set. Nets are parsed from strings and run through
 * the public API; every output shape and error below was checked against a
 * PyTorch 1.13 run of the same layers (modules in eval mode), the wording
 * of the explanations is probe's own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "probe.h"

/* The explanation of `text` run as "t.cfg" at its input: line, with or
 * without opt.explain; the caller frees it. */
static char *explain_run(void **state, const char *text, int explain)
{
    probe_net *net = probe_net_parse(*state, "t.cfg", text, strlen(text));
    assert_non_null(net);
    probe_options opt = probe_options_default();
    opt.explain = explain;
    probe_result *res = probe_run(net, &opt);
    assert_non_null(res);
    char *out = probe_result_explain(res);
    assert_non_null(out);
    probe_result_free(res);
    probe_net_free(net);
    return out;
}

/* Compares the whole text, printing both when they differ. */
static void expect_explain(void **state, const char *text, const char *want)
{
    char *got = explain_run(state, text, 1);
    if (strcmp(got, want)) print_error("expected:\n%s\ngot:\n%s\n", want, got);
    assert_string_equal(got, want);
    free(got);
}

/* ---- convolution -------------------------------------------------------------- */

static void conv_with_padding_stride_dilation(void **state)
{
    expect_explain(state,
        "input: 3x32x32\n"
        "nn.Conv2d(3, 16, 3, stride=2, padding=2, dilation=2)\n"
        "nn.Conv2d(16, 8, (5, 3), stride=(1, 2), padding=(0, 1))\n",
        "t.cfg with input [1, 3, 32, 32]:\n"
        "line 2  nn.Conv2d(3, 16, 3, stride=2, padding=2, dilation=2)\n"
        "        [1, 3, 32, 32] -> [1, 16, 16, 16]\n"
        "        in_channels = C_in = 3, C_out = out_channels = 16\n"
        "        H_out = W_out = floor((32 + 2*2 - 2*(3-1) - 1)/2 + 1) = 16\n"
        "line 3  nn.Conv2d(16, 8, (5, 3), stride=(1, 2), padding=(0, 1))\n"
        "        [1, 16, 16, 16] -> [1, 8, 12, 8]\n"
        "        in_channels = C_in = 16, C_out = out_channels = 8\n"
        "        H_out = floor((16 + 2*0 - 1*(5-1) - 1)/1 + 1) = 12\n"
        "        W_out = floor((16 + 2*1 - 1*(3-1) - 1)/2 + 1) = 8\n");
}

/* 'same' with an even kernel pads 3 in all, the extra one at the bottom and
 * right; groups split the channels; padding_mode pads before the convolution. */
static void conv_same_groups_and_padding_mode(void **state)
{
    expect_explain(state,
        "input: 4x10x10\n"
        "nn.Conv2d(4, 8, 4, padding='same')\n"
        "nn.Conv2d(8, 8, 3, padding='same', dilation=2, groups=4)\n"
        "nn.Conv2d(8, 2, 3, padding=1, padding_mode='reflect')\n",
        "t.cfg with input [1, 4, 10, 10]:\n"
        "line 2  nn.Conv2d(4, 8, 4, padding='same')\n"
        "        [1, 4, 10, 10] -> [1, 8, 10, 10]\n"
        "        padding='same': dilation*(kernel_size-1) = 1*(4-1) = 3 per dimension -> 1 top/left + 2 bottom/right (the extra one at the bottom/right)\n"
        "        in_channels = C_in = 4, C_out = out_channels = 8\n"
        "        H_out = W_out = floor((10 + 1 + 2 - 1*(4-1) - 1)/1 + 1) = 10\n"
        "line 3  nn.Conv2d(8, 8, 3, padding='same', dilation=2, groups=4)\n"
        "        [1, 8, 10, 10] -> [1, 8, 10, 10]\n"
        "        padding='same': dilation*(kernel_size-1) = 2*(3-1) = 4 per dimension -> 2 on each side\n"
        "        in_channels = C_in = 8, C_out = out_channels = 8\n"
        "        groups=4: each group maps in_channels/groups = 8/4 = 2 channels to out_channels/groups = 8/4 = 2\n"
        "        H_out = W_out = floor((10 + 2*2 - 2*(3-1) - 1)/1 + 1) = 10\n"
        "line 4  nn.Conv2d(8, 2, 3, padding=1, padding_mode='reflect')\n"
        "        [1, 8, 10, 10] -> [1, 2, 10, 10]\n"
        "        padding_mode='reflect' pads first: H 10 + 1 + 1 = 12, W 10 + 1 + 1 = 12; the convolution then has padding 0\n"
        "        in_channels = C_in = 8, C_out = out_channels = 2\n"
        "        H_out = W_out = floor((12 + 2*0 - 1*(3-1) - 1)/1 + 1) = 10\n");
}

/* 'same' with a different kernel per side: each side is spelled out. */
static void conv_same_per_side(void **state)
{
    expect_explain(state,
        "input: 4x9x7\n"
        "nn.Conv2d(4, 8, (4, 3), padding='same')\n",
        "t.cfg with input [1, 4, 9, 7]:\n"
        "line 2  nn.Conv2d(4, 8, (4, 3), padding='same')\n"
        "        [1, 4, 9, 7] -> [1, 8, 9, 7]\n"
        "        padding='same': H 1*(4-1) = 3 -> 1 top + 2 bottom, W 1*(3-1) = 2 -> 1 left + 1 right (dilation*(kernel_size-1), the extra one at the bottom/right)\n"
        "        in_channels = C_in = 4, C_out = out_channels = 8\n"
        "        H_out = floor((9 + 1 + 2 - 1*(4-1) - 1)/1 + 1) = 9\n"
        "        W_out = floor((7 + 2*1 - 1*(3-1) - 1)/1 + 1) = 7\n");
}

/* Only the height is too small: its line says so, the width's does not. */
static void conv_too_small_names_the_side(void **state)
{
    expect_explain(state,
        "input: 3x4x9\n"
        "nn.Conv2d(3, 8, 5)\n",
        "t.cfg with input [1, 3, 4, 9]:\n"
        "line 2  nn.Conv2d(3, 8, 5)\n"
        "        in_channels = C_in = 3, C_out = out_channels = 8\n"
        "        H_out = floor((4 + 2*0 - 1*(5-1) - 1)/1 + 1) = 0 < 1\n"
        "        too small: the padded height 4 + 2*0 = 4 is less than the kernel's extent 1*(5-1) + 1 = 5\n"
        "        W_out = floor((9 + 2*0 - 1*(5-1) - 1)/1 + 1) = 5\n"
        "        -> Calculated padded input size per channel: (4 x 9). Kernel size: (5 x 5). Kernel size can't be greater than actual input size\n");
}

/* A repaired in_channels is explained with the value the input needs. */
static void conv_repaired_channels(void **state)
{
    expect_explain(state,
        "input: 3x8x8\n"
        "nn.Conv2d(16, 4, 3)\n",
        "t.cfg with input [1, 3, 8, 8]:\n"
        "line 2  nn.Conv2d(16, 4, 3)\n"
        "        [1, 3, 8, 8] -> [1, 4, 6, 6]\n"
        "        in_channels = C_in = 3, C_out = out_channels = 4\n"
        "        H_out = W_out = floor((8 + 2*0 - 1*(3-1) - 1)/1 + 1) = 6\n");
}

static void conv_transposed(void **state)
{
    expect_explain(state,
        "input: 16x4x5\n"
        "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\n"
        "nn.ConvTranspose2d(8, 4, 3, stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2))\n"
        "nn.ConvTranspose2d(4, 4, 3, padding=3)\n",
        "t.cfg with input [1, 16, 4, 5]:\n"
        "line 2  nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\n"
        "        [1, 16, 4, 5] -> [1, 8, 8, 10]\n"
        "        in_channels = C_in = 16, C_out = out_channels = 8\n"
        "        H_out = (4-1)*2 - 2*1 + 1*(4-1) + 0 + 1 = 8\n"
        "        W_out = (5-1)*2 - 2*1 + 1*(4-1) + 0 + 1 = 10\n"
        "line 3  nn.ConvTranspose2d(8, 4, 3, stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2))\n"
        "        [1, 8, 8, 10] -> [1, 4, 16, 14]\n"
        "        in_channels = C_in = 8, C_out = out_channels = 4\n"
        "        H_out = (8-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 16\n"
        "        W_out = (10-1)*1 - 2*0 + 2*(3-1) + 0 + 1 = 14\n"
        "line 4  nn.ConvTranspose2d(4, 4, 3, padding=3)\n"
        "        [1, 4, 16, 14] -> [1, 4, 12, 10]\n"
        "        in_channels = C_in = 4, C_out = out_channels = 4\n"
        "        H_out = (16-1)*1 - 2*3 + 1*(3-1) + 0 + 1 = 12\n"
        "        W_out = (14-1)*1 - 2*3 + 1*(3-1) + 0 + 1 = 10\n");
}

static void conv_transposed_too_small(void **state)
{
    /* torch: Given input size per channel: (2 x 2). Calculated output size per channel: (-2 x -2) */
    expect_explain(state,
        "input: 2x2x2\n"
        "nn.ConvTranspose2d(2, 2, 3, padding=3)\n",
        "t.cfg with input [1, 2, 2, 2]:\n"
        "line 2  nn.ConvTranspose2d(2, 2, 3, padding=3)\n"
        "        in_channels = C_in = 2, C_out = out_channels = 2\n"
        "        H_out = W_out = (2-1)*1 - 2*3 + 1*(3-1) + 0 + 1 = -2 < 1\n"
        "        -> Given input size per channel: (2 x 2). Calculated output size per channel: (-2 x -2). Output size is too small\n");
}

/* ---- pooling ------------------------------------------------------------------ */

/* stride=None is kernel_size, and the explanation says it was not given */
static void pool_default_stride(void **state)
{
    expect_explain(state,
        "input: 6x28x28\n"
        "nn.MaxPool2d(2)\n"
        "nn.MaxPool2d(3, stride=2, padding=1)\n",
        "t.cfg with input [1, 6, 28, 28]:\n"
        "line 2  nn.MaxPool2d(2)\n"
        "        [1, 6, 28, 28] -> [1, 6, 14, 14]\n"
        "        stride = kernel_size = 2 (not given)\n"
        "        H_out = W_out = floor((28 + 2*0 - 1*(2-1) - 1)/2 + 1) = 14\n"
        "line 3  nn.MaxPool2d(3, stride=2, padding=1)\n"
        "        [1, 6, 14, 14] -> [1, 6, 7, 7]\n"
        "        H_out = W_out = floor((14 + 2*1 - 1*(3-1) - 1)/2 + 1) = 7\n");
}

/* ceil_mode: a window that starts past the input and its left padding is
 * dropped (4 -> 3); one that starts inside is kept; and where ceil and
 * floor agree nothing more is said. AvgPool2d and LPPool2d use their own
 * docs' formulas. */
static void pool_ceil_mode(void **state)
{
    expect_explain(state,
        "input: 1x5x5\n"
        "nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)\n"
        "nn.AvgPool2d(2, ceil_mode=True)\n",
        "t.cfg with input [1, 1, 5, 5]:\n"
        "line 2  nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)\n"
        "        [1, 1, 5, 5] -> [1, 1, 3, 3]\n"
        "        H_out = W_out = ceil((5 + 2*1 - 1*(2-1) - 1)/2 + 1) = 4\n"
        "        ceil_mode: the last window would start at (4-1)*2 = 6 >= H_in + padding = 5 + 1 = 6, outside the input and its left padding, so it is dropped: 4 -> 3\n"
        "line 3  nn.AvgPool2d(2, ceil_mode=True)\n"
        "        [1, 1, 3, 3] -> [1, 1, 2, 2]\n"
        "        stride = kernel_size = 2 (not given)\n"
        "        H_out = W_out = ceil((3 + 2*0 - 2)/2 + 1) = 2\n"
        "        ceil_mode: the extra last window starts at (2-1)*2 = 2 < H_in + padding = 3 + 0 = 3, inside the input or its left padding, so it is kept (floor would give 1)\n");
    expect_explain(state,
        "input: 1x14x13\n"
        "nn.AvgPool2d(3, stride=2, ceil_mode=True)\n"
        "nn.MaxPool2d(3, stride=2, ceil_mode=True)\n"
        "nn.LPPool2d(2, 3, stride=2)\n",
        "t.cfg with input [1, 1, 14, 13]:\n"
        "line 2  nn.AvgPool2d(3, stride=2, ceil_mode=True)\n"
        "        [1, 1, 14, 13] -> [1, 1, 7, 6]\n"
        "        H_out = ceil((14 + 2*0 - 3)/2 + 1) = 7\n"
        "        ceil_mode: the extra last window starts at (7-1)*2 = 12 < H_in + padding = 14 + 0 = 14, inside the input or its left padding, so it is kept (floor would give 6)\n"
        "        W_out = ceil((13 + 2*0 - 3)/2 + 1) = 6\n"
        "line 3  nn.MaxPool2d(3, stride=2, ceil_mode=True)\n"
        "        [1, 1, 7, 6] -> [1, 1, 3, 3]\n"
        "        H_out = ceil((7 + 2*0 - 1*(3-1) - 1)/2 + 1) = 3\n"
        "        W_out = ceil((6 + 2*0 - 1*(3-1) - 1)/2 + 1) = 3\n"
        "        ceil_mode: the extra last window starts at (3-1)*2 = 4 < W_in + padding = 6 + 0 = 6, inside the input or its left padding, so it is kept (floor would give 2)\n"
        "line 4  nn.LPPool2d(2, 3, stride=2)\n"
        "        [1, 1, 3, 3] -> [1, 1, 1, 1]\n"
        "        H_out = W_out = floor((3 - 3)/2 + 1) = 1\n");
}

static void pool_too_small(void **state)
{
    expect_explain(state,
        "input: 8x3x1\n"
        "nn.MaxPool2d(2)\n",
        "t.cfg with input [1, 8, 3, 1]:\n"
        "line 2  nn.MaxPool2d(2)\n"
        "        stride = kernel_size = 2 (not given)\n"
        "        H_out = floor((3 + 2*0 - 1*(2-1) - 1)/2 + 1) = 1\n"
        "        W_out = floor((1 + 2*0 - 1*(2-1) - 1)/2 + 1) = 0 < 1\n"
        "        too small: the window 1*(2-1) + 1 = 2 is larger than the padded width 1 + 2*0 = 1\n"
        "        -> Given input size: (8x3x1). Calculated output size: (8x1x0). Output size is too small\n");
    expect_explain(state,
        "input: 256x1x1\n"
        "nn.AvgPool2d(3)\n",
        "t.cfg with input [1, 256, 1, 1]:\n"
        "line 2  nn.AvgPool2d(3)\n"
        "        stride = kernel_size = 3 (not given)\n"
        "        H_out = W_out = floor((1 + 2*0 - 3)/3 + 1) = 0 < 1\n"
        "        too small: the window 3 is larger than the padded height and width 1 + 2*0 = 1\n"
        "        -> Given input size: (256x1x1). Calculated output size: (256x0x0). Output size is too small\n");
}

static void pool_adaptive_and_fractional(void **state)
{
    expect_explain(state,
        "input: 3x13x9\n"
        "nn.AdaptiveAvgPool2d((None, 4))\n"
        "nn.AdaptiveMaxPool2d((6, 6))\n"
        "nn.AdaptiveAvgPool2d(1)\n",
        "t.cfg with input [1, 3, 13, 9]:\n"
        "line 2  nn.AdaptiveAvgPool2d((None, 4))\n"
        "        [1, 3, 13, 9] -> [1, 3, 13, 4]\n"
        "        H_out = H_in = 13 (None keeps the input's size), W_out = output_size[1] = 4\n"
        "line 3  nn.AdaptiveMaxPool2d((6, 6))\n"
        "        [1, 3, 13, 4] -> [1, 3, 6, 6]\n"
        "        (H_out, W_out) = output_size = (6, 6), whatever the input's size\n"
        "line 4  nn.AdaptiveAvgPool2d(1)\n"
        "        [1, 3, 6, 6] -> [1, 3, 1, 1]\n"
        "        H_out = W_out = output_size = 1, whatever the input's size\n");
    /* torch: fractional_max_pool2d(): pool width 2 too large relative to input width 3 */
    expect_explain(state,
        "input: 3x6x6\n"
        "nn.FractionalMaxPool2d(2, output_ratio=0.5)\n"
        "nn.FractionalMaxPool2d(2, output_size=(2, 3))\n",
        "t.cfg with input [1, 3, 6, 6]:\n"
        "line 2  nn.FractionalMaxPool2d(2, output_ratio=0.5)\n"
        "        [1, 3, 6, 6] -> [1, 3, 3, 3]\n"
        "        H_out = int(H_in * output_ratio) = int(6 * 0.5) = 3, W_out = int(6 * 0.5) = 3\n"
        "        the windows need H_out + kernel_size - 1 <= H_in: 3 + 2 - 1 = 4 <= 6; W: 3 + 2 - 1 = 4 <= 6\n"
        "line 3  nn.FractionalMaxPool2d(2, output_size=(2, 3))\n"
        "        (H_out, W_out) = output_size = (2, 3)\n"
        "        the windows need H_out + kernel_size - 1 <= H_in: 2 + 2 - 1 = 3 <= 3; W: 3 + 2 - 1 = 4 > 3\n"
        "        -> fractional_max_pool2d(): pool width 2 too large relative to input width 3\n");
}

/* ---- resizing, reshaping, Linear ---------------------------------------------- */

static void upsample_shuffle_flatten_linear(void **state)
{
    expect_explain(state,
        "input: 64x5x7\n"
        "nn.Upsample(scale_factor=2)\n"
        "nn.Upsample(scale_factor=(1.5, 0.5), mode='bilinear')\n"
        "nn.PixelShuffle(2)\n"
        "nn.Upsample(size=(9, 9))\n"
        "nn.PixelUnshuffle(3)\n"
        "nn.Upsample(size=2)\n"
        "nn.Flatten()\n"
        "nn.Linear(?, 10)\n",
        "t.cfg with input [1, 64, 5, 7]:\n"
        "line 2  nn.Upsample(scale_factor=2)\n"
        "        [1, 64, 5, 7] -> [1, 64, 10, 14]\n"
        "        H_out = floor(H_in * scale_factor) = floor(5 * 2.0) = 10\n"
        "        W_out = floor(W_in * scale_factor) = floor(7 * 2.0) = 14\n"
        "line 3  nn.Upsample(scale_factor=(1.5, 0.5), mode='bilinear')\n"
        "        [1, 64, 10, 14] -> [1, 64, 15, 7]\n"
        "        H_out = floor(H_in * scale_factor) = floor(10 * 1.5) = 15\n"
        "        W_out = floor(W_in * scale_factor) = floor(14 * 0.5) = 7\n"
        "line 4  nn.PixelShuffle(2)\n"
        "        [1, 64, 15, 7] -> [1, 16, 30, 14]\n"
        "        C_out = C_in / upscale_factor^2 = 64 / 2^2 = 16, H_out = H_in * upscale_factor = 15 * 2 = 30, W_out = 7 * 2 = 14\n"
        "line 5  nn.Upsample(size=(9, 9))\n"
        "        [1, 16, 30, 14] -> [1, 16, 9, 9]\n"
        "        (H_out, W_out) = size = (9, 9), whatever the input's size\n"
        "line 6  nn.PixelUnshuffle(3)\n"
        "        [1, 16, 9, 9] -> [1, 144, 3, 3]\n"
        "        C_out = C_in * downscale_factor^2 = 16 * 3^2 = 144, H_out = H_in / downscale_factor = 9 / 3 = 3, W_out = 9 / 3 = 3\n"
        "line 7  nn.Upsample(size=2)\n"
        "        [1, 144, 3, 3] -> [1, 144, 2, 2]\n"
        "        H_out = W_out = size = 2, whatever the input's size\n"
        "line 8  nn.Flatten()\n"
        "        [1, 144, 2, 2] -> [1, 576]\n"
        "        dims 1..3 (start_dim..end_dim) multiplied: 144 * 2 * 2 = 576\n"
        "line 9  nn.Linear(?, 10)\n"
        "        [1, 576] -> [1, 10]\n"
        "        in_features = the input's last size = 576; output [..., out_features] = [1, 10]\n");
}

static void upsample_too_small(void **state)
{
    expect_explain(state,
        "input: 2x3x4\n"
        "nn.Upsample(scale_factor=0.3)\n",
        "t.cfg with input [1, 2, 3, 4]:\n"
        "line 2  nn.Upsample(scale_factor=0.3)\n"
        "        H_out = floor(H_in * scale_factor) = floor(3 * 0.3) = 0 < 1\n"
        "        W_out = floor(W_in * scale_factor) = floor(4 * 0.3) = 1\n"
        "        -> Input and output sizes should be greater than 0, but got input (H: 3, W: 4) output (H: 0, W: 1)\n");
}

/* ---- padding, normalization, Unflatten ---------------------------------------- */

static void pads_norms_unflatten(void **state)
{
    expect_explain(state,
        "input: 8x6x6\n"
        "nn.ZeroPad2d((1, 2, 0, -1))\n"
        "nn.BatchNorm2d(8)\n"
        "nn.GroupNorm(2, 8)\n"
        "nn.LayerNorm([5, 9])\n"
        "nn.Flatten(2)\n"
        "nn.Unflatten(2, (5, -1))\n"
        "nn.ReflectionPad2d(9)\n",
        "t.cfg with input [1, 8, 6, 6]:\n"
        "line 2  nn.ZeroPad2d((1, 2, 0, -1))\n"
        "        [1, 8, 6, 6] -> [1, 8, 5, 9]\n"
        "        H_out = H_in + top + bottom = 6 + 0 - 1 = 5, W_out = W_in + left + right = 6 + 1 + 2 = 9\n"
        "line 3  nn.BatchNorm2d(8)\n"
        "        [1, 8, 5, 9] -> [1, 8, 5, 9]\n"
        "        normalizes each of C = 8 channels over N*H*W = 1*5*9 = 45 values; needs num_features = C = 8\n"
        "line 4  nn.GroupNorm(2, 8)\n"
        "        [1, 8, 5, 9] -> [1, 8, 5, 9]\n"
        "        splits C = 8 channels into num_groups = 2 groups of 8/2 = 4; needs num_channels = C\n"
        "line 5  nn.LayerNorm([5, 9])\n"
        "        [1, 8, 5, 9] -> [1, 8, 5, 9]\n"
        "        normalizes over the input's last 2 sizes [5, 9], which must equal normalized_shape\n"
        "line 6  nn.Flatten(2)\n"
        "        [1, 8, 5, 9] -> [1, 8, 45]\n"
        "        dims 2..3 (start_dim..end_dim) multiplied: 5 * 9 = 45\n"
        "line 7  nn.Unflatten(2, (5, -1))\n"
        "        [1, 8, 45] -> [1, 8, 5, 9]\n"
        "        dim 2 (45) becomes [5, 9]: -1 = 45 / 5 = 9\n"
        "line 8  nn.ReflectionPad2d(9)\n"
        "        H_out = H_in + top + bottom = 5 + 9 + 9 = 23, W_out = W_in + left + right = 9 + 9 + 9 = 27\n"
        "        reflect: a pad must be less than the size it mirrors, but 9 >= W_in = 9\n"
        "        -> Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (9, 9) at dimension 3 of input 4\n");
}

/* ---- without --explain -------------------------------------------------------- */

/* A run without opt.explain keeps no formulas: only the shapes remain, and
 * a layer whose shape does not change reads as element-wise. */
static void nothing_kept_without_explain(void **state)
{
    char *got = explain_run(state, "input: 3x8x8\nnn.Conv2d(3, 3, 3, padding=1)\nnn.MaxPool2d(2)\n", 0);
    assert_string_equal(got,
        "t.cfg with input [1, 3, 8, 8]:\n"
        "line 2  nn.Conv2d(3, 3, 3, padding=1)\n"
        "        [1, 3, 8, 8] -> [1, 3, 8, 8]\n"
        "        element-wise: the shape does not change\n"
        "line 3  nn.MaxPool2d(2)\n"
        "        [1, 3, 8, 8] -> [1, 3, 4, 4]\n");
    free(got);
}

/* The explanations' own arithmetic must not be what overflows: the same
 * net answers the same with and without opt.explain. The huge stride makes
 * ceil's numerator (which this floor-mode pool never computes) overflow. */
static void explaining_never_changes_the_verdict(void **state)
{
    static const char *const nets[] = {
        "input: 1x224x224\nnn.MaxPool2d(2, stride=9223372036854775807)\n",
        "input: 3x16x16\nnn.Conv2d(3, 8, 3, padding=(0, 4611686018427387904))\n",
        "input: 3x8x8\nnn.Conv2d(16, 4, 3)\nnn.MaxPool2d(2, ceil_mode=True)\nnn.Flatten()\nnn.Linear(1, 2)\n",
        "input: 3x4x4\nnn.MaxPool2d(5)\n",
    };
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        probe_net *net = probe_net_parse(*state, "t.cfg", nets[i], strlen(nets[i]));
        assert_non_null(net);
        probe_options opt = probe_options_default();
        probe_result *plain = probe_run(net, &opt);
        opt.explain = 1;
        probe_result *explained = probe_run(net, &opt);
        assert_non_null(plain);
        assert_non_null(explained);
        assert_int_equal(probe_result_status(explained), probe_result_status(plain));
        assert_int_equal(probe_result_error_count(explained), probe_result_error_count(plain));
        for (size_t e = 0; e < probe_result_error_count(plain); e++)
            assert_string_equal(probe_result_error(explained, e).message, probe_result_error(plain, e).message);
        probe_result_free(plain);
        probe_result_free(explained);
        probe_net_free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_with_padding_stride_dilation),
        cmocka_unit_test(conv_same_groups_and_padding_mode),
        cmocka_unit_test(conv_same_per_side),
        cmocka_unit_test(conv_too_small_names_the_side),
        cmocka_unit_test(conv_repaired_channels),
        cmocka_unit_test(conv_transposed),
        cmocka_unit_test(conv_transposed_too_small),
        cmocka_unit_test(pool_default_stride),
        cmocka_unit_test(pool_ceil_mode),
        cmocka_unit_test(pool_too_small),
        cmocka_unit_test(pool_adaptive_and_fractional),
        cmocka_unit_test(upsample_shuffle_flatten_linear),
        cmocka_unit_test(upsample_too_small),
        cmocka_unit_test(pads_norms_unflatten),
        cmocka_unit_test(nothing_kept_without_explain),
        cmocka_unit_test(explaining_never_changes_the_verdict),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
