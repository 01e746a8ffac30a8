/* test_ops_pool.c - the shape functions of the pooling layers called
 * directly: MaxPool2d, AvgPool2d, LPPool2d (pooling_output_shape, the
 * ceil_mode rule, the checks and their order), the adaptive pools and
 * FractionalMaxPool2d. Every expectation comes from a PyTorch 1.13 run of
 * the expression in the comment above it (modules in eval mode); "probe:"
 * comments mark probe's own design. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops_proto.h"

#include "ops_check.h"

/* ---- calls ----------------------------------------------------------------- */

static const probe_pair ONE = { 1, 1 }, ZERO = { 0, 0 }, NONE = { PROBE_NONE, PROBE_NONE };
static const probe_fpair NO_RATIO = { NAN, NAN };

/* The rank-2 size a schema's size argument binds (None: n == -1). */
static probe_ints SZ(probe_pair p)
{
    probe_ints r = { .n = 2, .v = { p.h, p.w } };
    if (p.h == PROBE_NONE) r.n = -1;
    return r;
}

static int maxpool(probe_tensor in, probe_pair k, probe_pair s, probe_pair p, probe_pair d, int ceil_mode)
{
    ctx_reset(&cx);
    out = in;
    probe_ints k2 = SZ(k), s2 = SZ(s), p2 = SZ(p), d2 = SZ(d);
    return max_pool2d(&cx, &out, &k2, &s2, &p2, &d2, 0, ceil_mode);
}

static int new_maxpool(probe_pair k, probe_pair s, probe_pair p, probe_pair d)
{
    ctx_reset(&cx);
    probe_ints k2 = SZ(k), s2 = SZ(s), p2 = SZ(p), d2 = SZ(d);
    return max_pool2d(&cx, NULL, &k2, &s2, &p2, &d2, 0, 0);
}

static int avgpool(probe_tensor in, probe_pair k, probe_pair s, probe_pair p, int ceil_mode)
{
    ctx_reset(&cx);
    out = in;
    probe_ints k2 = SZ(k), s2 = SZ(s), p2 = SZ(p);
    return avg_pool2d(&cx, &out, &k2, &s2, &p2, ceil_mode, 1, PROBE_NONE);
}

static int new_avgpool(probe_pair k, probe_pair s, probe_pair p, int64_t divisor_override)
{
    ctx_reset(&cx);
    probe_ints k2 = SZ(k), s2 = SZ(s), p2 = SZ(p);
    return avg_pool2d(&cx, NULL, &k2, &s2, &p2, 0, 1, divisor_override);
}

static int lppool(probe_tensor in, probe_pair k, probe_pair s, int ceil_mode)
{
    ctx_reset(&cx);
    out = in;
    probe_ints k2 = SZ(k), s2 = SZ(s);
    return lp_pool2d(&cx, &out, 2.0, &k2, &s2, ceil_mode);
}

static int adaptive_avg(probe_tensor in, probe_ints size)
{
    ctx_reset(&cx);
    out = in;
    return adaptive_avg_pool2d(&cx, &out, &size);
}

static int adaptive_max(probe_tensor in, probe_ints size)
{
    ctx_reset(&cx);
    out = in;
    return adaptive_max_pool2d(&cx, &out, &size, 0);
}

static int fractional(probe_tensor *in, probe_pair k, probe_pair size, probe_fpair ratio)
{
    ctx_reset(&cx);
    if (in) out = *in;
    probe_ints k2 = SZ(k), size2 = SZ(size);
    return fractional_max_pool2d(&cx, in ? &out : NULL, &k2, &size2, ratio, 0);
}

/* ---- MaxPool2d, AvgPool2d, LPPool2d ---------------------------------------------- */

static void pool_output_size(void **state)
{
    /* torch: nn.MaxPool2d(3)(torch.rand(1, 3, 9, 10)) */
    OK_SHAPE(maxpool(SHAPE(1, 3, 9, 10), P(3, 3), NONE, ZERO, ONE, 0), 1, 3, 3, 3);
    /* torch: nn.MaxPool2d(2, padding=1)(torch.rand(1, 3, 8, 8)) */
    OK_SHAPE(maxpool(SHAPE(1, 3, 8, 8), P(2, 2), NONE, P(1, 1), ONE, 0), 1, 3, 5, 5);
    /* torch: nn.MaxPool2d(3, stride=1, dilation=2)(torch.rand(1, 3, 7, 9)) */
    OK_SHAPE(maxpool(SHAPE(1, 3, 7, 9), P(3, 3), ONE, ZERO, P(2, 2), 0), 1, 3, 3, 5);
    /* torch: nn.MaxPool2d((2, 3), stride=(1, 2), dilation=(2, 1))(torch.rand(1, 3, 9, 9)) */
    OK_SHAPE(maxpool(SHAPE(1, 3, 9, 9), P(2, 3), P(1, 2), ZERO, P(2, 1), 0), 1, 3, 7, 4);
    /* torch: nn.AvgPool2d((3, 2), stride=None, padding=(1, 1))(torch.rand(1, 3, 9, 9)) */
    OK_SHAPE(avgpool(SHAPE(1, 3, 9, 9), P(3, 2), NONE, P(1, 1), 0), 1, 3, 3, 5);
    /* torch: nn.MaxPool2d(2)(torch.rand(0, 3, 4, 4)) */
    OK_SHAPE(maxpool(SHAPE(0, 3, 4, 4), P(2, 2), NONE, ZERO, ONE, 0), 0, 3, 2, 2);
    /* pooling has no parameters */
    assert_int_equal(cx.params, 0);
}

static void pool_ceil_mode(void **state)
{
    /* a window more when the division has a remainder */
    /* torch: nn.MaxPool2d(2, 2, ceil_mode=True)(torch.rand(1, 1, 5, 5)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 5, 5), P(2, 2), P(2, 2), ZERO, ONE, 1), 1, 1, 3, 3);
    /* torch: nn.MaxPool2d(3, 2, ceil_mode=True)(torch.rand(1, 1, 6, 6)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 6, 6), P(3, 3), P(2, 2), ZERO, ONE, 1), 1, 1, 3, 3);
    /* torch: nn.MaxPool2d(3, 3, ceil_mode=True)(torch.rand(1, 1, 10, 10)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 10, 10), P(3, 3), P(3, 3), ZERO, ONE, 1), 1, 1, 4, 4);
    /* the extra window starts at 4 < 4 + 1: inside the padding, so kept */
    /* torch: nn.AvgPool2d(3, 2, padding=1, ceil_mode=True)(torch.rand(1, 1, 4, 4)) */
    OK_SHAPE(avgpool(SHAPE(1, 1, 4, 4), P(3, 3), P(2, 2), P(1, 1), 1), 1, 1, 3, 3);
    /* the rule removes the window that would start at 6 >= 5 + 1 */
    /* torch: nn.MaxPool2d(3, 3, padding=1, ceil_mode=True)(torch.rand(1, 1, 5, 5)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 5, 5), P(3, 3), P(3, 3), P(1, 1), ONE, 1), 1, 1, 2, 2);
    /* torch: nn.AvgPool2d(3, 3, padding=1, ceil_mode=True)(torch.ones(1, 1, 5, 5)) */
    OK_SHAPE(avgpool(SHAPE(1, 1, 5, 5), P(3, 3), P(3, 3), P(1, 1), 1), 1, 1, 2, 2);
    /* and here the one at 2 >= 1 + 1 */
    /* torch: nn.MaxPool2d(2, 2, padding=1, ceil_mode=True)(torch.rand(1, 1, 1, 1)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 1, 1), P(2, 2), P(2, 2), P(1, 1), ONE, 1), 1, 1, 1, 1);
    /* torch: nn.MaxPool2d(3, 3, padding=1, ceil_mode=True, dilation=2)(torch.rand(1, 1, 6, 6)) */
    OK_SHAPE(maxpool(SHAPE(1, 1, 6, 6), P(3, 3), P(3, 3), P(1, 1), P(2, 2), 1), 1, 1, 2, 2);
    /* torch: nn.MaxPool2d(3, 2, ceil_mode=True)(torch.rand(1, 8, 2, 2)) */
    OK_SHAPE(maxpool(SHAPE(1, 8, 2, 2), P(3, 3), P(2, 2), ZERO, ONE, 1), 1, 8, 1, 1);
    /* torch: nn.MaxPool2d(3, 2, ceil_mode=True)(torch.rand(1, 8, 1, 1)) */
    RAISES(maxpool(SHAPE(1, 8, 1, 1), P(3, 3), P(2, 2), ZERO, ONE, 1), PROBE_TOO_SMALL, NULL,
           "Given input size: (8x1x1). Calculated output size: (8x0x0). Output size is too small");
    /* torch: nn.LPPool2d(1, 2, ceil_mode=True)(torch.rand(1, 8, 5, 5)) */
    OK_SHAPE(lppool(SHAPE(1, 8, 5, 5), P(2, 2), NONE, 1), 1, 8, 3, 3);
}

static void pool_too_small(void **state)
{
    /* torch: nn.MaxPool2d(2)(torch.rand(1, 16, 1, 1)) */
    RAISES(maxpool(SHAPE(1, 16, 1, 1), P(2, 2), NONE, ZERO, ONE, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (16x1x1). Calculated output size: (16x0x0). Output size is too small");
    /* negative sizes are printed, floor-divided: floor(-3 / 2) + 1 == -1 */
    /* torch: nn.MaxPool2d(4, 2)(torch.rand(1, 64, 1, 1)) */
    RAISES(maxpool(SHAPE(1, 64, 1, 1), P(4, 4), P(2, 2), ZERO, ONE, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (64x1x1). Calculated output size: (64x-1x-1). Output size is too small");
    /* torch: nn.MaxPool2d(4, 1)(torch.rand(1, 3, 2, 7)) */
    RAISES(maxpool(SHAPE(1, 3, 2, 7), P(4, 4), ONE, ZERO, ONE, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (3x2x7). Calculated output size: (3x-1x4). Output size is too small");
    /* torch: nn.MaxPool2d(3, 2)(torch.rand(256, 1, 1)) */
    RAISES(maxpool(SHAPE(256, 1, 1), P(3, 3), P(2, 2), ZERO, ONE, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (256x1x1). Calculated output size: (256x0x0). Output size is too small");
    /* torch: nn.AvgPool2d(3)(torch.rand(4, 2, 2)) */
    RAISES(avgpool(SHAPE(4, 2, 2), P(3, 3), NONE, ZERO, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (4x2x2). Calculated output size: (4x0x0). Output size is too small");
    /* torch: nn.LPPool2d(2, (2, 3))(torch.rand(1, 8, 3, 2)) */
    RAISES(lppool(SHAPE(1, 8, 3, 2), P(2, 3), NONE, 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (8x3x2). Calculated output size: (8x1x0). Output size is too small");
    /* torch: nn.LPPool2d(2, 3, stride=2)(torch.rand(1, 8, 1, 1)) */
    RAISES(lppool(SHAPE(1, 8, 1, 1), P(3, 3), P(2, 2), 0), PROBE_TOO_SMALL, NULL,
           "Given input size: (8x1x1). Calculated output size: (8x0x0). Output size is too small");
    /* an empty image is refused before the output size is looked at */
    /* torch: nn.MaxPool2d(2)(torch.rand(1, 3, 0, 4)) */
    RAISES(maxpool(SHAPE(1, 3, 0, 4), P(2, 2), NONE, ZERO, ONE, 0), PROBE_TOO_SMALL, NULL,
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 3, 0, 4]");
    /* torch: nn.AvgPool2d(2)(torch.rand(1, 0, 4, 4)) */
    RAISES(avgpool(SHAPE(1, 0, 4, 4), P(2, 2), NONE, ZERO, 0), PROBE_ERROR, NULL,
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 4, 4]");
}

static void pool_input_rank(void **state)
{
    /* torch: nn.MaxPool2d(2)(torch.rand(1, 64)) */
    RAISES(maxpool(SHAPE(1, 64), P(2, 2), NONE, ZERO, ONE, 0), PROBE_ERROR, NULL,
           "non-empty 3D or 4D (batch mode) tensor expected for input");
    /* torch: nn.MaxPool2d(2)(torch.rand(1, 3, 8, 8, 8)) */
    RAISES(maxpool(SHAPE(1, 3, 8, 8, 8), P(2, 2), NONE, ZERO, ONE, 0), PROBE_ERROR, NULL,
           "non-empty 3D or 4D (batch mode) tensor expected for input");
    /* avg_pool2d reads input.size(-3) first */
    /* torch: nn.AvgPool2d(2)(torch.rand(1, 64)) */
    RAISES(avgpool(SHAPE(1, 64), P(2, 2), NONE, ZERO, 0), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
    /* torch: nn.AvgPool2d(2)(torch.rand(64)) */
    RAISES(avgpool(SHAPE(64), P(2, 2), NONE, ZERO, 0), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-1, 0], but got -3)");
    /* torch: nn.AvgPool2d(2)(torch.rand(1, 2, 3, 4, 4)) */
    RAISES(avgpool(SHAPE(1, 2, 3, 4, 4), P(2, 2), NONE, ZERO, 0), PROBE_ERROR, NULL,
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 2, 3, 4, 4]");
    /* torch: nn.LPPool2d(2, 3)(torch.rand(1, 64)) */
    RAISES(lppool(SHAPE(1, 64), P(3, 3), NONE, 0), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
}

static void pool_refusals(void **state)
{
    /* pooling_output_shape checks the height before the width */
    /* torch: nn.MaxPool2d((3, 5), padding=(2, 2))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(3, 5), NONE, P(2, 2), ONE), "padding",
            "pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
    /* torch: nn.MaxPool2d((5, 3), padding=(2, 2))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(5, 3), NONE, P(2, 2), ONE), "padding",
            "pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
    /* torch: nn.MaxPool2d((2, 4), padding=(3, 3))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(2, 4), NONE, P(3, 3), ONE), "padding",
            "pad should be at most half of kernel size, but got pad=3 and kernel_size=2");
    /* torch: nn.AvgPool2d((2, 6), padding=(3, 1))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_avgpool(P(2, 6), NONE, P(3, 1), PROBE_NONE), "padding",
            "pad should be at most half of kernel size, but got pad=3 and kernel_size=2");
    /* torch: nn.MaxPool2d(3, padding=(0, -2))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(3, 3), NONE, P(0, -2), ONE), "padding", "pad must be non-negative, but got pad: -2");
    /* torch: nn.MaxPool2d(3, padding=(-1, -2))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(3, 3), NONE, P(-1, -2), ONE), "padding", "pad must be non-negative, but got pad: -1");
    /* torch: nn.MaxPool2d(3, stride=(2, 0))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(3, 3), P(2, 0), ZERO, ONE), "stride", "stride should not be zero");
    /* a kernel of 0 is also the default stride */
    /* torch: nn.MaxPool2d(0)(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(0, 0), NONE, ZERO, ONE), "kernel_size", "stride should not be zero");
    /* torch: nn.MaxPool2d((0, 2), stride=1)(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(0, 2), ONE, ZERO, ONE), "kernel_size", "kernel size should be greater than zero, but got kH: 0 kW: 2");
    /* torch: nn.AvgPool2d(2, stride=(2, -1))(torch.rand(1, 3, 4, 4)) */
    INVALID(new_avgpool(P(2, 2), P(2, -1), ZERO, PROBE_NONE), "stride",
            "stride should be greater than zero, but got dH: 2 dW: -1");
    /* torch: nn.MaxPool2d(2, dilation=(1, 0))(torch.rand(1, 3, 8, 8)) */
    INVALID(new_maxpool(P(2, 2), NONE, ZERO, P(1, 0)), "dilation",
            "dilation should be greater than zero, but got dilationH: 1 dilationW: 0");
    /* torch: nn.AvgPool2d(2, divisor_override=0)(torch.ones(1, 1, 4, 4)) */
    INVALID(new_avgpool(P(2, 2), NONE, ZERO, 0), "divisor_override", "divisor must be not zero");
    ctx_reset(&cx);
    /* torch: nn.LPPool2d(2, 2, stride=0)(torch.rand(1, 3, 4, 4)) */
    probe_ints k2 = SZ(P(2, 2)), s0 = SZ(ZERO);
    INVALID(lp_pool2d(&cx, NULL, 2.0, &k2, &s0, 0), "stride", "stride should not be zero");
    /* pad == kernel / 2 is allowed */
    BUILDS(new_maxpool(P(2, 2), NONE, P(1, 1), ONE));
    BUILDS(new_avgpool(P(3, 3), NONE, P(1, 1), 3));
}

/* ---- adaptive pools ------------------------------------------------------------- */

static void adaptive_output_size(void **state)
{
    /* torch: nn.AdaptiveAvgPool2d((None, 7))(torch.rand(1, 3, 5, 9)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 3, 5, 9), INTS(PROBE_NONE, 7)), 1, 3, 5, 7);
    /* torch: nn.AdaptiveMaxPool2d((4, None))(torch.rand(1, 3, 5, 9)) */
    OK_SHAPE(adaptive_max(SHAPE(1, 3, 5, 9), INTS(4, PROBE_NONE)), 1, 3, 4, 9);
    /* torch: nn.AdaptiveAvgPool2d((6, 6))(torch.rand(1, 3, 2, 3)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 3, 2, 3), INTS(6, 6)), 1, 3, 6, 6);
    /* torch: nn.AdaptiveMaxPool2d(7)(torch.rand(1, 3, 1, 1)) */
    OK_SHAPE(adaptive_max(SHAPE(1, 3, 1, 1), INTS(7)), 1, 3, 7, 7);
    /* torch: nn.AdaptiveAvgPool2d(0)(torch.rand(1, 3, 5, 5)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 3, 5, 5), INTS(0)), 1, 3, 0, 0);
    /* torch: nn.AdaptiveAvgPool2d(7)(torch.rand(1, 0, 5, 5)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 0, 5, 5), INTS(7)), 1, 0, 7, 7);
    /* torch: nn.AdaptiveMaxPool2d(3)(torch.rand(0, 3, 5)) */
    OK_SHAPE(adaptive_max(SHAPE(0, 3, 5), INTS(3)), 0, 3, 3);
}

static void adaptive_one_by_one_is_a_mean(void **state)
{
    /* ATen takes the mean over the last two dims: any rank from 2 up, empty too */
    /* torch: nn.AdaptiveAvgPool2d(1)(torch.rand(1, 64)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 64), INTS(1)), 1, 1);
    /* torch: nn.AdaptiveAvgPool2d(1)(torch.rand(1, 2, 3, 4, 5)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 2, 3, 4, 5), INTS(1)), 1, 2, 3, 1, 1);
    /* torch: nn.AdaptiveAvgPool2d(1)(torch.rand(1, 3, 0, 5)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 3, 0, 5), INTS(1)), 1, 3, 1, 1);
    /* torch: nn.AdaptiveAvgPool2d((None, 1))(torch.rand(1, 3, 1, 5)) */
    OK_SHAPE(adaptive_avg(SHAPE(1, 3, 1, 5), INTS(PROBE_NONE, 1)), 1, 3, 1, 1);
    /* torch: nn.AdaptiveAvgPool2d(1)(torch.rand(64)) */
    RAISES(adaptive_avg(SHAPE(64), INTS(1)), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-1, 0], but got -2)");
    /* a pair goes through _list_with_default, which wants 3 dims */
    /* torch: nn.AdaptiveAvgPool2d((1, 1))(torch.rand(1, 64)) */
    RAISES(adaptive_avg(SHAPE(1, 64), INTS(1, 1)), PROBE_ERROR, NULL, "Input dimension should be at least 3");
    /* torch: nn.AdaptiveMaxPool2d(1)(torch.rand(1, 64)) */
    RAISES(adaptive_max(SHAPE(1, 64), INTS(1)), PROBE_ERROR, NULL,
           "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [1, 64]");
}

static void adaptive_errors(void **state)
{
    /* torch: nn.AdaptiveAvgPool2d(7)(torch.rand(1, 64)) */
    RAISES(adaptive_avg(SHAPE(1, 64), INTS(7)), PROBE_ERROR, NULL, "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [1, 64]");
    /* torch: nn.AdaptiveAvgPool2d(7)(torch.rand(1, 2, 3, 5, 5)) */
    RAISES(adaptive_avg(SHAPE(1, 2, 3, 5, 5), INTS(7)), PROBE_ERROR, NULL,
           "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [1, 2, 3, 5, 5]");
    /* the max pool's message has a colon */
    /* torch: nn.AdaptiveMaxPool2d(2)(torch.rand(4, 8)) */
    RAISES(adaptive_max(SHAPE(4, 8), INTS(2)), PROBE_ERROR, NULL, "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [4, 8]");
    /* torch: nn.AdaptiveMaxPool2d((7, 7))(torch.rand(1, 64)) */
    RAISES(adaptive_max(SHAPE(1, 64), INTS(7, 7)), PROBE_ERROR, NULL, "Input dimension should be at least 3");
    /* torch: nn.AdaptiveAvgPool2d(7)(torch.rand(2, 4, 6, 0)) */
    RAISES(adaptive_avg(SHAPE(2, 4, 6, 0), INTS(7)), PROBE_TOO_SMALL, NULL,
           "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [2, 4, 6, 0] with dimension 3 being empty");
    /* torch: nn.AdaptiveMaxPool2d(7)(torch.rand(1, 3, 0, 5)) */
    RAISES(adaptive_max(SHAPE(1, 3, 0, 5), INTS(7)), PROBE_TOO_SMALL, NULL,
           "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 0, 5] with dimension 2 being empty");
    /* torch: nn.AdaptiveMaxPool2d(7)(torch.rand(1, 0, 5, 5)) */
    RAISES(adaptive_max(SHAPE(1, 0, 5, 5), INTS(7)), PROBE_ERROR, NULL,
           "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 0, 5, 5] with dimension 1 being empty");
}

static void adaptive_refusals(void **state)
{
    probe_ints size = INTS(1, 2, 3);
    ctx_reset(&cx);
    /* torch: nn.AdaptiveAvgPool2d((1, 2, 3))(torch.rand(1, 3, 5, 5)) */
    INVALID(adaptive_avg_pool2d(&cx, NULL, &size), "output_size", "adaptive_avg_pool2d: output_size must be 2");
    ctx_reset(&cx);
    /* torch: nn.AdaptiveMaxPool2d((1, 2, 3))(torch.rand(1, 3, 4, 5)) */
    INVALID(adaptive_max_pool2d(&cx, NULL, &size, 0), "output_size", "adaptive_max_pool2d(): internal error: output_size.size() must be 2");
    size = INTS(-1);
    ctx_reset(&cx);
    /* torch: nn.AdaptiveAvgPool2d(-1)(torch.rand(1, 3, 5, 5)) */
    INVALID(adaptive_avg_pool2d(&cx, NULL, &size), "output_size",
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, -1}");
    size = INTS(-2, -1);
    ctx_reset(&cx);
    /* torch: nn.AdaptiveAvgPool2d((-2, -1))(torch.rand(1, 3, 4, 5)) */
    INVALID(adaptive_avg_pool2d(&cx, NULL, &size), "output_size",
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-2, -1}");
    size = INTS(PROBE_NONE, -1);
    ctx_reset(&cx);
    /* probe: None stays None in the text; the input would fill it in */
    /* torch: nn.AdaptiveAvgPool2d((None, -1))(torch.rand(1, 3, 4, 5)) */
    INVALID(adaptive_avg_pool2d(&cx, NULL, &size), "output_size",
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {None, -1}");
    size = INTS(-1);
    ctx_reset(&cx);
    /* torch: nn.AdaptiveMaxPool2d(-1)(torch.rand(1, 3, 5, 5)) */
    INVALID(adaptive_max_pool2d(&cx, NULL, &size, 0), "output_size",
            "adaptive_max_pool2d: output_size must be greater than or equal to 0, but got -1 (PyTorch fails to create a tensor with negative dimension -1)");
    size = INTS(PROBE_NONE, 0);
    ctx_reset(&cx);
    BUILDS(adaptive_max_pool2d(&cx, NULL, &size, 0));
}

/* ---- FractionalMaxPool2d --------------------------------------------------------- */

static void fractional_output(void **state)
{
    static const probe_fpair half = { 0.5, 0.5 }, mixed = { 0.5, 0.7 }, tiny = { 0.05, 0.05 };
    probe_tensor x = SHAPE(1, 3, 10, 10);
    /* torch: nn.FractionalMaxPool2d(3, output_size=5)(torch.rand(1, 3, 10, 10)) */
    OK_SHAPE(fractional(&x, P(3, 3), P(5, 5), NO_RATIO), 1, 3, 5, 5);
    x = SHAPE(1, 3, 7, 7);
    /* torch: nn.FractionalMaxPool2d(3, output_size=5)(torch.rand(1, 3, 7, 7)) */
    OK_SHAPE(fractional(&x, P(3, 3), P(5, 5), NO_RATIO), 1, 3, 5, 5);
    /* int(H * ratio) */
    x = SHAPE(1, 3, 10, 11);
    /* torch: nn.FractionalMaxPool2d(3, output_ratio=0.5)(torch.rand(1, 3, 10, 11)) */
    OK_SHAPE(fractional(&x, P(3, 3), NONE, half), 1, 3, 5, 5);
    x = SHAPE(1, 3, 10, 10);
    /* torch: nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.7))(torch.rand(1, 3, 10, 10)) */
    OK_SHAPE(fractional(&x, P(3, 3), NONE, mixed), 1, 3, 5, 7);
    /* torch: nn.FractionalMaxPool2d(3, output_ratio=0.05)(torch.rand(1, 3, 10, 10)) */
    OK_SHAPE(fractional(&x, P(3, 3), NONE, tiny), 1, 3, 0, 0);
    x = SHAPE(3, 10, 10);
    /* torch: nn.FractionalMaxPool2d(3, output_size=5)(torch.rand(3, 10, 10)) */
    OK_SHAPE(fractional(&x, P(3, 3), P(5, 5), NO_RATIO), 3, 5, 5);
    /* no kernel size is checked */
    x = SHAPE(1, 3, 4, 4);
    /* torch: nn.FractionalMaxPool2d(0, output_size=1)(torch.rand(1, 3, 4, 4)) */
    OK_SHAPE(fractional(&x, P(0, 0), P(1, 1), NO_RATIO), 1, 3, 1, 1);
}

static void fractional_errors(void **state)
{
    static const probe_fpair half = { 0.5, 0.5 };
    probe_tensor x = SHAPE(1, 3, 6, 10);
    /* torch: nn.FractionalMaxPool2d(2, output_size=(8, 4))(torch.rand(1, 3, 6, 10)) */
    RAISES(fractional(&x, P(2, 2), P(8, 4), NO_RATIO), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool2d(): pool height 2 too large relative to input height 6");
    x = SHAPE(1, 3, 7, 6);
    /* torch: nn.FractionalMaxPool2d(3, output_size=5)(torch.rand(1, 3, 7, 6)) */
    RAISES(fractional(&x, P(3, 3), P(5, 5), NO_RATIO), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool2d(): pool width 3 too large relative to input width 6");
    x = SHAPE(1, 64);
    /* torch: nn.FractionalMaxPool2d(3, output_size=5)(torch.rand(1, 64)) */
    RAISES(fractional(&x, P(3, 3), P(5, 5), NO_RATIO), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
    x = SHAPE(4);
    /* torch: nn.FractionalMaxPool2d(2, output_ratio=0.5)(torch.rand(4)) */
    RAISES(fractional(&x, P(2, 2), NONE, half), PROBE_ERROR, NULL,
           "Dimension out of range (expected to be in range of [-1, 0], but got -2)");
    x = SHAPE(1, 3, 4, 4, 4);
    /* torch: nn.FractionalMaxPool2d(2, output_size=1)(torch.rand(1, 3, 4, 4, 4)) */
    RAISES(fractional(&x, P(2, 2), P(1, 1), NO_RATIO), PROBE_ERROR, NULL,
           "fractional_max_pool2d(): Expected 3D or 4D tensor, but got: [1, 3, 4, 4, 4]");
    x = SHAPE(1, 3, 0, 4);
    /* torch: nn.FractionalMaxPool2d(2, output_size=1)(torch.rand(1, 3, 0, 4)) */
    RAISES(fractional(&x, P(2, 2), P(1, 1), NO_RATIO), PROBE_TOO_SMALL, NULL,
           "fractional_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but got[1, 3, 0, 4] with dimension 2 being empty.");
}

static void fractional_refusals(void **state)
{
    static const probe_fpair half = { 0.5, 0.5 }, big = { 1.5, 1.5 }, pair = { 0.5, 1.0 };
    /* torch: nn.FractionalMaxPool2d(3) */
    INVALID(fractional(NULL, P(3, 3), NONE, NO_RATIO), NULL,
            "FractionalMaxPool2d requires specifying either an output size, or a pooling ratio");
    /* torch: nn.FractionalMaxPool2d(3, output_size=5, output_ratio=0.5) */
    INVALID(fractional(NULL, P(3, 3), P(5, 5), half), "output_ratio", "only one of output_size and output_ratio may be specified");
    /* torch: nn.FractionalMaxPool2d(3, output_ratio=1.5) */
    INVALID(fractional(NULL, P(3, 3), NONE, big), "output_ratio", "output_ratio must be between 0 and 1 (got 1.5)");
    /* torch: nn.FractionalMaxPool2d(3, output_ratio=(0.5, 1.0)) */
    INVALID(fractional(NULL, P(3, 3), NONE, pair), "output_ratio", "output_ratio must be between 0 and 1 (got (0.5, 1.0))");
    /* torch: nn.FractionalMaxPool2d(2, output_size=-1)(torch.rand(1, 3, 10, 10)) */
    INVALID(fractional(NULL, P(2, 2), P(-1, -1), NO_RATIO), "output_size",
            "FractionalMaxPool2d output_size must not be negative, got (-1, -1) (PyTorch fails to create the output tensor)");
    BUILDS(fractional(NULL, P(2, 2), NONE, half));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_output_size),
        cmocka_unit_test(pool_ceil_mode),
        cmocka_unit_test(pool_too_small),
        cmocka_unit_test(pool_input_rank),
        cmocka_unit_test(pool_refusals),
        cmocka_unit_test(adaptive_output_size),
        cmocka_unit_test(adaptive_one_by_one_is_a_mean),
        cmocka_unit_test(adaptive_errors),
        cmocka_unit_test(adaptive_refusals),
        cmocka_unit_test(fractional_output),
        cmocka_unit_test(fractional_errors),
        cmocka_unit_test(fractional_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
