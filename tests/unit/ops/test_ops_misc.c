/* test_ops_misc.c - the shape functions of the other layers called
 * directly: Linear, Flatten, Unflatten, Upsample and its fixed forms,
 * PixelShuffle/PixelUnshuffle, the padding layers (F.pad), the activations
 * that check something, and the helpers they share. Every expectation
 * comes from a PyTorch 1.13 run of the expression in the comment above it
 * (modules in eval mode); "probe:" comments mark probe's own design. */
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

static const probe_fpair NO_SCALE = { NAN, NAN };
static const probe_ints NO_SIZE = { .n = -1 };

static int lin(probe_tensor *in, int64_t in_features, int64_t out_features)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return linear(&cx, in ? &out : NULL, in_features, out_features, 1);
}

static int flat(probe_tensor in, int64_t start, int64_t end)
{
    ctx_reset(&cx);
    out = in;
    return flatten(&cx, &out, start, end);
}

static int unflat(probe_tensor *in, int64_t dim, probe_ints sizes)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return unflatten(&cx, in ? &out : NULL, dim, &sizes);
}

static int up(probe_tensor *in, probe_ints size, probe_fpair scale, const char *mode, int align_corners, int recompute)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return upsample(&cx, in ? &out : NULL, &size, scale, mode, align_corners, recompute);
}

static probe_fpair S(double h, double w) { probe_fpair s = { h, w }; return s; }

static int shuffle(probe_tensor *in, int64_t r)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return pixel_shuffle(&cx, in ? &out : NULL, r);
}

static int unshuffle(probe_tensor *in, int64_t r)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return pixel_unshuffle(&cx, in ? &out : NULL, r);
}

/* which: 'z' ZeroPad2d, 'r' ReflectionPad2d, 'p' ReplicationPad2d, 'c' CircularPad2d */
static int pad(char which, probe_tensor *in, probe_ints padding)
{
    ctx_reset(&cx);
    if (in) out = *in;
    probe_tensor *x = in ? &out : NULL;
    switch (which) {
    case 'z': return zero_pad2d(&cx, x, &padding, 0.0);
    case 'r': return reflection_pad2d(&cx, x, &padding);
    case 'p': return replication_pad2d(&cx, x, &padding);
    default: return circular_pad2d(&cx, x, &padding);
    }
}

/* ---- Linear ---------------------------------------------------------------- */

static void linear_acts_on_the_last_dimension(void **state)
{
    probe_tensor x = SHAPE(1, 3, 4, 6);
    /* torch: nn.Linear(6, 5)(torch.rand(1, 3, 4, 6)) */
    OK_SHAPE(lin(&x, 6, 5), 1, 3, 4, 5);
    assert_int_equal(cx.params, 35);
    /* mat1 holds every leading dimension as rows */
    /* torch: nn.Linear(10, 5)(torch.rand(1, 3, 4, 6)) */
    MISMATCH(lin(&x, 10, 5), "in_features", 6, "mat1 and mat2 shapes cannot be multiplied (12x6 and 10x5)");
    x = SHAPE(2, 5, 8);
    /* torch: nn.Linear(32, 64)(torch.rand(2, 5, 8)) */
    MISMATCH(lin(&x, 32, 64), "in_features", 8, "mat1 and mat2 shapes cannot be multiplied (10x8 and 32x64)");
    x = SHAPE(1, 12);
    /* torch: nn.Linear(10, 5)(torch.rand(1, 12)) */
    MISMATCH(lin(&x, 10, 5), "in_features", 12, "mat1 and mat2 shapes cannot be multiplied (1x12 and 10x5)");
    x = SHAPE(12);
    /* torch: nn.Linear(10, 5)(torch.rand(12)) */
    MISMATCH(lin(&x, 10, 5), "in_features", 12, "mat1 and mat2 shapes cannot be multiplied (1x12 and 10x5)");
    /* torch: nn.Linear(12, 5)(torch.rand(12)) */
    OK_SHAPE(lin(&x, 12, 5), 5);
    x = SHAPE(1, 5);
    /* probe: `?` and LazyLinear pass 0 */
    /* torch: nn.Linear(0, 10)(torch.rand(1, 5)) */
    MISMATCH(lin(&x, 0, 10), "in_features", 5, "mat1 and mat2 shapes cannot be multiplied (1x5 and 0x10)");
    /* torch: nn.Linear(5, 0)(torch.rand(1, 5)) */
    OK_SHAPE(lin(&x, 5, 0), 1, 0);
    x = SHAPE(0);
    x.ndim = 0;
    /* torch: nn.Linear(1, 5)(torch.tensor(1.0)) */
    RAISES(lin(&x, 1, 5), PROBE_ERROR, NULL, "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
}

static void linear_refusals(void **state)
{
    /* torch: nn.Linear(-1, 3) */
    INVALID(lin(NULL, -1, 3), "in_features", "Trying to create tensor with negative dimension -1: [3, -1]");
    /* the weight is [out, in]: its first negative size is named */
    /* torch: nn.Linear(-5, -2) */
    INVALID(lin(NULL, -5, -2), "out_features", "Trying to create tensor with negative dimension -2: [-2, -5]");
    BUILDS(lin(NULL, 0, 10));
    ctx_reset(&cx);
    /* torch: nn.LazyLinear(-1)(torch.rand(1, 4)) */
    INVALID(lazy_linear(&cx, NULL, -1, 1, 0), "out_features", "Trying to create tensor with negative dimension -1: [-1, in_features]");
}

static void linear_sizes_that_overflow_are_marked(void **state)
{
    /* probe: the rows of mat1 do not fit int64 */
    probe_tensor x = SHAPE(INT64_C(1) << 32, INT64_C(1) << 32, 7);
    lin(&x, 10, 5);
    assert_true(cx.overflow);
    x = SHAPE(1, INT64_C(1) << 62);
    /* nor does the weight */
    lin(&x, INT64_C(1) << 62, 8);
    assert_true(cx.overflow);
}

/* ---- Flatten and Unflatten ---------------------------------------------------- */

static void flatten_dims(void **state)
{
    /* torch: nn.Flatten()(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(flat(SHAPE(1, 16, 4, 4), 1, -1), 1, 256);
    /* torch: nn.Flatten(0)(torch.rand(2, 16, 4, 4)) */
    OK_SHAPE(flat(SHAPE(2, 16, 4, 4), 0, -1), 512);
    /* torch: nn.Flatten(2, 3)(torch.rand(2, 16, 4, 4)) */
    OK_SHAPE(flat(SHAPE(2, 16, 4, 4), 2, 3), 2, 16, 16);
    /* torch: nn.Flatten(0, 2)(torch.rand(2, 3, 4, 5)) */
    OK_SHAPE(flat(SHAPE(2, 3, 4, 5), 0, 2), 24, 5);
    /* torch: nn.Flatten(1, 1)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(flat(SHAPE(1, 16, 4, 4), 1, 1), 1, 16, 4, 4);
    /* torch: nn.Flatten()(torch.rand(1, 0, 4, 4)) */
    OK_SHAPE(flat(SHAPE(1, 0, 4, 4), 1, -1), 1, 0);
    /* torch: nn.Flatten(4)(torch.rand(1, 16, 4, 4)) */
    RAISES(flat(SHAPE(1, 16, 4, 4), 4, -1), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
    /* torch: nn.Flatten(1, 7)(torch.rand(1, 16)) */
    RAISES(flat(SHAPE(1, 16), 1, 7), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-2, 1], but got 7)");
    /* torch: nn.Flatten(0, -6)(torch.rand(1, 16, 4, 4)) */
    RAISES(flat(SHAPE(1, 16, 4, 4), 0, -6), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-4, 3], but got -6)");
    /* torch: nn.Flatten(3, 1)(torch.rand(1, 16, 4, 4)) */
    RAISES(flat(SHAPE(1, 16, 4, 4), 3, 1), PROBE_ERROR, "start_dim", "flatten() has invalid args: start_dim cannot come after end_dim");
    /* torch: nn.Flatten()(torch.rand(16)) */
    RAISES(flat(SHAPE(16), 1, -1), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* a 0-dim tensor wraps its dims as one dimension, then becomes [1] */
    probe_tensor scalar = SHAPE(0);
    scalar.ndim = 0;
    /* torch: nn.Flatten()(torch.tensor(1.0)) */
    RAISES(flat(scalar, 1, -1), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* torch: nn.Flatten(0)(torch.tensor(1.0)) */
    OK_SHAPE(flat(scalar, 0, -1), 1);
}

static void unflatten_sizes(void **state)
{
    probe_tensor x = SHAPE(1, 16);
    /* torch: nn.Unflatten(1, (4, 4))(torch.rand(1, 16)) */
    OK_SHAPE(unflat(&x, 1, INTS(4, 4)), 1, 4, 4);
    /* torch: nn.Unflatten(1, (-1, 4))(torch.rand(1, 16)) */
    OK_SHAPE(unflat(&x, 1, INTS(-1, 4)), 1, 4, 4);
    /* torch: nn.Unflatten(-1, (2, 8))(torch.rand(1, 16)) */
    OK_SHAPE(unflat(&x, -1, INTS(2, 8)), 1, 2, 8);
    x = SHAPE(6, 4);
    /* torch: nn.Unflatten(0, (2, -1))(torch.rand(6, 4)) */
    OK_SHAPE(unflat(&x, 0, INTS(2, -1)), 2, 3, 4);
    x = SHAPE(1, 15, 3);
    /* torch: nn.Unflatten(1, (2, 2, 4))(torch.rand(1, 15, 3)) */
    RAISES(unflat(&x, 1, INTS(2, 2, 4)), PROBE_ERROR, "unflattened_size",
           "unflatten: Provided sizes [2, 2, 4] don't multiply up to the size of dim 1 (15) in the input tensor");
    x = SHAPE(2, 12);
    /* torch: nn.Unflatten(1, (-1, 5))(torch.rand(2, 12)) */
    RAISES(unflat(&x, 1, INTS(-1, 5)), PROBE_ERROR, "unflattened_size",
           "unflatten: Provided sizes [-1, 5] don't multiply up to the size of dim 1 (12) in the input tensor");
    x = SHAPE(1, 16);
    /* torch: nn.Unflatten(1, (0, 4))(torch.rand(1, 16)) */
    RAISES(unflat(&x, 1, INTS(0, 4)), PROBE_ERROR, "unflattened_size",
           "unflatten: Provided sizes [0, 4] don't multiply up to the size of dim 1 (16) in the input tensor");
    /* torch: nn.Unflatten(1, (-1, 0))(torch.rand(1, 16)) */
    RAISES(unflat(&x, 1, INTS(-1, 0)), PROBE_ERROR, "unflattened_size",
           "unflatten: Provided sizes [-1, 0] don't multiply up to the size of dim 1 (16) in the input tensor");
    /* torch: nn.Unflatten(3, (4, 4))(torch.rand(1, 16)) */
    RAISES(unflat(&x, 3, INTS(4, 4)), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-2, 1], but got 3)");
    x = SHAPE(1, 0);
    /* torch: nn.Unflatten(1, (-1, 4))(torch.rand(1, 0)) */
    OK_SHAPE(unflat(&x, 1, INTS(-1, 4)), 1, 0, 4);
    /* torch: nn.Unflatten(1, (-1, 0))(torch.rand(1, 0)) */
    RAISES(unflat(&x, 1, INTS(-1, 0)), PROBE_ERROR, "unflattened_size",
           "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value and is ambiguous");
}

static void unflatten_refusals(void **state)
{
    probe_ints empty = { .n = 0, .tuple = 1 };
    /* infer_size's runtime_error is wrapped by unflatten, with a newline */
    /* torch: nn.Unflatten(1, (-1, -1))(torch.rand(1, 16)) */
    INVALID(unflat(NULL, 1, INTS(-1, -1)), "unflattened_size",
            "unflatten got an unexpected error:\nonly one dimension can be inferred");
    /* torch: nn.Unflatten(1, (-2, 8))(torch.rand(1, 16)) */
    INVALID(unflat(NULL, 1, INTS(-2, 8)), "unflattened_size", "invalid shape dimension -2");
    /* the scan stops at whichever comes first */
    /* torch: nn.Unflatten(1, (-1, -1, -2))(torch.rand(1, 16)) */
    INVALID(unflat(NULL, 1, INTS(-1, -1, -2)), "unflattened_size",
            "unflatten got an unexpected error:\nonly one dimension can be inferred");
    /* torch: nn.Unflatten(1, (-2, -1, -1))(torch.rand(1, 16)) */
    INVALID(unflat(NULL, 1, INTS(-2, -1, -1)), "unflattened_size", "invalid shape dimension -2");
    /* torch: nn.Unflatten(1, ())(torch.rand(1, 16)) */
    INVALID(unflat(NULL, 1, empty), "unflattened_size", "unflatten: sizes must be non-empty");
}

/* ---- Upsample ------------------------------------------------------------------ */

static void upsample_sizes(void **state)
{
    probe_tensor x = SHAPE(1, 3, 5, 7);
    /* floor(in * scale) */
    /* torch: nn.Upsample(scale_factor=1.5)(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(1.5, 1.5), "nearest", -1, -1), 1, 3, 7, 10);
    /* torch: nn.Upsample(scale_factor=1.5, mode='bilinear', recompute_scale_factor=True)(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(1.5, 1.5), "bilinear", -1, 1), 1, 3, 7, 10);
    /* torch: nn.Upsample(scale_factor=(2, 3))(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(2, 3), "nearest", -1, -1), 1, 3, 10, 21);
    /* torch: nn.Upsample(scale_factor=0.5, mode='bicubic', align_corners=True)(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(0.5, 0.5), "bicubic", 1, -1), 1, 3, 2, 3);
    /* torch: nn.Upsample(scale_factor=0.3, mode='area')(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(0.3, 0.3), "area", -1, -1), 1, 3, 1, 2);
    /* torch: nn.Upsample(size=5)(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, INTS(5), NO_SCALE, "nearest", -1, -1), 1, 3, 5, 5);
    /* torch: nn.Upsample(size=(4, 9), mode='nearest-exact')(torch.rand(1, 3, 5, 7)) */
    OK_SHAPE(up(&x, INTS(4, 9), NO_SCALE, "nearest-exact", -1, -1), 1, 3, 4, 9);
    x = SHAPE(1, 3, 7, 7);
    /* torch: nn.Upsample(scale_factor=1.5)(torch.rand(1, 3, 7, 7)) */
    OK_SHAPE(up(&x, NO_SIZE, S(1.5, 1.5), "nearest", -1, -1), 1, 3, 10, 10);
    x = SHAPE(1, 3, 5);
    /* torch: nn.Upsample(scale_factor=2)(torch.rand(1, 3, 5)) */
    OK_SHAPE(up(&x, NO_SIZE, S(2, 2), "nearest", -1, -1), 1, 3, 10);
    x = SHAPE(1, 3, 2, 5, 5);
    /* torch: nn.Upsample(scale_factor=2, mode='trilinear')(torch.rand(1, 3, 2, 5, 5)) */
    OK_SHAPE(up(&x, NO_SIZE, S(2, 2), "trilinear", -1, -1), 1, 3, 4, 10, 10);
    /* torch: nn.Upsample(size=(2, 3, 4))(torch.rand(1, 3, 2, 5, 5)) */
    OK_SHAPE(up(&x, INTS(2, 3, 4), NO_SCALE, "nearest", -1, -1), 1, 3, 2, 3, 4);
    x = SHAPE(1, 3, 0, 7);
    /* torch: nn.Upsample(size=1, mode='area')(torch.rand(1, 3, 0, 7)) */
    OK_SHAPE(up(&x, INTS(1), NO_SCALE, "area", -1, -1), 1, 3, 1, 1);
}

static void upsample_too_small(void **state)
{
    probe_tensor x = SHAPE(1, 3, 5, 7);
    /* torch: nn.Upsample(scale_factor=0.1)(torch.rand(1, 3, 5, 7)) */
    RAISES(up(&x, NO_SIZE, S(0.1, 0.1), "nearest", -1, -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (H: 5, W: 7) output (H: 0, W: 0)");
    /* torch: nn.Upsample(scale_factor=(0.1, 2))(torch.rand(1, 3, 5, 7)) */
    RAISES(up(&x, NO_SIZE, S(0.1, 2), "nearest", -1, -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (H: 5, W: 7) output (H: 0, W: 14)");
    x = SHAPE(1, 3, 0, 5);
    /* torch: nn.Upsample(scale_factor=2, mode='bilinear')(torch.rand(1, 3, 0, 5)) */
    RAISES(up(&x, NO_SIZE, S(2, 2), "bilinear", -1, -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (H: 0, W: 5) output (H: 0, W: 10)");
    x = SHAPE(1, 3, 5);
    /* torch: nn.Upsample(scale_factor=0.1)(torch.rand(1, 3, 5)) */
    RAISES(up(&x, NO_SIZE, S(0.1, 0.1), "nearest", -1, -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (W: 5) and output (W: 0)");
    x = SHAPE(1, 3, 5, 5, 5);
    /* torch: nn.Upsample(scale_factor=0.1)(torch.rand(1, 3, 5, 5, 5)) */
    RAISES(up(&x, NO_SIZE, S(0.1, 0.1), "nearest", -1, -1), PROBE_TOO_SMALL, NULL,
           "Input and output sizes should be greater than 0, but got input (D: 5, H: 5, W: 5) output (D: 0, H: 0, W: 0)");
    x = SHAPE(1, 3, 0, 7);
    /* torch: nn.Upsample(size=2, mode='area')(torch.rand(1, 3, 0, 7)) */
    RAISES(up(&x, INTS(2), NO_SCALE, "area", -1, -1), PROBE_TOO_SMALL, NULL,
           "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 0, 7] with dimension 2 being empty");
    /* probe: a size past int64 is marked as overflow */
    x = SHAPE(1, 3, 5, 7);
    up(&x, NO_SIZE, S(1e30, 1e30), "nearest", -1, -1);
    assert_true(cx.overflow);
}

static void upsample_rank(void **state)
{
    probe_tensor x = SHAPE(1, 3, 5, 7);
    /* torch: nn.Upsample(scale_factor=2, mode='linear')(torch.rand(1, 3, 5, 7)) */
    RAISES(up(&x, NO_SIZE, S(2, 2), "linear", -1, -1), PROBE_ERROR, "mode", "Got 4D input, but linear mode needs 3D input");
    /* torch: nn.Upsample(scale_factor=2, mode='trilinear')(torch.rand(1, 3, 5, 7)) */
    RAISES(up(&x, NO_SIZE, S(2, 2), "trilinear", -1, -1), PROBE_ERROR, "mode", "Got 4D input, but trilinear mode needs 5D input");
    x = SHAPE(1, 3, 2, 3);
    /* torch: nn.Upsample(size=(5, 7, 9))(torch.rand(1, 3, 2, 3)) */
    RAISES(up(&x, INTS(5, 7, 9), NO_SCALE, "nearest", -1, -1), PROBE_ERROR, "size",
           "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [2, 3] and output size of (5, 7, 9). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
    x = SHAPE(1, 3, 5);
    /* torch: nn.Upsample(size=(5, 7))(torch.rand(1, 3, 5)) */
    RAISES(up(&x, INTS(5, 7), NO_SCALE, "nearest", -1, -1), PROBE_ERROR, "size",
           "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [5] and output size of (5, 7). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
    /* torch: nn.Upsample(scale_factor=(2, 3))(torch.rand(1, 3, 5)) */
    RAISES(up(&x, NO_SIZE, S(2, 3), "nearest", -1, -1), PROBE_ERROR, "scale_factor",
           "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [5] and scale_factor of shape (2.0, 3.0). Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.");
    /* torch: nn.Upsample(scale_factor=2, mode='bicubic')(torch.rand(1, 3, 5)) */
    RAISES(up(&x, NO_SIZE, S(2, 2), "bicubic", -1, -1), PROBE_ERROR, "mode",
           "Input Error: Only 3D, 4D and 5D input Tensors supported (got 3D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got bicubic)");
    ctx_reset(&cx);
    out = x;
    /* torch: nn.UpsamplingBilinear2d(scale_factor=2)(torch.rand(1, 3, 5)) */
    RAISES(upsampling_bilinear2d(&cx, &out, &NO_SIZE, S(2, 2), "bilinear"), PROBE_ERROR, "mode",
           "Got 3D input, but bilinear mode needs 4D input");
    x = SHAPE(1, 64);
    /* torch: nn.Upsample(scale_factor=2)(torch.rand(1, 64)) */
    RAISES(up(&x, NO_SIZE, S(2, 2), "nearest", -1, -1), PROBE_ERROR, "mode",
           "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got nearest)");
    x = SHAPE(1, 3);
    /* torch: nn.Upsample(size=(2, 3))(torch.rand(1, 3)) */
    RAISES(up(&x, INTS(2, 3), NO_SCALE, "nearest", -1, -1), PROBE_ERROR, "size",
           "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [] and output size of (2, 3). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
}

static void upsample_refusals(void **state)
{
    /* torch: nn.Upsample(size=(5, 7), scale_factor=2)(torch.rand(1, 3, 2, 3)) */
    INVALID(up(NULL, INTS(5, 7), S(2, 2), "nearest", -1, -1), "scale_factor", "only one of size or scale_factor should be defined");
    /* torch: nn.Upsample()(torch.rand(1, 3, 2, 3)) */
    INVALID(up(NULL, NO_SIZE, NO_SCALE, "nearest", -1, -1), NULL, "either size or scale_factor should be defined");
    /* Upsample keeps a scale_factor only when it is truthy */
    /* torch: nn.Upsample(scale_factor=0)(torch.rand(1, 3, 2, 3)) */
    INVALID(up(NULL, NO_SIZE, S(0, 0), "nearest", -1, -1), NULL, "either size or scale_factor should be defined");
    /* torch: nn.Upsample(scale_factor=2, mode='nearest', align_corners=False)(torch.rand(1, 3, 5, 7)) */
    INVALID(up(NULL, NO_SIZE, S(2, 2), "nearest", 0, -1), "align_corners",
            "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
    /* torch: nn.Upsample(size=(5, 7), recompute_scale_factor=True)(torch.rand(1, 3, 2, 3)) */
    INVALID(up(NULL, INTS(5, 7), NO_SCALE, "nearest", -1, 1), "recompute_scale_factor",
            "recompute_scale_factor is not meaningful with an explicit size.");
    /* torch: nn.Upsample(scale_factor=2, mode='foo')(torch.rand(1, 3, 5, 7)) */
    INVALID(up(NULL, NO_SIZE, S(2, 2), "foo", -1, -1), "mode",
            "Upsample mode 'foo' is not one of nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (PyTorch raises NotImplementedError: Input Error: ... (got foo))");
    /* what leaves no output on any input */
    /* torch: nn.Upsample(size=0)(torch.rand(1, 3, 2, 3)) */
    INVALID(up(NULL, INTS(0), NO_SCALE, "nearest", -1, -1), "size",
            "Upsample size 0 leaves no output on any input (PyTorch: Input and output sizes should be greater than 0)");
    /* torch: nn.Upsample(scale_factor=(0, 3))(torch.rand(1, 3, 5, 7)) */
    INVALID(up(NULL, NO_SIZE, S(0, 3), "nearest", -1, -1), "scale_factor",
            "Upsample scale_factor 0.0 leaves no output on any input (PyTorch: Input and output sizes should be greater than 0)");
    /* torch: nn.Upsample(scale_factor=-1, mode='area')(torch.rand(1, 3, 5, 7)) */
    INVALID(up(NULL, NO_SIZE, S(-1, -1), "area", -1, -1), "scale_factor",
            "Upsample scale_factor -1.0 leaves no output on any input (PyTorch: adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0)");
    /* 'area' is an adaptive average pool, which makes empty outputs */
    BUILDS(up(NULL, INTS(0), NO_SCALE, "area", -1, -1));
    BUILDS(up(NULL, NO_SIZE, S(2, 2), "bilinear", 1, 0));
}

/* ---- PixelShuffle and PixelUnshuffle --------------------------------------------- */

static void pixel_shuffles(void **state)
{
    probe_tensor x = SHAPE(1, 16, 3, 5);
    /* torch: nn.PixelShuffle(2)(torch.rand(1, 16, 3, 5)) */
    OK_SHAPE(shuffle(&x, 2), 1, 4, 6, 10);
    x = SHAPE(1, 2, 8, 4, 4);
    /* torch: nn.PixelShuffle(2)(torch.rand(1, 2, 8, 4, 4)) */
    OK_SHAPE(shuffle(&x, 2), 1, 2, 2, 8, 8);
    x = SHAPE(2, 16, 4, 4);
    /* torch: nn.PixelShuffle(3)(torch.rand(2, 16, 4, 4)) */
    RAISES(shuffle(&x, 3), PROBE_ERROR, NULL,
           "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=16 is not divisible by 9");
    x = SHAPE(1, 16);
    /* torch: nn.PixelShuffle(2)(torch.rand(1, 16)) */
    RAISES(shuffle(&x, 2), PROBE_ERROR, NULL, "pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)");
    /* torch: nn.PixelShuffle(0)(torch.rand(1, 16, 4, 4)) */
    INVALID(shuffle(NULL, 0), "upscale_factor", "pixel_shuffle expects a positive upscale_factor, but got 0");
    x = SHAPE(1, 3, 4, 6);
    /* torch: nn.PixelUnshuffle(2)(torch.rand(1, 3, 4, 6)) */
    OK_SHAPE(unshuffle(&x, 2), 1, 12, 2, 3);
    x = SHAPE(1, 3, 5, 7);
    /* the height is checked first */
    /* torch: nn.PixelUnshuffle(2)(torch.rand(1, 3, 5, 7)) */
    RAISES(unshuffle(&x, 2), PROBE_ERROR, NULL,
           "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2");
    x = SHAPE(1, 3, 6, 10);
    /* torch: nn.PixelUnshuffle(3)(torch.rand(1, 3, 6, 10)) */
    RAISES(unshuffle(&x, 3), PROBE_ERROR, NULL,
           "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=10 is not divisible by 3");
    x = SHAPE(1, 16);
    /* torch: nn.PixelUnshuffle(2)(torch.rand(1, 16)) */
    RAISES(unshuffle(&x, 2), PROBE_ERROR, NULL,
           "pixel_unshuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)");
    /* torch: nn.PixelUnshuffle(0)(torch.rand(1, 3, 4, 4)) */
    INVALID(unshuffle(NULL, 0), "downscale_factor", "pixel_unshuffle expects a positive downscale_factor, but got 0");
}

/* ---- the padding layers ------------------------------------------------------------ */

static void zero_pad(void **state)
{
    probe_tensor x = SHAPE(1, 3, 4, 5);
    /* torch: nn.ZeroPad2d((1, 2, 3, 4))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(1, 2, 3, 4)), 1, 3, 11, 8);
    /* torch: nn.ZeroPad2d((1, 2))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(1, 2)), 1, 3, 4, 8);
    /* torch: nn.ZeroPad2d((1, 1, 1, 1, 1, 1))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(1, 1, 1, 1, 1, 1)), 1, 5, 6, 7);
    /* torch: nn.ZeroPad2d(-1)(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(-1)), 1, 3, 2, 3);
    /* torch: nn.ZeroPad2d((-1, -1, 2, 2))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(-1, -1, 2, 2)), 1, 3, 8, 3);
    /* torch: nn.ZeroPad2d((0, 0, 2, -4))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(0, 0, 2, -4)), 1, 3, 2, 5);
    /* a 2-d input has both dimensions padded */
    x = SHAPE(1, 64);
    /* torch: nn.ZeroPad2d(1)(torch.rand(1, 64)) */
    OK_SHAPE(pad('z', &x, INTS(1)), 3, 66);
    x = SHAPE(64);
    /* torch: nn.ZeroPad2d(1)(torch.rand(64)) */
    RAISES(pad('z', &x, INTS(1)), PROBE_ERROR, "padding", "Padding length too large");
    x = SHAPE(5);
    /* torch: nn.ZeroPad2d((1, 2))(torch.rand(5)) */
    OK_SHAPE(pad('z', &x, INTS(1, 2)), 8);
}

static void zero_pad_negative(void **state)
{
    /* cropping to nothing is allowed when no pad is positive */
    probe_tensor x = SHAPE(1, 3, 4, 5);
    /* torch: nn.ZeroPad2d(-2)(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(-2)), 1, 3, 0, 1);
    /* torch: nn.ZeroPad2d((0, 0, -4, 0))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('z', &x, INTS(0, 0, -4, 0)), 1, 3, 0, 5);
    /* below that, narrow() refuses it, height first, top before bottom */
    /* torch: nn.ZeroPad2d(-3)(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(-3)), PROBE_TOO_SMALL, "padding", "start (0) + length (-2) exceeds dimension size (1).");
    /* torch: nn.ZeroPad2d((0, -6, 0, -5))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(0, -6, 0, -5)), PROBE_TOO_SMALL, "padding", "start (0) + length (-1) exceeds dimension size (4).");
    /* torch: nn.ZeroPad2d((0, 0, -4, -1))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(0, 0, -4, -1)), PROBE_TOO_SMALL, "padding", "start (0) + length (-1) exceeds dimension size (0).");
    /* torch: nn.ZeroPad2d((0, 0, 2, -7))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(0, 0, 2, -7)), PROBE_TOO_SMALL, "padding", "start (0) + length (-3) exceeds dimension size (4).");
    /* a single pad larger than the dimension: its start is wrapped as a dim index */
    /* torch: nn.ZeroPad2d((0, 0, -5, 0))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(0, 0, -5, 0)), PROBE_TOO_SMALL, "padding",
           "Dimension out of range (expected to be in range of [-4, 3], but got 5)");
    /* torch: nn.ZeroPad2d((-6, 0, 0, 0))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(-6, 0, 0, 0)), PROBE_TOO_SMALL, "padding",
           "Dimension out of range (expected to be in range of [-5, 4], but got 6)");
    /* with a positive pad somewhere, an empty output is refused */
    /* torch: nn.ZeroPad2d((1, 1, -2, -2))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(1, 1, -2, -2)), PROBE_TOO_SMALL, "padding",
           "The input size 4, plus negative padding -2 and -2 resulted in a negative output size, which is invalid. Check dimension 2 of your input.");
    /* torch: nn.ZeroPad2d((1, 1, 0, -4))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('z', &x, INTS(1, 1, 0, -4)), PROBE_TOO_SMALL, "padding",
           "The input size 4, plus negative padding 0 and -4 resulted in a negative output size, which is invalid. Check dimension 2 of your input.");
    x = SHAPE(1, 3, 0, 5);
    /* torch: nn.ZeroPad2d(-1)(torch.rand(1, 3, 0, 5)) */
    RAISES(pad('z', &x, INTS(-1)), PROBE_TOO_SMALL, "padding", "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* torch: nn.ZeroPad2d((1, 1, 0, 0))(torch.rand(1, 3, 0, 5)) */
    RAISES(pad('z', &x, INTS(1, 1, 0, 0)), PROBE_TOO_SMALL, "padding",
           "The input size 0, plus negative padding 0 and 0 resulted in a negative output size, which is invalid. Check dimension 2 of your input.");
    /* torch: nn.ZeroPad2d((1, 1, 1, 1))(torch.rand(1, 3, 0, 5)) */
    OK_SHAPE(pad('z', &x, INTS(1, 1, 1, 1)), 1, 3, 2, 7);
}

static void reflection_pad(void **state)
{
    probe_tensor x = SHAPE(1, 3, 5, 3);
    /* torch: nn.ReflectionPad2d((1, 2, 3, 4))(torch.rand(1, 3, 5, 3)) */
    OK_SHAPE(pad('r', &x, INTS(1, 2, 3, 4)), 1, 3, 12, 6);
    x = SHAPE(1, 3, 4, 5);
    /* the width is checked first */
    /* torch: nn.ReflectionPad2d(6)(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(6)), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (6, 6) at dimension 3 of input 4");
    /* torch: nn.ReflectionPad2d((0, 0, 1, 4))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(0, 0, 1, 4)), PROBE_TOO_SMALL, "padding",
           "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (1, 4) at dimension 2 of input 4");
    /* only when both sides vanish */
    /* torch: nn.ReflectionPad2d(-3)(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(-3)), PROBE_TOO_SMALL, "padding", "input (H: 4, W: 5)is too small. Calculated output H: -2 W: -1");
    /* torch: nn.ReflectionPad2d((-3, -2, -4, 0))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(-3, -2, -4, 0)), PROBE_TOO_SMALL, "padding", "input (H: 4, W: 5)is too small. Calculated output H: 0 W: 0");
    /* one negative side fails when the output is allocated */
    /* torch: nn.ReflectionPad2d((0, 0, -3, -3))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(0, 0, -3, -3)), PROBE_TOO_SMALL, "padding", "numel: integer multiplication overflow");
    /* torch: nn.ReflectionPad2d((-3, -2, 0, 0))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('r', &x, INTS(-3, -2, 0, 0)), 1, 3, 4, 0);
    /* torch: nn.ReflectionPad2d((3, -7, 0, 0))(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('r', &x, INTS(3, -7, 0, 0)), 1, 3, 4, 1);
    /* two values pad the last dimension of a 2-d or 3-d input only */
    /* torch: nn.ReflectionPad2d((1, 2))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('r', &x, INTS(1, 2)), PROBE_ERROR, "padding", "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    x = SHAPE(3, 4, 5);
    /* torch: nn.ReflectionPad2d((1, 2))(torch.rand(3, 4, 5)) */
    OK_SHAPE(pad('r', &x, INTS(1, 2)), 3, 4, 8);
    /* torch: nn.ReflectionPad2d((5, 1))(torch.rand(3, 4, 5)) */
    RAISES(pad('r', &x, INTS(5, 1)), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (5, 1) at dimension 2 of input [3, 4, 5]");
    /* torch: nn.ReflectionPad2d((-3, -3))(torch.rand(3, 4, 5)) */
    RAISES(pad('r', &x, INTS(-3, -3)), PROBE_TOO_SMALL, "padding", "2input (W: 5)is too small. Calculated output W: -1");
    x = SHAPE(3, 1, 1);
    /* torch: nn.ReflectionPad2d(1)(torch.rand(3, 1, 1)) */
    RAISES(pad('r', &x, INTS(1)), PROBE_TOO_SMALL, "padding",
           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (1, 1) at dimension 2 of input 3");
    x = SHAPE(1, 3, 0, 4);
    /* torch: nn.ReflectionPad2d(1)(torch.rand(1, 3, 0, 4)) */
    RAISES(pad('r', &x, INTS(1)), PROBE_TOO_SMALL, "padding",
           "3D or 4D (batch mode) tensor expected for input, but got: [ torch.FloatTensor{1,3,0,4} ]");
    x = SHAPE(1, 64);
    /* torch: nn.ReflectionPad2d(1)(torch.rand(1, 64)) */
    RAISES(pad('r', &x, INTS(1)), PROBE_ERROR, "padding", "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

static void replication_pad(void **state)
{
    probe_tensor x = SHAPE(1, 3, 1, 1);
    /* torch: nn.ReplicationPad2d(10)(torch.rand(1, 3, 1, 1)) */
    OK_SHAPE(pad('p', &x, INTS(10)), 1, 3, 21, 21);
    x = SHAPE(1, 3, 4, 5);
    /* torch: nn.ReplicationPad2d(-2)(torch.rand(1, 3, 4, 5)) */
    OK_SHAPE(pad('p', &x, INTS(-2)), 1, 3, 0, 1);
    /* torch: nn.ReplicationPad2d(-3)(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('p', &x, INTS(-3)), PROBE_TOO_SMALL, "padding", "input (H: 4, W: 5 ) is too small. Calculated output H: -2 W: -1");
    /* torch: nn.ReplicationPad2d((0, 0, -3, -3))(torch.rand(1, 3, 4, 5)) */
    RAISES(pad('p', &x, INTS(0, 0, -3, -3)), PROBE_TOO_SMALL, "padding",
           "Trying to create tensor with negative dimension -2: [1, 3, -2, 5]");
    x = SHAPE(3, 4, 5);
    /* torch: nn.ReplicationPad2d((-3, -3, 0, 0))(torch.rand(3, 4, 5)) */
    RAISES(pad('p', &x, INTS(-3, -3, 0, 0)), PROBE_TOO_SMALL, "padding", "Trying to create tensor with negative dimension -1: [3, 4, -1]");
    /* torch: nn.ReplicationPad2d((-3, -2))(torch.rand(3, 4, 5)) */
    RAISES(pad('p', &x, INTS(-3, -2)), PROBE_TOO_SMALL, "padding", "input (W: 5) is too small. Calculated output W: 0");
    x = SHAPE(1, 3, 0, 4);
    /* torch: nn.ReplicationPad2d(1)(torch.rand(1, 3, 0, 4)) */
    RAISES(pad('p', &x, INTS(1)), PROBE_TOO_SMALL, "padding",
           "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [1, 3, 0, 4]");
    x = SHAPE(0, 3, 5);
    /* torch: nn.ReplicationPad2d(1)(torch.rand(0, 3, 5)) */
    RAISES(pad('p', &x, INTS(1)), PROBE_ERROR, "padding",
           "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [0, 3, 5]");
    x = SHAPE(3, 0, 5);
    /* torch: nn.ReplicationPad2d((1, 1))(torch.rand(3, 0, 5)) */
    RAISES(pad('p', &x, INTS(1, 1)), PROBE_ERROR, "padding",
           "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [3, 0, 5]");
}

static void circular_pad(void **state)
{
    /* probe: CircularPad2d is not in torch.nn 1.13; it is F.pad(mode='circular') */
    probe_tensor x = SHAPE(1, 3, 4, 5);
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (1, 2, 3, 4), mode='circular') */
    OK_SHAPE(pad('c', &x, INTS(1, 2, 3, 4)), 1, 3, 11, 8);
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (5, 5, 4, 4), mode='circular') */
    OK_SHAPE(pad('c', &x, INTS(5, 5, 4, 4)), 1, 3, 12, 15);
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (-1, -1, -1, -1), mode='circular') */
    OK_SHAPE(pad('c', &x, INTS(-1)), 1, 3, 2, 3);
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (6, 0, 0, 0), mode='circular') */
    RAISES(pad('c', &x, INTS(6, 0, 0, 0)), PROBE_TOO_SMALL, "padding", "Padding value causes wrapping around more than once.");
    /* the height is checked completely before the width */
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (0, 6, -5, 0), mode='circular') */
    RAISES(pad('c', &x, INTS(0, 6, -5, 0)), PROBE_TOO_SMALL, "padding", "Negative padding value is resulting in an empty dimension");
    /* torch: F.pad(torch.rand(1, 3, 4, 5), (-6, 0, 0, 5), mode='circular') */
    RAISES(pad('c', &x, INTS(-6, 0, 0, 5)), PROBE_TOO_SMALL, "padding", "Padding value causes wrapping around more than once.");
    /* the first two dimensions are always batch and channels */
    x = SHAPE(3, 4, 5);
    /* torch: F.pad(torch.rand(3, 4, 5), (1, 1, 1, 1), mode='circular') */
    RAISES(pad('c', &x, INTS(1)), PROBE_ERROR, "padding", "Invalid padding size, expected 2 but got 4");
    /* torch: F.pad(torch.rand(3, 4, 5), (1, 1), mode='circular') */
    OK_SHAPE(pad('c', &x, INTS(1, 1)), 3, 4, 7);
    x = SHAPE(4, 5);
    /* torch: F.pad(torch.rand(4, 5), (1, 1), mode='circular') */
    RAISES(pad('c', &x, INTS(1, 1)), PROBE_ERROR, "padding", "Invalid padding size, expected 0 but got 2");
}

static void padding_refusals(void **state)
{
    /* torch: nn.ZeroPad2d((1, 2, 3))(torch.rand(1, 3, 4, 5)) */
    INVALID(pad('z', NULL, INTS(1, 2, 3)), "padding", "Padding length must be divisible by 2");
    /* torch: nn.ReflectionPad2d((1, 2, 3))(torch.rand(1, 3, 4, 5)) */
    INVALID(pad('r', NULL, INTS(1, 2, 3)), "padding", "Padding length must be divisible by 2");
    /* probe: the 3-d kernels that 6 values would reach are not modelled */
    INVALID(pad('p', NULL, INTS(1, 1, 1, 1, 1, 1)), "padding",
            "ReplicationPad2d takes padding as an int or a tuple of 2 or 4 ints (left, right, top, bottom), got 6 values");
    INVALID(pad('z', NULL, INTS(1, PROBE_NONE)), "padding", "ZeroPad2d padding must hold integers, not None");
    BUILDS(pad('z', NULL, INTS(1, 1, 1, 1, 1, 1)));
    BUILDS(pad('c', NULL, INTS(-2)));
}

/* ---- activations, softmaxes, dropouts -------------------------------------------------- */

static void prelu_channels(void **state)
{
    probe_tensor x = SHAPE(1, 16, 4, 4);
    ctx_reset(&cx);
    out = x;
    /* torch: nn.PReLU(16)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(prelu(&cx, &out, 16, 0.25), 1, 16, 4, 4);
    assert_int_equal(cx.params, 16);
    ctx_reset(&cx);
    out = x;
    /* torch: nn.PReLU()(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(prelu(&cx, &out, 1, 0.25), 1, 16, 4, 4);
    assert_int_equal(cx.params, 1);
    ctx_reset(&cx);
    out = x;
    /* torch: nn.PReLU(num_parameters=3)(torch.rand(1, 16, 4, 4)) */
    RAISES(prelu(&cx, &out, 3, 0.25), PROBE_ERROR, "num_parameters",
           "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 16.");
    /* a 1-d input has one channel */
    ctx_reset(&cx);
    out = SHAPE(16);
    /* torch: nn.PReLU(3)(torch.rand(16)) */
    RAISES(prelu(&cx, &out, 3, 0.25), PROBE_ERROR, "num_parameters",
           "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 1.");
    ctx_reset(&cx);
    out = SHAPE(0);
    out.ndim = 0;
    /* torch: nn.PReLU(3)(torch.tensor(1.0)) */
    RAISES(prelu(&cx, &out, 3, 0.25), PROBE_ERROR, NULL, "Not allow zero-dim input tensor.");
    ctx_reset(&cx);
    /* torch: nn.PReLU(-1) */
    INVALID(prelu(&cx, NULL, -1, 0.25), "num_parameters", "Trying to create tensor with negative dimension -1: [-1]");
    ctx_reset(&cx);
    /* torch: nn.PReLU(0)(torch.rand(1, 16, 4, 4)) */
    INVALID(prelu(&cx, NULL, 0, 0.25), "num_parameters",
            "PReLU(num_parameters=0) has no weight to apply: every forward fails with \"Mismatch of parameter numbers and input channel size\"");
}

static void softmax_dims(void **state)
{
    ctx_reset(&cx);
    out = SHAPE(1, 16, 4, 4);
    /* torch: nn.Softmax(dim=5)(torch.rand(1, 16, 4, 4)) */
    RAISES(softmax(&cx, &out, 5), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-4, 3], but got 5)");
    ctx_reset(&cx);
    /* torch: nn.LogSoftmax(dim=-5)(torch.rand(1, 16, 4, 4)) */
    RAISES(log_softmax(&cx, &out, -5), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-4, 3], but got -5)");
    ctx_reset(&cx);
    out = SHAPE(1, 10);
    /* torch: nn.Softmin(dim=2)(torch.rand(1, 10)) */
    RAISES(softmin(&cx, &out, 2), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    ctx_reset(&cx);
    out = SHAPE(2, 3, 4, 5);
    /* torch: nn.Softmax()(torch.rand(2, 3, 4, 5)) */
    OK_SHAPE(softmax(&cx, &out, PROBE_NONE), 2, 3, 4, 5);
    ctx_reset(&cx);
    out = SHAPE(1, 64);
    /* torch: nn.Softmax2d()(torch.rand(1, 64)) */
    RAISES(softmax2d(&cx, &out), PROBE_ERROR, NULL, "Softmax2d requires a 3D or 4D tensor as input");
    ctx_reset(&cx);
    out = SHAPE(1, 2, 3, 4, 5);
    /* torch: nn.Softmax2d()(torch.rand(1, 2, 3, 4, 5)) */
    RAISES(softmax2d(&cx, &out), PROBE_ERROR, NULL, "Softmax2d requires a 3D or 4D tensor as input");
    ctx_reset(&cx);
    out = SHAPE(3, 4, 5);
    /* torch: nn.Softmax2d()(torch.rand(3, 4, 5)) */
    OK_SHAPE(softmax2d(&cx, &out), 3, 4, 5);
}

static void activation_refusals(void **state)
{
    ctx_reset(&cx);
    /* torch: nn.Dropout(p=1.5) */
    INVALID(dropout(&cx, NULL, 1.5, 0), "p", "dropout probability has to be between 0 and 1, but got 1.5");
    ctx_reset(&cx);
    /* torch: nn.FeatureAlphaDropout(p=-0.5) */
    INVALID(feature_alpha_dropout(&cx, NULL, -0.5, 0), "p", "dropout probability has to be between 0 and 1, but got -0.5");
    ctx_reset(&cx);
    BUILDS(dropout2d(&cx, NULL, 1.0, 0));
    ctx_reset(&cx);
    /* torch: nn.Hardtanh(0.5, 0.5) */
    INVALID(hardtanh(&cx, NULL, 0.5, 0.5, 0, NAN, NAN), "max_val", "Hardtanh needs max_val > min_val, got min_val=0.5 and max_val=0.5");
    ctx_reset(&cx);
    /* the deprecated min_value wins over min_val */
    /* torch: nn.Hardtanh(0.0, 1.0, min_value=2.0) */
    INVALID(hardtanh(&cx, NULL, 0.0, 1.0, 0, 2.0, NAN), "max_val", "Hardtanh needs max_val > min_val, got min_val=2.0 and max_val=1.0");
    ctx_reset(&cx);
    /* torch: nn.CELU(alpha=0.)(torch.rand(1, 3)) */
    INVALID(celu(&cx, NULL, 0.0, 0), "alpha", "ZeroDivisionError: alpha cannot be 0 for CELU");
    ctx_reset(&cx);
    BUILDS(celu(&cx, NULL, -1.0, 0));
    ctx_reset(&cx);
    /* torch: nn.GELU(approximate='Tanh')(torch.rand(1, 3)) */
    INVALID(gelu(&cx, NULL, "Tanh"), "approximate", "approximate argument must be either none or tanh.");
    ctx_reset(&cx);
    /* torch: nn.Softshrink(-0.5)(torch.rand(1, 3, 4, 4)) */
    INVALID(softshrink(&cx, NULL, -0.5), "lambd", "lambda must be greater or equal to 0, but found to be -0.5.");
    ctx_reset(&cx);
    /* torch: nn.Softshrink(-1)(torch.rand(1, 3, 4, 4)) */
    INVALID(softshrink(&cx, NULL, -1), "lambd", "lambda must be greater or equal to 0, but found to be -1.");
    ctx_reset(&cx);
    /* torch: nn.RReLU(0.5, 0.1)(torch.rand(1, 3, 4, 4)) */
    INVALID(rrelu(&cx, NULL, 0.5, 0.1, 0), "upper", "Lower bound should be less than or equal to the upper bound");
    ctx_reset(&cx);
    out = SHAPE(1, 3, 4, 4);
    /* torch: nn.Hardshrink(-0.5)(torch.rand(1, 3, 4, 4)) */
    OK_SHAPE(hardshrink(&cx, &out, -0.5), 1, 3, 4, 4);
}

/* ---- the helpers ------------------------------------------------------------------- */

static void float_repr_is_pythons(void **state)
{
    char buf[32];
    assert_string_equal(ops_float_repr(1.0, buf), "1.0");
    assert_string_equal(ops_float_repr(0.5, buf), "0.5");
    assert_string_equal(ops_float_repr(1e-05, buf), "1e-05");
    assert_string_equal(ops_float_repr(0.1, buf), "0.1");
    assert_string_equal(ops_float_repr(-2.0, buf), "-2.0");
    assert_string_equal(ops_float_repr(0.3333333333333333, buf), "0.3333333333333333");
    assert_string_equal(ops_float_repr(INFINITY, buf), "inf");
    assert_string_equal(ops_float_repr(NAN, buf), "nan");
}

static void pool_out_is_atens(void **state)
{
    ctx_reset(&cx);
    /* floor division toward -inf: floor((1 - 4) / 2) + 1 == -1 */
    assert_int_equal(ops_pool_out(&cx, 1, 4, 0, 2, 1, 0), -1);
    assert_int_equal(ops_pool_out(&cx, 5, 3, 1, 3, 1, 1), 2);
    assert_int_equal(ops_pool_out(&cx, 5, 3, 1, 3, 1, 0), 2);
    assert_int_equal(ops_pool_out(&cx, 10, 3, 0, 3, 1, 1), 4);
    assert_false(cx.overflow);
    ops_pool_out(&cx, INT64_MAX, 3, INT64_MAX / 2 + 1, 1, 1, 0);
    assert_true(cx.overflow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_acts_on_the_last_dimension),
        cmocka_unit_test(linear_refusals),
        cmocka_unit_test(linear_sizes_that_overflow_are_marked),
        cmocka_unit_test(flatten_dims),
        cmocka_unit_test(unflatten_sizes),
        cmocka_unit_test(unflatten_refusals),
        cmocka_unit_test(upsample_sizes),
        cmocka_unit_test(upsample_too_small),
        cmocka_unit_test(upsample_rank),
        cmocka_unit_test(upsample_refusals),
        cmocka_unit_test(pixel_shuffles),
        cmocka_unit_test(zero_pad),
        cmocka_unit_test(zero_pad_negative),
        cmocka_unit_test(reflection_pad),
        cmocka_unit_test(replication_pad),
        cmocka_unit_test(circular_pad),
        cmocka_unit_test(padding_refusals),
        cmocka_unit_test(prelu_channels),
        cmocka_unit_test(softmax_dims),
        cmocka_unit_test(activation_refusals),
        cmocka_unit_test(float_repr_is_pythons),
        cmocka_unit_test(pool_out_is_atens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
