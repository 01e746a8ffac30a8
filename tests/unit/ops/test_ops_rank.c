/* test_ops_rank.c - the proof that the convolution and pooling shape
 * functions are generic over the spatial rank: called with rank-1 and
 * rank-3 sizes on [N, C, L] and [N, C, D, H, W] tensors (what Conv1d,
 * Conv3d, MaxPool1d, ... will bind once they are registered, issue 13),
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv1d_shapes),
        cmocka_unit_test(conv3d_shapes),
        cmocka_unit_test(conv_transpose_shapes),
        cmocka_unit_test(max_pool_shapes),
        cmocka_unit_test(adaptive_and_fractional_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
