/* test_ops_conv.c - the shape functions of Conv2d and ConvTranspose2d (and
 * their Lazy forms) called directly, on the edges of PyTorch's formulas.
 * Every expectation comes from a PyTorch 1.13 run of the expression in the
 * comment above it (modules in eval mode); "probe:" comments mark what is
 * probe's own design rather than PyTorch's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops_proto.h"

#include "ops_check.h"

/* ---- calls ----------------------------------------------------------------- */

/* The rank-2 size a schema's size or psize argument binds, from a pair
 * (the tests below were written against pairs; 'same' is PROBE_SAME in
 * both). A compound literal: it lives until the end of the caller's block. */
#define SZ(p) (&(probe_ints){ .n = 2, .v = { (p).h, (p).w } })

static int conv(probe_tensor in, int64_t cin, int64_t cout, probe_pair k, probe_pair s, probe_pair p,
                probe_pair d, int64_t groups, const char *mode)
{
    ctx_reset(&cx);
    out = in;
    return conv2d(&cx, &out, cin, cout, SZ(k), SZ(s), SZ(p), SZ(d), groups, 1, mode);
}

static int new_conv(int64_t cin, int64_t cout, probe_pair k, probe_pair s, probe_pair p, probe_pair d,
                    int64_t groups, const char *mode)
{
    ctx_reset(&cx);
    return conv2d(&cx, NULL, cin, cout, SZ(k), SZ(s), SZ(p), SZ(d), groups, 1, mode);
}

static int convt(probe_tensor in, int64_t cin, int64_t cout, probe_pair k, probe_pair s, probe_pair p,
                 probe_pair op, int64_t groups, probe_pair d)
{
    ctx_reset(&cx);
    out = in;
    return conv_transpose2d(&cx, &out, cin, cout, SZ(k), SZ(s), SZ(p), SZ(op), groups, 1, SZ(d), "zeros");
}

static int new_convt(int64_t cin, int64_t cout, probe_pair k, probe_pair s, probe_pair p, probe_pair op,
                     int64_t groups, probe_pair d, const char *mode)
{
    ctx_reset(&cx);
    return conv_transpose2d(&cx, NULL, cin, cout, SZ(k), SZ(s), SZ(p), SZ(op), groups, 1, SZ(d), mode);
}

static const probe_pair ONE = { 1, 1 }, ZERO = { 0, 0 }, SAME = { PROBE_SAME, PROBE_SAME };

/* ---- Conv2d ---------------------------------------------------------------- */

static void conv_output_size(void **state)
{
    /* torch: nn.Conv2d(3, 16, 3, stride=2, padding=1)(torch.rand(1, 3, 7, 8)) */
    OK_SHAPE(conv(SHAPE(1, 3, 7, 8), 3, 16, P(3, 3), P(2, 2), P(1, 1), ONE, 1, "zeros"), 1, 16, 4, 4);
    /* torch: nn.Conv2d(3, 16, 5, stride=3, padding=2, dilation=2)(torch.rand(1, 3, 20, 17)) */
    OK_SHAPE(conv(SHAPE(1, 3, 20, 17), 3, 16, P(5, 5), P(3, 3), P(2, 2), P(2, 2), 1, "zeros"), 1, 16, 6, 5);
    /* torch: nn.Conv2d(3, 8, (3, 5), stride=(1, 2), padding=(0, 2))(torch.rand(1, 3, 9, 9)) */
    OK_SHAPE(conv(SHAPE(1, 3, 9, 9), 3, 8, P(3, 5), P(1, 2), P(0, 2), ONE, 1, "zeros"), 1, 8, 7, 5);
    /* torch: nn.Conv2d(4, 8, 3, groups=2)(torch.rand(1, 4, 8, 8)) */
    OK_SHAPE(conv(SHAPE(1, 4, 8, 8), 4, 8, P(3, 3), ONE, ZERO, ONE, 2, "zeros"), 1, 8, 6, 6);
    /* torch: nn.Conv2d(16, 16, 3, groups=16)(torch.rand(1, 16, 5, 5)) */
    OK_SHAPE(conv(SHAPE(1, 16, 5, 5), 16, 16, P(3, 3), ONE, ZERO, ONE, 16, "zeros"), 1, 16, 3, 3);
    /* torch: nn.Conv2d(3, 16, 5, padding=1)(torch.rand(1, 3, 3, 3)) */
    OK_SHAPE(conv(SHAPE(1, 3, 3, 3), 3, 16, P(5, 5), ONE, P(1, 1), ONE, 1, "zeros"), 1, 16, 1, 1);
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(3, 8, 8)) */
    OK_SHAPE(conv(SHAPE(3, 8, 8), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), 16, 6, 6);
    /* torch: nn.Conv2d(3, 16, 3, stride=2)(torch.rand(0, 3, 5, 5)) */
    OK_SHAPE(conv(SHAPE(0, 3, 5, 5), 3, 16, P(3, 3), P(2, 2), ZERO, ONE, 1, "zeros"), 0, 16, 2, 2);
}

static void conv_counts_its_parameters(void **state)
{
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(1, 3, 8, 8)) */
    OK_SHAPE(conv(SHAPE(1, 3, 8, 8), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), 1, 16, 6, 6);
    /* sum(p.numel() for p in nn.Conv2d(3, 16, 3).parameters()) == 448 */
    assert_int_equal(cx.params, 448);
    ctx_reset(&cx);
    out = SHAPE(1, 4, 8, 8);
    assert_int_equal(conv2d(&cx, &out, 4, 8, SZ(P(3, 3)), SZ(ONE), SZ(ZERO), SZ(ONE), 2, 0, "zeros"), 0);
    /* sum(p.numel() for p in nn.Conv2d(4, 8, 3, groups=2, bias=False).parameters()) == 144 */
    assert_int_equal(cx.params, 144);
    /* torch: nn.Conv2d(4, 8, (3, 5), groups=4)(torch.rand(1, 4, 8, 8)) */
    OK_SHAPE(conv(SHAPE(1, 4, 8, 8), 4, 8, P(3, 5), ONE, ZERO, ONE, 4, "zeros"), 1, 8, 6, 4);
    /* sum(p.numel() ...) == 128 */
    assert_int_equal(cx.params, 128);
}

static void conv_same_padding(void **state)
{
    /* torch: nn.Conv2d(3, 16, 4, padding='same')(torch.rand(1, 3, 7, 9)) */
    OK_SHAPE(conv(SHAPE(1, 3, 7, 9), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "zeros"), 1, 16, 7, 9);
    /* torch: nn.Conv2d(3, 16, (2, 4), padding='same')(torch.rand(1, 3, 5, 6)) */
    OK_SHAPE(conv(SHAPE(1, 3, 5, 6), 3, 16, P(2, 4), ONE, SAME, ONE, 1, "zeros"), 1, 16, 5, 6);
    /* torch: nn.Conv2d(3, 16, 4, dilation=3, padding='same')(torch.rand(1, 3, 7, 9)) */
    OK_SHAPE(conv(SHAPE(1, 3, 7, 9), 3, 16, P(4, 4), ONE, SAME, P(3, 3), 1, "zeros"), 1, 16, 7, 9);
    /* torch: nn.Conv2d(3, 16, 9, padding='same')(torch.rand(1, 3, 4, 4)) */
    OK_SHAPE(conv(SHAPE(1, 3, 4, 4), 3, 16, P(9, 9), ONE, SAME, ONE, 1, "zeros"), 1, 16, 4, 4);
    /* torch: nn.Conv2d(3, 16, 4, padding='same')(torch.rand(1, 3, 2, 2)) */
    OK_SHAPE(conv(SHAPE(1, 3, 2, 2), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "zeros"), 1, 16, 2, 2);
    /* an even kernel zero-pads the input by one at the bottom and right
     * first, and the channel check prints that padded input */
    /* torch: nn.Conv2d(3, 16, 4, padding='same')(torch.rand(1, 4, 7, 9)) */
    MISMATCH(conv(SHAPE(1, 4, 7, 9), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 4, 4], expected input[1, 4, 8, 10] to have 3 channels, but got 4 channels instead");
    /* torch: nn.Conv2d(3, 16, (3, 4), padding='same')(torch.rand(1, 4, 7, 9)) */
    MISMATCH(conv(SHAPE(1, 4, 7, 9), 3, 16, P(3, 4), ONE, SAME, ONE, 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 3, 4], expected input[1, 4, 7, 10] to have 3 channels, but got 4 channels instead");
    /* torch: nn.Conv2d(3, 16, 4, padding='same', dilation=2)(torch.rand(1, 4, 7, 9)) */
    MISMATCH(conv(SHAPE(1, 4, 7, 9), 3, 16, P(4, 4), ONE, SAME, P(2, 2), 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 4, 4], expected input[1, 4, 7, 9] to have 3 channels, but got 4 channels instead");
    /* torch: nn.Conv2d(3, 16, 4, padding='same')(torch.rand(4, 7, 9)) */
    MISMATCH(conv(SHAPE(4, 7, 9), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 4, 4], expected input[1, 4, 8, 10] to have 3 channels, but got 4 channels instead");
}

static void conv_padding_modes(void **state)
{
    /* torch: nn.Conv2d(3, 16, 3, padding=2, padding_mode='reflect')(torch.rand(1, 3, 3, 3)) */
    OK_SHAPE(conv(SHAPE(1, 3, 3, 3), 3, 16, P(3, 3), ONE, P(2, 2), ONE, 1, "reflect"), 1, 16, 5, 5);
    /* torch: nn.Conv2d(3, 16, 3, padding=3, padding_mode='reflect')(torch.rand(1, 3, 3, 3)) */
    RAISES(conv(SHAPE(1, 3, 3, 3), 3, 16, P(3, 3), ONE, P(3, 3), ONE, 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 3 of input 4");
    /* torch: nn.Conv2d(3, 16, 3, padding=(5, 1), padding_mode='reflect')(torch.rand(1, 3, 4, 6)) */
    RAISES(conv(SHAPE(1, 3, 4, 6), 3, 16, P(3, 3), ONE, P(5, 1), ONE, 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (5, 5) at dimension 2 of input 4");
    /* torch: nn.Conv2d(3, 16, 3, padding=3, padding_mode='reflect')(torch.rand(3, 3, 3)) */
    RAISES(conv(SHAPE(3, 3, 3), 3, 16, P(3, 3), ONE, P(3, 3), ONE, 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 2 of input 3");
    /* torch: nn.Conv2d(3, 16, 4, padding='same', padding_mode='reflect')(torch.rand(1, 3, 2, 2)) */
    RAISES(conv(SHAPE(1, 3, 2, 2), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (1, 2) at dimension 3 of input 4");
    /* the channel check sees the padded input */
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='reflect')(torch.rand(1, 4, 8, 8)) */
    MISMATCH(conv(SHAPE(1, 4, 8, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "reflect"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 4, 10, 10] to have 3 channels, but got 4 channels instead");
    /* torch: nn.Conv2d(3, 16, 3, padding=10, padding_mode='replicate')(torch.rand(1, 3, 3, 3)) */
    OK_SHAPE(conv(SHAPE(1, 3, 3, 3), 3, 16, P(3, 3), ONE, P(10, 10), ONE, 1, "replicate"), 1, 16, 21, 21);
    /* torch: nn.Conv2d(3, 16, 3, padding=3, padding_mode='circular')(torch.rand(1, 3, 3, 3)) */
    OK_SHAPE(conv(SHAPE(1, 3, 3, 3), 3, 16, P(3, 3), ONE, P(3, 3), ONE, 1, "circular"), 1, 16, 7, 7);
    /* torch: nn.Conv2d(3, 16, 3, padding=4, padding_mode='circular')(torch.rand(1, 3, 3, 3)) */
    RAISES(conv(SHAPE(1, 3, 3, 3), 3, 16, P(3, 3), ONE, P(4, 4), ONE, 1, "circular"), PROBE_TOO_SMALL, "padding",
           "Padding value causes wrapping around more than once.");
    /* torch: nn.Conv2d(3, 16, 4, padding='same', padding_mode='circular')(torch.rand(1, 3, 1, 1)) */
    RAISES(conv(SHAPE(1, 3, 1, 1), 3, 16, P(4, 4), ONE, SAME, ONE, 1, "circular"), PROBE_TOO_SMALL, "padding",
           "Padding value causes wrapping around more than once.");
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='circular')(torch.rand(3, 8, 8)) */
    RAISES(conv(SHAPE(3, 8, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "circular"), PROBE_ERROR, "padding",
           "Invalid padding size, expected 2 but got 4");
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='replicate')(torch.rand(3, 8, 8)) */
    OK_SHAPE(conv(SHAPE(3, 8, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "replicate"), 16, 8, 8);
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='reflect')(torch.rand(1, 64)) */
    RAISES(conv(SHAPE(1, 64), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "reflect"), PROBE_ERROR, "padding",
           "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='replicate')(torch.rand(1, 3, 0, 8)) */
    RAISES(conv(SHAPE(1, 3, 0, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "replicate"), PROBE_TOO_SMALL, "padding",
           "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [1, 3, 0, 8]");
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='reflect')(torch.rand(1, 3, 0, 8)) */
    RAISES(conv(SHAPE(1, 3, 0, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "reflect"), PROBE_TOO_SMALL, "padding",
           "3D or 4D (batch mode) tensor expected for input, but got: [ torch.FloatTensor{1,3,0,8} ]");
}

static void conv_kernel_larger_than_input(void **state)
{
    /* torch: nn.Conv2d(3, 16, 7, padding=1)(torch.rand(1, 3, 4, 6)) */
    RAISES(conv(SHAPE(1, 3, 4, 6), 3, 16, P(7, 7), ONE, P(1, 1), ONE, 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (6 x 8). Kernel size: (7 x 7). Kernel size can't be greater than actual input size");
    /* the dilated kernel is printed */
    /* torch: nn.Conv2d(3, 16, (2, 3), dilation=(4, 2))(torch.rand(1, 3, 3, 3)) */
    RAISES(conv(SHAPE(1, 3, 3, 3), 3, 16, P(2, 3), ONE, ZERO, P(4, 2), 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (3 x 3). Kernel size: (5 x 5). Kernel size can't be greater than actual input size");
    /* torch: nn.Conv2d(3, 16, (3, 5))(torch.rand(1, 3, 8, 4)) */
    RAISES(conv(SHAPE(1, 3, 8, 4), 3, 16, P(3, 5), ONE, ZERO, ONE, 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (8 x 4). Kernel size: (3 x 5). Kernel size can't be greater than actual input size");
    /* the channel check comes first */
    /* torch: nn.Conv2d(3, 16, 5)(torch.rand(1, 4, 3, 3)) */
    MISMATCH(conv(SHAPE(1, 4, 3, 3), 3, 16, P(5, 5), ONE, ZERO, ONE, 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 5, 5], expected input[1, 4, 3, 3] to have 3 channels, but got 4 channels instead");
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(1, 3, 0, 5)) */
    RAISES(conv(SHAPE(1, 3, 0, 5), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Calculated padded input size per channel: (0 x 5). Kernel size: (3 x 3). Kernel size can't be greater than actual input size");
    /* torch: nn.Conv2d(3, 16, 3, padding=2)(torch.rand(1, 3, 0, 4)) */
    RAISES(conv(SHAPE(1, 3, 0, 4), 3, 16, P(3, 3), ONE, P(2, 2), ONE, 1, "zeros"), PROBE_TOO_SMALL, NULL,
           "Only zero batch or zero channel inputs are supported, but got input shape: [1, 3, 0, 4]");
    /* torch: nn.Conv2d(3, 16, (1, 2), padding='same')(torch.rand(1, 3, 0, 4)) */
    RAISES(conv(SHAPE(1, 3, 0, 4), 3, 16, P(1, 2), ONE, SAME, ONE, 1, "zeros"), PROBE_TOO_SMALL, "padding",
           "The input size 0, plus negative padding 0 and 0 resulted in a negative output size, which is invalid. Check dimension 2 of your input.");
}

static void conv_channels(void **state)
{
    /* torch: nn.Conv2d(64, 128, (3, 5))(torch.rand(2, 32, 10, 12)) */
    MISMATCH(conv(SHAPE(2, 32, 10, 12), 64, 128, P(3, 5), ONE, ZERO, ONE, 1, "zeros"), "in_channels", 32,
             "Given groups=1, weight of size [128, 64, 3, 5], expected input[2, 32, 10, 12] to have 64 channels, but got 32 channels instead");
    /* torch: nn.Conv2d(4, 8, 3, groups=2)(torch.rand(1, 6, 8, 8)) */
    MISMATCH(conv(SHAPE(1, 6, 8, 8), 4, 8, P(3, 3), ONE, ZERO, ONE, 2, "zeros"), "in_channels", 6,
             "Given groups=2, weight of size [8, 2, 3, 3], expected input[1, 6, 8, 8] to have 4 channels, but got 6 channels instead");
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(4, 8, 8)) */
    MISMATCH(conv(SHAPE(4, 8, 8), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), "in_channels", 4,
             "Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead");
    /* probe: 5 channels cannot be split in 2 groups, so no in_channels repairs it */
    /* torch: nn.Conv2d(4, 8, 3, groups=2)(torch.rand(1, 5, 8, 8)) */
    RAISES(conv(SHAPE(1, 5, 8, 8), 4, 8, P(3, 3), ONE, ZERO, ONE, 2, "zeros"), PROBE_ERROR, "in_channels",
           "Given groups=2, weight of size [8, 2, 3, 3], expected input[1, 5, 8, 8] to have 4 channels, but got 5 channels instead");
    /* probe: `?` and LazyConv2d pass in_channels 0; the run reads the channels */
    /* torch: nn.LazyConv2d(16, 3, groups=2)(torch.rand(1, 5, 8, 8)) */
    RAISES(conv(SHAPE(1, 5, 8, 8), 0, 16, P(3, 3), ONE, ZERO, ONE, 2, "zeros"), PROBE_ERROR, "groups",
           "in_channels must be divisible by groups");
    ctx_reset(&cx);
    out = SHAPE(1, 5, 8, 8);
    assert_int_equal(lazy_conv2d(&cx, &out, 16, SZ(P(3, 3)), SZ(ONE), SZ(ZERO), SZ(ONE), 1, 1, "zeros", 0), 1);
    assert_int_equal(cx.kind, PROBE_MISMATCH);
    assert_int_equal(cx.need, 5);
    ctx_reset(&cx);
    out = SHAPE(1, 5, 8, 8);
    /* torch: nn.LazyConv2d(16, 3)(torch.rand(1, 5, 8, 8)) */
    assert_int_equal(lazy_conv2d(&cx, &out, 16, SZ(P(3, 3)), SZ(ONE), SZ(ZERO), SZ(ONE), 1, 1, "zeros", 5), 0);
    assert_int_equal(out.dim[1], 16);
    assert_int_equal(out.dim[2], 6);
    /* sum(p.numel() for p in the materialized Conv2d(5, 16, 3)) == 736 */
    assert_int_equal(cx.params, 736);
}

static void conv_input_rank(void **state)
{
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(1, 64)) */
    RAISES(conv(SHAPE(1, 64), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), PROBE_ERROR, NULL,
           "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 64]");
    /* torch: nn.Conv2d(3, 16, 3)(torch.rand(1, 3, 8, 8, 8)) */
    RAISES(conv(SHAPE(1, 3, 8, 8, 8), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), PROBE_ERROR, NULL,
           "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 3, 8, 8, 8]");
    /* torch: nn.Conv2d(3, 16, 3, padding=1, padding_mode='circular')(torch.rand(1, 3, 8, 8, 8)) */
    RAISES(conv(SHAPE(1, 3, 8, 8, 8), 3, 16, P(3, 3), ONE, P(1, 1), ONE, 1, "circular"), PROBE_ERROR, "padding",
           "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

static void conv_refusals(void **state)
{
    /* torch: nn.Conv2d(4, 8, 3, groups=0) */
    INVALID(new_conv(4, 8, P(3, 3), ONE, ZERO, ONE, 0, "zeros"), "groups", "groups must be a positive integer");
    /* torch: nn.Conv2d(5, 7, 3, groups=3) */
    INVALID(new_conv(5, 7, P(3, 3), ONE, ZERO, ONE, 3, "zeros"), "groups", "in_channels must be divisible by groups");
    /* torch: nn.Conv2d(8, 10, 3, groups=4) */
    INVALID(new_conv(8, 10, P(3, 3), ONE, ZERO, ONE, 4, "zeros"), "groups", "out_channels must be divisible by groups");
    /* torch: nn.Conv2d(3, 16, 3, stride=(1, 2), padding='same') */
    INVALID(new_conv(3, 16, P(3, 3), P(1, 2), SAME, ONE, 1, "zeros"), "padding",
            "padding='same' is not supported for strided convolutions");
    /* probe's own text: PyTorch prints a set whose order changes from run to run */
    /* torch: nn.Conv2d(3, 16, 3, padding_mode='foo') */
    INVALID(new_conv(3, 16, P(3, 3), ONE, ZERO, ONE, 1, "foo"), "padding_mode",
            "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='foo'");
    /* torch: nn.Conv2d(-1, 16, 3) */
    INVALID(new_conv(-1, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), "in_channels",
            "Trying to create tensor with negative dimension -1: [16, -1, 3, 3]");
    /* torch: nn.Conv2d(-4, 6, 3, groups=2) */
    INVALID(new_conv(-4, 6, P(3, 3), ONE, ZERO, ONE, 2, "zeros"), "in_channels",
            "Trying to create tensor with negative dimension -2: [6, -2, 3, 3]");
    /* torch: nn.Conv2d(4, -6, (-1, -2), groups=2) */
    INVALID(new_conv(4, -6, P(-1, -2), ONE, ZERO, ONE, 2, "zeros"), "out_channels",
            "Trying to create tensor with negative dimension -6: [-6, 2, -1, -2]");
    /* torch: nn.Conv2d(3, 16, -1) */
    INVALID(new_conv(3, 16, P(-1, -1), ONE, ZERO, ONE, 1, "zeros"), "kernel_size",
            "Trying to create tensor with negative dimension -1: [16, 3, -1, -1]");
    /* what every forward refuses whatever the input is refused up front */
    /* torch: nn.Conv2d(3, 16, 3, padding=(0, -2))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 16, P(3, 3), ONE, P(0, -2), ONE, 1, "zeros"), "padding", "negative padding is not supported");
    /* torch: nn.Conv2d(3, 16, 3, stride=(1, 0))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 16, P(3, 3), P(1, 0), ZERO, ONE, 1, "zeros"), "stride", "non-positive stride is not supported");
    /* torch: nn.Conv2d(3, 0, 3)(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 0, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), "out_channels",
            "Given groups=1, expected weight to be at least 1 at dimension 0, but got weight of size [0, 3, 3, 3] instead");
    /* torch: nn.Conv2d(3, 16, (3, 0))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 16, P(3, 0), ONE, ZERO, ONE, 1, "zeros"), "kernel_size",
            "kernel size should be greater than zero, but got kernel_height: 3 kernel_width: 0");
    /* torch: nn.Conv2d(3, 16, 0, dilation=0)(torch.rand(1, 3, 7, 9)) */
    INVALID(new_conv(3, 16, P(0, 0), ONE, ZERO, ZERO, 1, "zeros"), "kernel_size",
            "kernel size should be greater than zero, but got [0, 0]");
    /* torch: nn.Conv2d(3, 16, 3, dilation=(2, 0))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 16, P(3, 3), ONE, ZERO, P(2, 0), 1, "zeros"), "dilation",
            "dilation should be greater than zero, but got [2, 0]");
    /* torch: nn.Conv2d(3, 16, 3, dilation=-1)(torch.rand(1, 3, 8, 8)) */
    INVALID(new_conv(3, 16, P(3, 3), ONE, ZERO, P(-1, -1), 1, "zeros"), "dilation",
            "dilation should be greater than zero, but got [-1, -1]");
    /* probe: in_channels 0 is the guess behind `?` and LazyConv2d */
    BUILDS(new_conv(0, 16, P(3, 3), ONE, ZERO, ONE, 2, "zeros"));
    BUILDS(new_conv(3, 16, P(4, 4), ONE, SAME, P(3, 3), 1, "reflect"));
    ctx_reset(&cx);
    /* torch: nn.LazyConv2d(-4, 3)(torch.rand(1, 3, 8, 8)) */
    INVALID(lazy_conv2d(&cx, NULL, -4, SZ(P(3, 3)), SZ(ONE), SZ(ZERO), SZ(ONE), 1, 1, "zeros", 0), "out_channels",
            "LazyConv2d: Trying to create tensor with negative dimension -4 (out_channels)");
}

/* ---- ConvTranspose2d --------------------------------------------------------- */

static void conv_transpose_output_size(void **state)
{
    /* torch: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)(torch.rand(1, 4, 5, 7)) */
    OK_SHAPE(convt(SHAPE(1, 4, 5, 7), 4, 2, P(3, 3), P(2, 2), P(1, 1), P(1, 1), 1, ONE), 1, 2, 10, 14);
    /* torch: nn.ConvTranspose2d(4, 2, 3, stride=3, padding=2, output_padding=2, dilation=2)(torch.rand(1, 4, 7, 9)) */
    OK_SHAPE(convt(SHAPE(1, 4, 7, 9), 4, 2, P(3, 3), P(3, 3), P(2, 2), P(2, 2), 1, P(2, 2)), 1, 2, 21, 27);
    /* torch: nn.ConvTranspose2d(4, 2, 5, stride=4, padding=1, output_padding=3)(torch.rand(1, 4, 6, 3)) */
    OK_SHAPE(convt(SHAPE(1, 4, 6, 3), 4, 2, P(5, 5), P(4, 4), P(1, 1), P(3, 3), 1, ONE), 1, 2, 26, 14);
    /* output_padding 2 is fine with stride 2 because dilation 3 is larger */
    /* torch: nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=2, dilation=3)(torch.rand(1, 4, 5, 5)) */
    OK_SHAPE(convt(SHAPE(1, 4, 5, 5), 4, 2, P(3, 3), P(2, 2), ZERO, P(2, 2), 1, P(3, 3)), 1, 2, 17, 17);
    /* torch: nn.ConvTranspose2d(16, 8, 3, groups=2)(torch.rand(1, 16, 5, 5)) */
    OK_SHAPE(convt(SHAPE(1, 16, 5, 5), 16, 8, P(3, 3), ONE, ZERO, ZERO, 2, ONE), 1, 8, 7, 7);
    /* sum(p.numel() for p in nn.ConvTranspose2d(16, 8, 3, groups=2).parameters()) == 584 */
    assert_int_equal(cx.params, 584);
    /* torch: nn.ConvTranspose2d(4, 2, 3)(torch.rand(4, 5, 5)) */
    OK_SHAPE(convt(SHAPE(4, 5, 5), 4, 2, P(3, 3), ONE, ZERO, ZERO, 1, ONE), 2, 7, 7);
}

static void conv_transpose_too_small(void **state)
{
    /* torch: nn.ConvTranspose2d(4, 2, 3, padding=3)(torch.rand(1, 4, 2, 2)) */
    RAISES(convt(SHAPE(1, 4, 2, 2), 4, 2, P(3, 3), ONE, P(3, 3), ZERO, 1, ONE), PROBE_TOO_SMALL, NULL,
           "Given input size per channel: (2 x 2). Calculated output size per channel: (-2 x -2). Output size is too small");
    /* torch: nn.ConvTranspose2d(8, 6, 3, padding=(0, 4))(torch.rand(1, 8, 3, 4)) */
    RAISES(convt(SHAPE(1, 8, 3, 4), 8, 6, P(3, 3), ONE, P(0, 4), ZERO, 1, ONE), PROBE_TOO_SMALL, NULL,
           "Given input size per channel: (3 x 4). Calculated output size per channel: (5 x -2). Output size is too small");
    /* torch: nn.ConvTranspose2d(4, 2, 2, padding=1)(torch.rand(1, 4, 1, 1)) */
    RAISES(convt(SHAPE(1, 4, 1, 1), 4, 2, P(2, 2), ONE, P(1, 1), ZERO, 1, ONE), PROBE_TOO_SMALL, NULL,
           "Given input size per channel: (1 x 1). Calculated output size per channel: (0 x 0). Output size is too small");
    /* torch: nn.ConvTranspose2d(4, 2, 3)(torch.rand(1, 4, 0, 4)) */
    RAISES(convt(SHAPE(1, 4, 0, 4), 4, 2, P(3, 3), ONE, ZERO, ZERO, 1, ONE), PROBE_TOO_SMALL, NULL,
           "Only zero batch or zero channel inputs are supported, but got input shape: [1, 4, 0, 4]");
}

static void conv_transpose_channels(void **state)
{
    /* torch: nn.ConvTranspose2d(16, 8, 3, groups=2)(torch.rand(1, 12, 5, 5)) */
    MISMATCH(convt(SHAPE(1, 12, 5, 5), 16, 8, P(3, 3), ONE, ZERO, ZERO, 2, ONE), "in_channels", 12,
             "Given transposed=1, weight of size [16, 4, 3, 3], expected input[1, 12, 5, 5] to have 16 channels, but got 12 channels instead");
    /* torch: nn.ConvTranspose2d(4, 2, 3)(torch.rand(3, 5, 5)) */
    MISMATCH(convt(SHAPE(3, 5, 5), 4, 2, P(3, 3), ONE, ZERO, ZERO, 1, ONE), "in_channels", 3,
             "Given transposed=1, weight of size [4, 2, 3, 3], expected input[1, 3, 5, 5] to have 4 channels, but got 3 channels instead");
    /* torch: nn.ConvTranspose2d(16, 8, 3, groups=2)(torch.rand(1, 5, 5, 5)) */
    RAISES(convt(SHAPE(1, 5, 5, 5), 16, 8, P(3, 3), ONE, ZERO, ZERO, 2, ONE), PROBE_ERROR, "in_channels",
           "Given transposed=1, weight of size [16, 4, 3, 3], expected input[1, 5, 5, 5] to have 16 channels, but got 5 channels instead");
    /* torch: nn.LazyConvTranspose2d(16, 3, groups=2)(torch.rand(1, 5, 4, 6)) */
    RAISES(convt(SHAPE(1, 5, 4, 6), 0, 16, P(3, 3), ONE, ZERO, ZERO, 2, ONE), PROBE_ERROR, "groups",
           "in_channels must be divisible by groups");
    /* torch: nn.ConvTranspose2d(16, 8, 3)(torch.rand(1, 64)) */
    RAISES(convt(SHAPE(1, 64), 16, 8, P(3, 3), ONE, ZERO, ZERO, 1, ONE), PROBE_ERROR, NULL,
           "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [1, 64]");
}

static void conv_transpose_refusals(void **state)
{
    /* torch: nn.ConvTranspose2d(4, 2, 3, padding_mode='reflect') */
    INVALID(new_convt(4, 2, P(3, 3), ONE, ZERO, ZERO, 1, ONE, "reflect"), "padding_mode",
            "Only \"zeros\" padding mode is supported for ConvTranspose2d");
    /* torch: nn.ConvTranspose2d(15, 8, 3, groups=2) */
    INVALID(new_convt(15, 8, P(3, 3), ONE, ZERO, ZERO, 2, ONE, "zeros"), "groups", "in_channels must be divisible by groups");
    /* torch: nn.ConvTranspose2d(4, -2, 3, groups=2) */
    INVALID(new_convt(4, -2, P(3, 3), ONE, ZERO, ZERO, 2, ONE, "zeros"), "out_channels",
            "Trying to create tensor with negative dimension -1: [4, -1, 3, 3]");
    /* torch: nn.ConvTranspose2d(3, 16, 3, stride=0, output_padding=-1)(torch.rand(1, 3, 7, 9)) */
    INVALID(new_convt(3, 16, P(3, 3), ZERO, ZERO, P(-1, -1), 1, ONE, "zeros"), "output_padding",
            "negative output_padding is not supported");
    /* torch: nn.ConvTranspose2d(4, 2, 3, stride=0)(torch.rand(1, 4, 5, 5)) */
    INVALID(new_convt(4, 2, P(3, 3), ZERO, ZERO, ZERO, 1, ONE, "zeros"), "stride", "non-positive stride is not supported");
    /* torch: nn.ConvTranspose2d(4, 2, 0)(torch.rand(1, 4, 5, 5)) */
    INVALID(new_convt(4, 2, P(0, 0), ONE, ZERO, ZERO, 1, ONE, "zeros"), "kernel_size",
            "kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0");
    /* torch: nn.ConvTranspose2d(4, 2, 3, dilation=0)(torch.rand(1, 4, 5, 5)) */
    INVALID(new_convt(4, 2, P(3, 3), ONE, ZERO, ZERO, 1, ZERO, "zeros"), "dilation",
            "dilation should be greater than zero, but got dilation_height: 0, dilation_width: 0");
    /* torch: nn.ConvTranspose2d(4, 2, 3, stride=(1, 2), output_padding=(0, 2))(torch.rand(1, 4, 5, 5)) */
    INVALID(new_convt(4, 2, P(3, 3), P(1, 2), ZERO, P(0, 2), 1, ONE, "zeros"), "output_padding",
            "output padding must be smaller than either stride or dilation, but got output_padding_height: 0 output_padding_width: 2 stride_height: 1 stride_width: 2 dilation_height: 1 dilation_width: 1");
    /* torch: nn.ConvTranspose2d(4, 0, 3)(torch.rand(1, 4, 5, 5)) */
    INVALID(new_convt(4, 0, P(3, 3), ONE, ZERO, ZERO, 1, ONE, "zeros"), "out_channels",
            "non-empty 2D or 4D weight tensor expected, but got: [4, 0, 3, 3]");
    /* probe: in_channels 0 is the guess behind `?` and LazyConvTranspose2d */
    BUILDS(new_convt(0, 8, P(3, 3), P(2, 2), ZERO, P(1, 1), 2, ONE, "zeros"));
}

/* ---- overflow ---------------------------------------------------------------- */

static void conv_sizes_that_overflow_are_marked(void **state)
{
    /* probe: (5 - 1) * 2^62 does not fit int64; the call is marked, not wrapped */
    convt(SHAPE(1, 4, 5, 5), 4, 2, P(3, 3), P(INT64_C(1) << 62, 1), ZERO, ZERO, 1, ONE);
    assert_true(cx.overflow);
    /* nor does the dilated kernel 2^62 * (3 - 1) + 1 */
    conv(SHAPE(1, 3, 8, 8), 3, 16, P(3, 3), ONE, ZERO, P(INT64_C(1) << 62, 1), 1, "zeros");
    assert_true(cx.overflow);
    /* sizes just inside int64 are not */
    OK_SHAPE(conv(SHAPE(1, 3, INT64_C(1) << 40, 8), 3, 16, P(3, 3), ONE, ZERO, ONE, 1, "zeros"), 1, 16, (INT64_C(1) << 40) - 2, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_output_size),
        cmocka_unit_test(conv_counts_its_parameters),
        cmocka_unit_test(conv_same_padding),
        cmocka_unit_test(conv_padding_modes),
        cmocka_unit_test(conv_kernel_larger_than_input),
        cmocka_unit_test(conv_channels),
        cmocka_unit_test(conv_input_rank),
        cmocka_unit_test(conv_refusals),
        cmocka_unit_test(conv_transpose_output_size),
        cmocka_unit_test(conv_transpose_too_small),
        cmocka_unit_test(conv_transpose_channels),
        cmocka_unit_test(conv_transpose_refusals),
        cmocka_unit_test(conv_sizes_that_overflow_are_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
