/* test_ops_nd.c - the rank-specific layers that are not convolutions or
 * pools (test_ops_rank.c has those): BatchNorm1d/3d, InstanceNorm1d/3d,
 * Dropout1d/3d, the 1-D and 3-D padding layers and Upsample on 3-D and
 * 5-D inputs. Every expectation
 * comes from a PyTorch 1.13 run of the expression in the comment above
 * it (the norms in eval mode). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops/ops.h"

#include "ops_check.h"

/* ---- normalization ----------------------------------------------------------- */

typedef int (*norm_fn)(probe_ctx *, probe_tensor *, int64_t, double, double, int, int);

static int norm(norm_fn fn, probe_tensor in, int64_t features, int affine, int stats)
{
    ctx_reset(&cx);
    out = in;
    return fn(&cx, &out, features, 1e-5, 0.1, affine, stats);
}

static void batch_norm_ranks(void **state)
{
    (void)state;
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(1, 5)): after a Linear, on running stats */
    OK_SHAPE(norm(batch_norm1d, SHAPE(1, 5), 5, 1, 1), 1, 5);
    /* sum(p.numel() for p in nn.BatchNorm1d(5).parameters()) == 10 */
    assert_int_equal(cx.params, 10);
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(2, 5, 7)) */
    OK_SHAPE(norm(batch_norm1d, SHAPE(2, 5, 7), 5, 1, 1), 2, 5, 7);
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(2, 5, 3, 3)) */
    RAISES(norm(batch_norm1d, SHAPE(2, 5, 3, 3), 5, 1, 1), PROBE_ERROR, NULL, "expected 2D or 3D input (got 4D input)");
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(5)) */
    RAISES(norm(batch_norm1d, SHAPE(5), 5, 1, 1), PROBE_ERROR, NULL, "expected 2D or 3D input (got 1D input)");
    /* torch: nn.BatchNorm1d(5, track_running_stats=False).eval()(torch.rand(1, 5)) */
    RAISES(norm(batch_norm1d, SHAPE(1, 5), 5, 1, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size torch.Size([1, 5])");
    /* torch: nn.BatchNorm1d(5, track_running_stats=False).eval()(torch.rand(1, 5, 2)) */
    OK_SHAPE(norm(batch_norm1d, SHAPE(1, 5, 2), 5, 1, 0), 1, 5, 2);
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(2, 4, 7)) */
    MISMATCH(norm(batch_norm1d, SHAPE(2, 4, 7), 5, 1, 1), "num_features", 4, "running_mean should contain 4 elements not 5");
    /* torch: nn.BatchNorm1d(5, affine=False, track_running_stats=False).eval()(torch.rand(2, 4, 7)) */
    OK_SHAPE(norm(batch_norm1d, SHAPE(2, 4, 7), 5, 0, 0), 2, 4, 7);
    /* torch: nn.BatchNorm1d(5).eval()(torch.rand(2, 0)): an empty input */
    OK_SHAPE(norm(batch_norm1d, SHAPE(2, 0), 5, 1, 1), 2, 0);
    /* torch: nn.BatchNorm3d(5).eval()(torch.rand(2, 5, 3, 3)) */
    RAISES(norm(batch_norm3d, SHAPE(2, 5, 3, 3), 5, 1, 1), PROBE_ERROR, NULL, "expected 5D input (got 4D input)");
    /* torch: nn.BatchNorm3d(5).eval()(torch.rand(2, 4, 3, 3, 3)) */
    MISMATCH(norm(batch_norm3d, SHAPE(2, 4, 3, 3, 3), 5, 1, 1), "num_features", 4, "running_mean should contain 4 elements not 5");
    /* torch: nn.BatchNorm3d(5, track_running_stats=False).eval()(torch.rand(1, 5, 1, 1, 1)) */
    RAISES(norm(batch_norm3d, SHAPE(1, 5, 1, 1, 1), 5, 1, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size torch.Size([1, 5, 1, 1, 1])");
    /* torch: nn.BatchNorm3d(5).eval()(torch.rand(2, 4, 0, 1, 1)) */
    OK_SHAPE(norm(batch_norm3d, SHAPE(2, 4, 0, 1, 1), 5, 1, 1), 2, 4, 0, 1, 1);
    ctx_reset(&cx);
    /* torch: nn.BatchNorm1d(-1) */
    INVALID(batch_norm1d(&cx, NULL, -1, 1e-5, 0.1, 1, 1), "num_features", "Trying to create tensor with negative dimension -1: [-1]");
    ctx_reset(&cx);
    out = SHAPE(2, 4);
    /* the Lazy layer is run with the guess 0 and repaired from what
     * torch: nn.BatchNorm1d(0).eval()(torch.rand(2, 4)) says */
    MISMATCH(lazy_batch_norm1d(&cx, &out, 1e-5, 0.1, 1, 1, 0), "num_features", 4, "running_mean should contain 4 elements not 0");
}

static void instance_norm_ranks(void **state)
{
    (void)state;
    /* torch: nn.InstanceNorm1d(5).eval()(torch.rand(5, 7)): unbatched */
    OK_SHAPE(norm(instance_norm1d, SHAPE(5, 7), 5, 0, 0), 5, 7);
    /* torch: nn.InstanceNorm1d(5).eval()(torch.rand(5)) */
    RAISES(norm(instance_norm1d, SHAPE(5), 5, 0, 0), PROBE_ERROR, NULL, "expected 2D or 3D input (got 1D input)");
    /* torch: nn.InstanceNorm1d(5).eval()(torch.rand(2, 5, 7, 7)) */
    RAISES(norm(instance_norm1d, SHAPE(2, 5, 7, 7), 5, 0, 0), PROBE_ERROR, NULL, "expected 2D or 3D input (got 4D input)");
    /* torch: nn.InstanceNorm1d(5).eval()(torch.rand(5, 1)) */
    RAISES(norm(instance_norm1d, SHAPE(5, 1), 5, 0, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 spatial element when training, got input size torch.Size([1, 5, 1])");
    /* torch: nn.InstanceNorm1d(5, affine=True).eval()(torch.rand(2, 4, 7)) */
    MISMATCH(norm(instance_norm1d, SHAPE(2, 4, 7), 5, 1, 0), "num_features", 4, "weight should contain 8 elements not 10");
    /* torch: nn.InstanceNorm1d(5, track_running_stats=True).eval()(torch.rand(2, 4, 1)): the stats before the size */
    MISMATCH(norm(instance_norm1d, SHAPE(2, 4, 1), 5, 0, 1), "num_features", 4, "running_mean should contain 8 elements not 10");
    /* torch: nn.InstanceNorm1d(5, track_running_stats=True).eval()(torch.rand(0, 4, 7)) */
    MISMATCH(norm(instance_norm1d, SHAPE(0, 4, 7), 5, 0, 1), "num_features", 4,
             "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0");
    /* torch: nn.InstanceNorm1d(5, track_running_stats=True).eval()(torch.rand(2, 4, 0)) */
    MISMATCH(norm(instance_norm1d, SHAPE(2, 4, 0), 5, 0, 1), "num_features", 4, "shape '[2, 4]' is invalid for input of size 10");
    /* torch: nn.InstanceNorm3d(5).eval()(torch.rand(5, 3, 3, 3)) */
    OK_SHAPE(norm(instance_norm3d, SHAPE(5, 3, 3, 3), 5, 0, 0), 5, 3, 3, 3);
    /* torch: nn.InstanceNorm3d(5).eval()(torch.rand(3, 3, 3)) */
    RAISES(norm(instance_norm3d, SHAPE(3, 3, 3), 5, 0, 0), PROBE_ERROR, NULL, "expected 4D or 5D input (got 3D input)");
    /* torch: nn.InstanceNorm3d(5).eval()(torch.rand(2, 5, 1, 1, 1)) */
    RAISES(norm(instance_norm3d, SHAPE(2, 5, 1, 1, 1), 5, 0, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 spatial element when training, got input size torch.Size([2, 5, 1, 1, 1])");
    /* torch: nn.InstanceNorm3d(5, affine=True).eval()(torch.rand(2, 4, 3, 3, 3)) */
    MISMATCH(norm(instance_norm3d, SHAPE(2, 4, 3, 3, 3), 5, 1, 0), "num_features", 4, "weight should contain 8 elements not 10");
    /* torch: nn.InstanceNorm3d(5, track_running_stats=True).eval()(torch.rand(2, 4, 0, 3, 3)) */
    MISMATCH(norm(instance_norm3d, SHAPE(2, 4, 0, 3, 3), 5, 0, 1), "num_features", 4, "shape '[2, 4]' is invalid for input of size 10");
}

/* --explain names each rank's dimensions */
static void norm_explain_per_rank(void **state)
{
    (void)state;
    sb text;
    sb_init(&text);
    ctx_reset(&cx);
    cx.explain = &text;
    out = SHAPE(2, 5, 7);
    /* nn.BatchNorm1d(5) on [2, 5, 7]: the statistics of each channel over N*L = 14 values */
    assert_int_equal(batch_norm1d(&cx, &out, 5, 1e-5, 0.1, 1, 1), 0);
    out = SHAPE(4, 3, 3, 3);
    assert_int_equal(instance_norm3d(&cx, &out, 4, 1e-5, 0.1, 0, 0), 0);
    out = SHAPE(1, 5);
    assert_int_equal(batch_norm1d(&cx, &out, 5, 1e-5, 0.1, 1, 1), 0);
    char *got = sb_take(&text);
    assert_string_equal(got,
                        "normalizes each of C = 5 channels over N*L = 2*7 = 14 values; needs num_features = C = 5\n"
                        "normalizes each sample's C = 4 channels over D*H*W = 3*3*3 = 27 values\n"
                        "normalizes each of C = 5 channels over N = 1 value; needs num_features = C = 5\n");
    free(got);
}

/* ---- dropout ----------------------------------------------------------------- */

static void dropout_ranks(void **state)
{
    (void)state;
    ctx_reset(&cx);
    out = SHAPE(5, 7);
    /* torch: nn.Dropout1d().eval()(torch.rand(5, 7)) */
    OK_SHAPE(dropout1d(&cx, &out, 0.5, 0), 5, 7);
    ctx_reset(&cx);
    out = SHAPE(2, 5, 7, 7);
    /* torch: nn.Dropout1d().eval()(torch.rand(2, 5, 7, 7)) */
    RAISES(dropout1d(&cx, &out, 0.5, 0), PROBE_ERROR, NULL,
           "dropout1d: Expected 2D or 3D input, but received a 4D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).");
    ctx_reset(&cx);
    /* torch: nn.Dropout1d(1.5) */
    INVALID(dropout1d(&cx, NULL, 1.5, 0), "p", "dropout probability has to be between 0 and 1, but got 1.5");
}

/* ---- padding ----------------------------------------------------------------- */

typedef int (*pad_fn)(probe_ctx *, probe_tensor *, const probe_ints *);

static int constant_pad(int rank, probe_tensor in, probe_ints padding)
{
    ctx_reset(&cx);
    out = in;
    return (rank == 1 ? constant_pad1d : constant_pad3d)(&cx, &out, &padding, 0.0);
}

static int pad_with(pad_fn fn, probe_tensor in, probe_ints padding)
{
    ctx_reset(&cx);
    out = in;
    return fn(&cx, &out, &padding);
}

static void constant_pads(void **state)
{
    (void)state;
    /* torch: nn.ConstantPad1d(2, 0.)(torch.rand(1, 3, 5)) */
    OK_SHAPE(constant_pad(1, SHAPE(1, 3, 5), INTS(2)), 1, 3, 9);
    /* torch: nn.ConstantPad1d((1, 2, 3, 4), 0.)(torch.rand(1, 3, 5)): the layer passes any length on */
    OK_SHAPE(constant_pad(1, SHAPE(1, 3, 5), INTS(1, 2, 3, 4)), 1, 10, 8);
    /* torch: nn.ConstantPad1d(-3, 0.)(torch.rand(1, 3, 5)) */
    RAISES(constant_pad(1, SHAPE(1, 3, 5), INTS(-3)), PROBE_TOO_SMALL, "padding", "start (0) + length (-1) exceeds dimension size (2).");
    /* torch: nn.ConstantPad3d(1, 0.)(torch.rand(5, 5)) */
    RAISES(constant_pad(3, SHAPE(5, 5), INTS(1)), PROBE_ERROR, "padding", "Padding length too large");
    /* torch: nn.ConstantPad3d((1, 2, 3, 4, 5, 6), 0.)(torch.rand(1, 3, 5, 5, 5)) */
    OK_SHAPE(constant_pad(3, SHAPE(1, 3, 5, 5, 5), INTS(1, 2, 3, 4, 5, 6)), 1, 3, 16, 12, 8);
}

static void reflection_pads(void **state)
{
    (void)state;
    /* torch: nn.ReflectionPad1d(2)(torch.rand(3, 5)) */
    OK_SHAPE(pad_with(reflection_pad1d, SHAPE(3, 5), INTS(2)), 3, 9);
    /* torch: nn.ReflectionPad1d(5)(torch.rand(1, 3, 5)) */
    RAISES(pad_with(reflection_pad1d, SHAPE(1, 3, 5), INTS(5)), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (5, 5) at dimension 2 of input [1, 3, 5]");
    /* torch: nn.ReflectionPad1d(2)(torch.rand(5)) */
    RAISES(pad_with(reflection_pad1d, SHAPE(5), INTS(2)), PROBE_ERROR, "padding",
           "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    /* torch: nn.ReflectionPad1d((1, 2, 3, 4))(torch.rand(1, 3, 5, 5)) */
    OK_SHAPE(pad_with(reflection_pad1d, SHAPE(1, 3, 5, 5), INTS(1, 2, 3, 4)), 1, 3, 12, 8);
    /* torch: nn.ReflectionPad3d(1)(torch.rand(3, 4, 5, 6)) */
    OK_SHAPE(pad_with(reflection_pad3d, SHAPE(3, 4, 5, 6), INTS(1)), 3, 6, 7, 8);
    /* torch: nn.ReflectionPad3d((1, 1, 5, 1, 1, 1))(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(1, 1, 5, 1, 1, 1)), PROBE_TOO_SMALL, "padding",
           "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (5, 1) at dimension 3 of input [1, 3, 4, 5, 6]");
    /* torch: nn.ReflectionPad3d(4)(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(4)), PROBE_TOO_SMALL, "padding",
           "Argument #8: Padding size should be less than the corresponding input dimension, but got: padding (4, 4) at dimension 2 of input [1, 3, 4, 5, 6]");
    /* torch: nn.ReflectionPad3d(-3)(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(-3)), PROBE_TOO_SMALL, "padding",
           "input (D: 4 H: 5, W: 6) is too small. Calculated output D: -2 H: -1 W: 0");
    /* torch: nn.ReflectionPad3d((-3, -3, 0, 0, 0, 0))(torch.rand(1, 3, 4, 5, 6)): one empty size is fine */
    OK_SHAPE(pad_with(reflection_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(-3, -3, 0, 0, 0, 0)), 1, 3, 4, 5, 0);
    /* torch: nn.ReflectionPad3d((-4, -4, 0, 0, 0, 0))(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(-4, -4, 0, 0, 0, 0)), PROBE_TOO_SMALL, "padding",
           "Trying to create tensor with negative dimension -2: [1, 3, 4, 5, -2]");
    /* torch: nn.ReflectionPad3d(1)(torch.rand(4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(4, 5, 6), INTS(1)), PROBE_ERROR, "padding",
           "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    /* torch: nn.ReflectionPad3d(1)(torch.rand(1, 0, 4, 5, 6)) */
    RAISES(pad_with(reflection_pad3d, SHAPE(1, 0, 4, 5, 6), INTS(1)), PROBE_ERROR, "padding",
           "Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [1, 0, 4, 5, 6]");
}

static void replication_pads(void **state)
{
    (void)state;
    /* torch: nn.ReplicationPad1d(9)(torch.rand(1, 3, 4)): no limit but the output's */
    OK_SHAPE(pad_with(replication_pad1d, SHAPE(1, 3, 4), INTS(9)), 1, 3, 22);
    /* torch: nn.ReplicationPad1d((-2, -2))(torch.rand(1, 3, 4)) */
    RAISES(pad_with(replication_pad1d, SHAPE(1, 3, 4), INTS(-2, -2)), PROBE_TOO_SMALL, "padding",
           "input (W: 4) is too small. Calculated output W: 0");
    /* torch: nn.ReplicationPad3d(1)(torch.rand(0, 3, 4, 5, 6)) */
    OK_SHAPE(pad_with(replication_pad3d, SHAPE(0, 3, 4, 5, 6), INTS(1)), 0, 3, 6, 7, 8);
    /* torch: nn.ReplicationPad3d(1)(torch.rand(1, 3, 0, 5, 6)) */
    RAISES(pad_with(replication_pad3d, SHAPE(1, 3, 0, 5, 6), INTS(1)), PROBE_TOO_SMALL, "padding",
           "Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [1, 3, 0, 5, 6]");
    /* torch: nn.ReplicationPad3d((0, 0, -4, -4, 0, 0))(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(replication_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(0, 0, -4, -4, 0, 0)), PROBE_TOO_SMALL, "padding",
           "Trying to create tensor with negative dimension -3: [1, 3, 4, -3, 6]");
    /* torch: nn.ReplicationPad3d(-6)(torch.rand(1, 3, 4, 5, 6)) */
    RAISES(pad_with(replication_pad3d, SHAPE(1, 3, 4, 5, 6), INTS(-6)), PROBE_TOO_SMALL, "padding",
           "input (D: 4 H: 5, W: 6) is too small. Calculated output D: -8 H: -7 W: -6");
    /* torch: nn.ReplicationPad3d((1, 1, 1, 1, 1, 1, 1, 1))(torch.rand(1, 3, 4, 4)) raises NotImplementedError
     * on every input, as no kernel pads 4 dimensions: probe refuses the layer */
    INVALID(pad_with(replication_pad3d, SHAPE(1, 3, 4, 4), INTS(1, 1, 1, 1, 1, 1, 1, 1)), "padding",
            "ReplicationPad3d takes padding as an int or a tuple of 2, 4 or 6 ints (left, right, top, bottom, front, back), got 8 values");
}

/* ---- Upsample on 3-D and 5-D inputs ------------------------------------------ */

static int up(probe_tensor in, probe_ints size, double scale, const char *mode, int align_corners)
{
    ctx_reset(&cx);
    out = in;
    return upsample(&cx, &out, &size, (probe_fpair){ scale, scale }, mode, align_corners, -1);
}

static void upsample_ranks(void **state)
{
    (void)state;
    const probe_ints no_size = { .n = -1 };
    /* torch: nn.Upsample(scale_factor=2, mode='linear')(torch.rand(1, 3, 5)) */
    OK_SHAPE(up(SHAPE(1, 3, 5), no_size, 2, "linear", -1), 1, 3, 10);
    /* torch: nn.Upsample(scale_factor=2, mode='trilinear')(torch.rand(1, 3, 2, 4, 4)) */
    OK_SHAPE(up(SHAPE(1, 3, 2, 4, 4), no_size, 2, "trilinear", -1), 1, 3, 4, 8, 8);
    /* torch: nn.Upsample(scale_factor=1.5)(torch.rand(1, 3, 3, 5, 7)) */
    OK_SHAPE(up(SHAPE(1, 3, 3, 5, 7), no_size, 1.5, "nearest", -1), 1, 3, 4, 7, 10);
    /* torch: nn.Upsample(size=(2, 3, 4))(torch.rand(1, 3, 3, 5, 7)) */
    OK_SHAPE(up(SHAPE(1, 3, 3, 5, 7), INTS(2, 3, 4), NAN, "nearest", -1), 1, 3, 2, 3, 4);
    /* torch: nn.Upsample(size=9, mode='trilinear')(torch.rand(1, 3, 3, 5, 7)) */
    OK_SHAPE(up(SHAPE(1, 3, 3, 5, 7), INTS(9), NAN, "trilinear", -1), 1, 3, 9, 9, 9);
    /* torch: nn.Upsample(scale_factor=2, mode='area')(torch.rand(1, 3, 2, 4, 4)) */
    OK_SHAPE(up(SHAPE(1, 3, 2, 4, 4), no_size, 2, "area", -1), 1, 3, 4, 8, 8);
    /* torch: nn.Upsample(scale_factor=2, mode='bilinear')(torch.rand(1, 3, 2, 4, 4)) */
    RAISES(up(SHAPE(1, 3, 2, 4, 4), no_size, 2, "bilinear", -1), PROBE_ERROR, "mode", "Got 5D input, but bilinear mode needs 4D input");
    /* torch: nn.Upsample(scale_factor=2, mode='trilinear')(torch.rand(1, 3, 4)) */
    RAISES(up(SHAPE(1, 3, 4), no_size, 2, "trilinear", -1), PROBE_ERROR, "mode", "Got 3D input, but trilinear mode needs 5D input");
    /* torch: nn.Upsample(scale_factor=2, mode='linear')(torch.rand(1, 3, 2, 4, 4)) */
    RAISES(up(SHAPE(1, 3, 2, 4, 4), no_size, 2, "linear", -1), PROBE_ERROR, "mode", "Got 5D input, but linear mode needs 3D input");
    /* torch: nn.Upsample(scale_factor=2, mode='bicubic')(torch.rand(1, 3, 2, 4, 4)) */
    RAISES(up(SHAPE(1, 3, 2, 4, 4), no_size, 2, "bicubic", -1), PROBE_ERROR, "mode",
           "Input Error: Only 3D, 4D and 5D input Tensors supported (got 5D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got bicubic)");
    /* torch: nn.Upsample(scale_factor=3, mode='linear', align_corners=True)(torch.rand(3, 5)) */
    RAISES(up(SHAPE(3, 5), no_size, 3, "linear", 1), PROBE_ERROR, "mode",
           "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got linear)");
    /* torch: nn.Upsample(scale_factor=0.1)(torch.rand(1, 3, 5)) */
    RAISES(up(SHAPE(1, 3, 5), no_size, 0.1, "nearest", -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (W: 5) and output (W: 0)");
    /* torch: nn.Upsample(scale_factor=0.1, mode='trilinear')(torch.rand(1, 3, 20, 5, 20)) */
    RAISES(up(SHAPE(1, 3, 20, 5, 20), no_size, 0.1, "trilinear", -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (D: 20, H: 5, W: 20) output (D: 2, H: 0, W: 2)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_norm_ranks),
        cmocka_unit_test(instance_norm_ranks),
        cmocka_unit_test(norm_explain_per_rank),
        cmocka_unit_test(dropout_ranks),
        cmocka_unit_test(constant_pads),
        cmocka_unit_test(reflection_pads),
        cmocka_unit_test(replication_pads),
        cmocka_unit_test(upsample_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
