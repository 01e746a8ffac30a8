/* test_ops_norm.c - the shape functions of the normalization layers
 * called directly, in eval mode: BatchNorm2d, InstanceNorm2d (and their
 * Lazy forms), GroupNorm, LayerNorm, LocalResponseNorm. Every expectation
 * comes from a PyTorch 1.13 run of the expression in the comment above it
 * (modules in eval mode); "probe:" comments mark probe's own design. */
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

static void mismatch_ints(int rc, const char *param, probe_ints need, const char *message, const char *file, int line)
{
    if (rc == 0 || cx.kind != PROBE_MISMATCH || strcmp(cx.message, message)) fail_report("expected a mismatch", file, line);
    assert_int_not_equal(rc, 0);
    assert_int_equal(cx.kind, PROBE_MISMATCH);
    assert_string_equal(cx.param, param);
    assert_true(cx.has_need);
    assert_true(cx.need_is_ints);
    assert_int_equal(cx.need_ints.n, need.n);
    assert_memory_equal(cx.need_ints.v, need.v, (size_t)need.n * sizeof need.v[0]);
    assert_string_equal(cx.message, message);
}
#define MISMATCH_INTS(call, param, need, message) mismatch_ints((call), (param), (need), (message), __FILE__, __LINE__)

/* ---- calls ----------------------------------------------------------------- */

static int batchnorm(probe_tensor *in, int64_t features, int affine, int track)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return batch_norm2d(&cx, in ? &out : NULL, features, 1e-5, 0.1, affine, track);
}

static int instancenorm(probe_tensor *in, int64_t features, int affine, int track)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return instance_norm2d(&cx, in ? &out : NULL, features, 1e-5, 0.1, affine, track);
}

static int groupnorm(probe_tensor *in, int64_t groups, int64_t channels, int affine)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return group_norm(&cx, in ? &out : NULL, groups, channels, 1e-5, affine);
}

static int layernorm(probe_tensor *in, probe_ints shape, int affine)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return layer_norm(&cx, in ? &out : NULL, &shape, 1e-5, affine);
}

static int lrn(probe_tensor *in, int64_t size)
{
    ctx_reset(&cx);
    if (in) out = *in;
    return local_response_norm(&cx, in ? &out : NULL, size, 1e-4, 0.75, 1.0);
}

/* ---- BatchNorm2d ----------------------------------------------------------------- */

static void batch_norm_channels(void **state)
{
    probe_tensor x = SHAPE(1, 16, 4, 4);
    /* torch: nn.BatchNorm2d(16)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(batchnorm(&x, 16, 1, 1), 1, 16, 4, 4);
    /* weight and bias; the running statistics are buffers */
    assert_int_equal(cx.params, 32);
    /* torch: nn.BatchNorm2d(16, affine=False)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(batchnorm(&x, 16, 0, 1), 1, 16, 4, 4);
    assert_int_equal(cx.params, 0);
    x = SHAPE(2, 128, 3, 5);
    /* torch: nn.BatchNorm2d(64)(torch.rand(2, 128, 3, 5)) */
    MISMATCH(batchnorm(&x, 64, 1, 1), "num_features", 128, "running_mean should contain 128 elements not 64");
    x = SHAPE(1, 3, 4, 4);
    /* torch: nn.BatchNorm2d(10, affine=False)(torch.rand(1, 3, 4, 4)) */
    MISMATCH(batchnorm(&x, 10, 0, 1), "num_features", 3, "running_mean should contain 3 elements not 10");
    x = SHAPE(1, 8, 4, 4);
    /* torch: nn.BatchNorm2d(16, track_running_stats=False)(torch.rand(1, 8, 4, 4)) */
    MISMATCH(batchnorm(&x, 16, 1, 0), "num_features", 8, "weight should contain 8 elements not 16");
    /* no weight and no statistics: any channel count goes */
    /* torch: nn.BatchNorm2d(16, affine=False, track_running_stats=False)(torch.rand(1, 8, 4, 4)) */
    OK_SHAPE(batchnorm(&x, 16, 0, 0), 1, 8, 4, 4);
    /* an empty input returns before the statistics are looked at */
    x = SHAPE(1, 8, 0, 4);
    /* torch: nn.BatchNorm2d(16)(torch.rand(1, 8, 0, 4)) */
    OK_SHAPE(batchnorm(&x, 16, 1, 1), 1, 8, 0, 4);
    /* probe: LazyBatchNorm2d (and `?`) pass 0 and read the channels */
    x = SHAPE(1, 7, 4, 4);
    ctx_reset(&cx);
    out = x;
    assert_int_equal(lazy_batch_norm2d(&cx, &out, 1e-5, 0.1, 1, 1, 0), 1);
    assert_int_equal(cx.kind, PROBE_MISMATCH);
    assert_int_equal(cx.need, 7);
}

static void batch_norm_one_value_per_channel(void **state)
{
    probe_tensor x = SHAPE(1, 16, 1, 1);
    /* eval mode with running statistics needs no batch */
    /* torch: nn.BatchNorm2d(16)(torch.rand(1, 16, 1, 1)) */
    OK_SHAPE(batchnorm(&x, 16, 1, 1), 1, 16, 1, 1);
    /* without them eval normalizes by the batch's own statistics */
    /* torch: nn.BatchNorm2d(16, track_running_stats=False)(torch.rand(1, 16, 1, 1)) */
    RAISES(batchnorm(&x, 16, 1, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size torch.Size([1, 16, 1, 1])");
    /* checked before the channels */
    x = SHAPE(1, 4, 1, 1);
    /* torch: nn.BatchNorm2d(5, track_running_stats=False, affine=False)(torch.rand(1, 4, 1, 1)) */
    RAISES(batchnorm(&x, 5, 0, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size torch.Size([1, 4, 1, 1])");
    x = SHAPE(1, 8, 1, 1);
    /* torch: nn.BatchNorm2d(16, track_running_stats=False)(torch.rand(1, 8, 1, 1)) */
    RAISES(batchnorm(&x, 16, 1, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size torch.Size([1, 8, 1, 1])");
    x = SHAPE(1, 16, 1, 2);
    /* torch: nn.BatchNorm2d(16, track_running_stats=False)(torch.rand(1, 16, 1, 2)) */
    OK_SHAPE(batchnorm(&x, 16, 1, 0), 1, 16, 1, 2);
}

static void batch_norm_rank_and_refusals(void **state)
{
    probe_tensor x = SHAPE(4, 100);
    /* torch: nn.BatchNorm2d(16)(torch.rand(4, 100)) */
    RAISES(batchnorm(&x, 16, 1, 1), PROBE_ERROR, NULL, "expected 4D input (got 2D input)");
    x = SHAPE(16, 4, 4);
    /* torch: nn.BatchNorm2d(16)(torch.rand(16, 4, 4)) */
    RAISES(batchnorm(&x, 16, 1, 1), PROBE_ERROR, NULL, "expected 4D input (got 3D input)");
    x = SHAPE(1, 16, 4, 4, 4);
    /* torch: nn.BatchNorm2d(16)(torch.rand(1, 16, 4, 4, 4)) */
    RAISES(batchnorm(&x, 16, 1, 1), PROBE_ERROR, NULL, "expected 4D input (got 5D input)");
    /* torch: nn.BatchNorm2d(-1) */
    INVALID(batchnorm(NULL, -1, 1, 1), "num_features", "Trying to create tensor with negative dimension -1: [-1]");
    /* torch: nn.BatchNorm2d(-1, affine=False) */
    INVALID(batchnorm(NULL, -1, 0, 1), "num_features", "Trying to create tensor with negative dimension -1: [-1]");
    /* no tensor of that size is ever made: torch runs nn.BatchNorm2d(-1, affine=False, track_running_stats=False) */
    BUILDS(batchnorm(NULL, -1, 0, 0));
    /* probe: 0 is the guess behind `?` */
    BUILDS(batchnorm(NULL, 0, 1, 1));
}

/* ---- InstanceNorm2d --------------------------------------------------------------- */

static void instance_norm_channels(void **state)
{
    probe_tensor x = SHAPE(1, 8, 4, 4);
    /* no weight, no statistics: no check of the channels at all */
    /* torch: nn.InstanceNorm2d(16)(torch.rand(1, 8, 4, 4)) */
    OK_SHAPE(instancenorm(&x, 16, 0, 0), 1, 8, 4, 4);
    assert_int_equal(cx.params, 0);
    /* instance_norm runs batch_norm on [1, N*C, H, W]: both counts are times N */
    x = SHAPE(2, 3, 5, 5);
    /* torch: nn.InstanceNorm2d(64, affine=True)(torch.rand(2, 3, 5, 5)) */
    MISMATCH(instancenorm(&x, 64, 1, 0), "num_features", 3, "weight should contain 6 elements not 128");
    /* torch: nn.InstanceNorm2d(64, track_running_stats=True)(torch.rand(2, 3, 5, 5)) */
    MISMATCH(instancenorm(&x, 64, 0, 1), "num_features", 3, "running_mean should contain 6 elements not 128");
    x = SHAPE(2, 8, 4, 4);
    /* torch: nn.InstanceNorm2d(16, affine=True, track_running_stats=True)(torch.rand(2, 8, 4, 4)) */
    MISMATCH(instancenorm(&x, 16, 1, 1), "num_features", 8, "running_mean should contain 16 elements not 32");
    x = SHAPE(8, 4, 4);
    /* torch: nn.InstanceNorm2d(16, affine=True)(torch.rand(8, 4, 4)) */
    MISMATCH(instancenorm(&x, 16, 1, 0), "num_features", 8, "weight should contain 8 elements not 16");
    x = SHAPE(1, 16, 4, 4);
    /* torch: nn.InstanceNorm2d(16, affine=True)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(instancenorm(&x, 16, 1, 0), 1, 16, 4, 4);
    assert_int_equal(cx.params, 32);
    /* an empty input: only viewing the repeated statistics back fails */
    x = SHAPE(1, 8, 0, 4);
    /* torch: nn.InstanceNorm2d(16, affine=True)(torch.rand(1, 8, 0, 4)) */
    OK_SHAPE(instancenorm(&x, 16, 1, 0), 1, 8, 0, 4);
    /* torch: nn.InstanceNorm2d(16, track_running_stats=True)(torch.rand(1, 8, 0, 4)) */
    MISMATCH(instancenorm(&x, 16, 0, 1), "num_features", 8, "shape '[1, 8]' is invalid for input of size 16");
}

static void instance_norm_one_spatial_element(void **state)
{
    probe_tensor x = SHAPE(2, 8, 1, 1);
    /* torch: nn.InstanceNorm2d(8)(torch.rand(2, 8, 1, 1)) */
    RAISES(instancenorm(&x, 8, 0, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 spatial element when training, got input size torch.Size([2, 8, 1, 1])");
    /* an unbatched input is printed with its batch of one */
    x = SHAPE(8, 1, 1);
    /* torch: nn.InstanceNorm2d(8)(torch.rand(8, 1, 1)) */
    RAISES(instancenorm(&x, 8, 0, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 spatial element when training, got input size torch.Size([1, 8, 1, 1])");
    /* checked before the channels */
    x = SHAPE(3, 1, 1);
    /* torch: nn.InstanceNorm2d(4, affine=True)(torch.rand(3, 1, 1)) */
    RAISES(instancenorm(&x, 4, 1, 0), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 spatial element when training, got input size torch.Size([1, 3, 1, 1])");
    /* eval with running statistics uses them */
    x = SHAPE(1, 16, 1, 1);
    /* torch: nn.InstanceNorm2d(16, track_running_stats=True)(torch.rand(1, 16, 1, 1)) */
    OK_SHAPE(instancenorm(&x, 16, 0, 1), 1, 16, 1, 1);
    x = SHAPE(1, 16, 1, 2);
    /* torch: nn.InstanceNorm2d(16)(torch.rand(1, 16, 1, 2)) */
    OK_SHAPE(instancenorm(&x, 16, 0, 0), 1, 16, 1, 2);
}

static void instance_norm_rank_and_refusals(void **state)
{
    probe_tensor x = SHAPE(1, 16);
    /* torch: nn.InstanceNorm2d(16)(torch.rand(1, 16)) */
    RAISES(instancenorm(&x, 16, 0, 0), PROBE_ERROR, NULL, "expected 3D or 4D input (got 2D input)");
    x = SHAPE(1, 16, 2, 2, 2);
    /* torch: nn.InstanceNorm2d(16)(torch.rand(1, 16, 2, 2, 2)) */
    RAISES(instancenorm(&x, 16, 0, 0), PROBE_ERROR, NULL, "expected 3D or 4D input (got 5D input)");
    /* torch: nn.InstanceNorm2d(-1, affine=True) */
    INVALID(instancenorm(NULL, -1, 1, 0), "num_features", "Trying to create tensor with negative dimension -1: [-1]");
    /* torch runs nn.InstanceNorm2d(-1)(torch.rand(1, 4, 4, 4)) */
    BUILDS(instancenorm(NULL, -1, 0, 0));
}

static void lazy_instance_norm_tracks_and_is_affine(void **state)
{
    /* LazyInstanceNorm2d() defaults to affine=True, track_running_stats=True,
     * so its 0 is caught by the statistics */
    probe_tensor x = SHAPE(1, 7, 4, 4);
    ctx_reset(&cx);
    out = x;
    assert_int_equal(lazy_instance_norm2d(&cx, &out, 1e-5, 0.1, 1, 1, 0), 1);
    assert_int_equal(cx.kind, PROBE_MISMATCH);
    assert_string_equal(cx.param, "num_features");
    assert_int_equal(cx.need, 7);
    ctx_reset(&cx);
    out = x;
    /* torch: nn.LazyInstanceNorm2d()(torch.rand(1, 7, 4, 4)) */
    OK_SHAPE(lazy_instance_norm2d(&cx, &out, 1e-5, 0.1, 1, 1, 7), 1, 7, 4, 4);
    /* sum(p.numel() for p in the materialized InstanceNorm2d(7, affine=True)) == 14 */
    assert_int_equal(cx.params, 14);
    x = SHAPE(1, 7, 1, 1);
    ctx_reset(&cx);
    out = x;
    /* torch: nn.LazyInstanceNorm2d()(torch.rand(1, 7, 1, 1)) */
    OK_SHAPE(lazy_instance_norm2d(&cx, &out, 1e-5, 0.1, 1, 1, 7), 1, 7, 1, 1);
}

/* ---- GroupNorm ---------------------------------------------------------------------- */

static void group_norm_channels(void **state)
{
    probe_tensor x = SHAPE(1, 16, 4, 4);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(groupnorm(&x, 4, 16, 1), 1, 16, 4, 4);
    assert_int_equal(cx.params, 32);
    x = SHAPE(2, 32, 3, 5);
    /* torch: nn.GroupNorm(2, 64)(torch.rand(2, 32, 3, 5)) */
    MISMATCH(groupnorm(&x, 2, 64, 1), "num_channels", 32,
             "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [64] and input of shape [2, 32, 3, 5]");
    x = SHAPE(2, 10, 3, 3);
    /* torch: nn.GroupNorm(3, 12)(torch.rand(2, 10, 3, 3)) */
    RAISES(groupnorm(&x, 3, 12, 1), PROBE_ERROR, NULL,
           "Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 10, 3, 3] and num_groups=3");
    x = SHAPE(1, 8, 4, 4);
    /* torch: nn.GroupNorm(4, 16, affine=False)(torch.rand(1, 8, 4, 4)) */
    OK_SHAPE(groupnorm(&x, 4, 16, 0), 1, 8, 4, 4);
    assert_int_equal(cx.params, 0);
    /* a [C, H, W] input is taken as a batch of C */
    x = SHAPE(16, 4, 4);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(16, 4, 4)) */
    MISMATCH(groupnorm(&x, 4, 16, 1), "num_channels", 4,
             "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [16] and input of shape [16, 4, 4]");
    x = SHAPE(1, 16);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(1, 16)) */
    OK_SHAPE(groupnorm(&x, 4, 16, 1), 1, 16);
    x = SHAPE(16);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(16)) */
    RAISES(groupnorm(&x, 4, 16, 1), PROBE_ERROR, NULL, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
}

static void group_norm_one_value_per_group(void **state)
{
    /* F.group_norm's check runs on the list [N*C//G, G, *spatial] */
    probe_tensor x = SHAPE(1, 16, 1, 1);
    /* torch: nn.GroupNorm(16, 16)(torch.rand(1, 16, 1, 1)) */
    RAISES(groupnorm(&x, 16, 16, 1), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size [1, 16, 1, 1]");
    /* torch: nn.GroupNorm(4, 16)(torch.rand(1, 16, 1, 1)) */
    OK_SHAPE(groupnorm(&x, 4, 16, 1), 1, 16, 1, 1);
    x = SHAPE(1, 5, 1, 1);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(1, 5, 1, 1)) */
    RAISES(groupnorm(&x, 4, 16, 1), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size [1, 4, 1, 1]");
    x = SHAPE(1, 2, 1, 1);
    /* torch: nn.GroupNorm(4, 16)(torch.rand(1, 2, 1, 1)) */
    RAISES(groupnorm(&x, 4, 16, 1), PROBE_ERROR, NULL,
           "Expected number of channels in input to be divisible by num_groups, but got input of shape [1, 2, 1, 1] and num_groups=4");
    x = SHAPE(1, 16);
    /* torch: nn.GroupNorm(16, 16)(torch.rand(1, 16)) */
    RAISES(groupnorm(&x, 16, 16, 1), PROBE_TOO_SMALL, NULL,
           "Expected more than 1 value per channel when training, got input size [1, 16]");
    x = SHAPE(2, 16, 1, 1);
    /* torch: nn.GroupNorm(16, 16)(torch.rand(2, 16, 1, 1)) */
    OK_SHAPE(groupnorm(&x, 16, 16, 1), 2, 16, 1, 1);
}

static void group_norm_refusals(void **state)
{
    /* torch: nn.GroupNorm(3, 16) */
    INVALID(groupnorm(NULL, 3, 16, 1), "num_groups", "num_channels must be divisible by num_groups");
    /* torch: nn.GroupNorm(0, 16) */
    INVALID(groupnorm(NULL, 0, 16, 1), "num_groups",
            "num_groups must not be 0: GroupNorm's constructor computes num_channels % num_groups (ZeroDivisionError: integer modulo by zero)");
    /* torch: nn.GroupNorm(2, -4) */
    INVALID(groupnorm(NULL, 2, -4, 1), "num_channels", "Trying to create tensor with negative dimension -4: [-4]");
    /* torch: nn.GroupNorm(-1, 4)(torch.rand(1, 4, 4, 4)) */
    INVALID(groupnorm(NULL, -1, 4, 1), "num_groups", "Expected num groups to be greater than 0, got -1");
    /* torch runs nn.GroupNorm(2, -4, affine=False)(torch.rand(1, 4, 4, 4)) */
    BUILDS(groupnorm(NULL, 2, -4, 0));
}

/* ---- LayerNorm ------------------------------------------------------------------------ */

static void layer_norm_shapes(void **state)
{
    probe_tensor x = SHAPE(1, 16, 4, 4);
    /* torch: nn.LayerNorm(4)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(layernorm(&x, INTS(4), 1), 1, 16, 4, 4);
    assert_int_equal(cx.params, 8);
    /* torch: nn.LayerNorm([16, 4, 4])(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(layernorm(&x, INTS(16, 4, 4), 1), 1, 16, 4, 4);
    assert_int_equal(cx.params, 512);
    /* torch: nn.LayerNorm([16, 4, 4], elementwise_affine=False)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(layernorm(&x, INTS(16, 4, 4), 0), 1, 16, 4, 4);
    assert_int_equal(cx.params, 0);
    /* torch: nn.LayerNorm(16)(torch.rand(1, 16, 4, 4)) */
    MISMATCH_INTS(layernorm(&x, INTS(16), 1), "normalized_shape", INTS(4),
                  "Given normalized_shape=[16], expected input with shape [*, 16], but got input of size[1, 16, 4, 4]");
    /* torch: nn.LayerNorm([16, 8, 8])(torch.rand(1, 16, 4, 4)) */
    MISMATCH_INTS(layernorm(&x, INTS(16, 8, 8), 1), "normalized_shape", INTS(16, 4, 4),
                  "Given normalized_shape=[16, 8, 8], expected input with shape [*, 16, 8, 8], but got input of size[1, 16, 4, 4]");
    x = SHAPE(1, 16, 4, 5);
    /* torch: nn.LayerNorm(4, elementwise_affine=False)(torch.rand(1, 16, 4, 5)) */
    MISMATCH_INTS(layernorm(&x, INTS(4), 0), "normalized_shape", INTS(5),
                  "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[1, 16, 4, 5]");
    /* torch: nn.LayerNorm(0)(torch.rand(1, 16, 4, 5)) */
    MISMATCH_INTS(layernorm(&x, INTS(0), 1), "normalized_shape", INTS(5),
                  "Given normalized_shape=[0], expected input with shape [*, 0], but got input of size[1, 16, 4, 5]");
    /* more dimensions than the input has: nothing to repair it to */
    x = SHAPE(1, 16, 4, 4);
    /* torch: nn.LayerNorm([2, 16, 4, 4, 4])(torch.rand(1, 16, 4, 4)) */
    RAISES(layernorm(&x, INTS(2, 16, 4, 4, 4), 1), PROBE_ERROR, "normalized_shape",
           "Given normalized_shape=[2, 16, 4, 4, 4], expected input with shape [*, 2, 16, 4, 4, 4], but got input of size[1, 16, 4, 4]");
}

static void layer_norm_refusals(void **state)
{
    probe_ints empty = { .n = 0, .tuple = 1 };
    /* torch: nn.LayerNorm([])(torch.rand(1, 16, 4, 5)) */
    INVALID(layernorm(NULL, empty, 1), "normalized_shape",
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
    /* torch: nn.LayerNorm([3, -1]) */
    INVALID(layernorm(NULL, INTS(3, -1), 1), "normalized_shape", "Trying to create tensor with negative dimension -1: [3, -1]");
    /* torch: nn.LayerNorm(-1, elementwise_affine=False)(torch.rand(1, 16, 4, 5)) */
    INVALID(layernorm(NULL, INTS(-1), 0), "normalized_shape", "normalized_shape=[-1] can match no input: it holds a negative size");
    BUILDS(layernorm(NULL, INTS(0), 1));
}

/* ---- LocalResponseNorm ------------------------------------------------------------------ */

static void local_response_norm_rank(void **state)
{
    probe_tensor x = SHAPE(4, 10);
    /* a line continuation inside the string leaves 26 spaces in the message */
    /* torch: nn.LocalResponseNorm(5)(torch.rand(4, 10)) */
    RAISES(lrn(&x, 5), PROBE_ERROR, NULL, "Expected 3D or higher dimensionality                          input (got 2 dimensions)");
    x = SHAPE(10);
    /* torch: nn.LocalResponseNorm(2)(torch.rand(10)) */
    RAISES(lrn(&x, 2), PROBE_ERROR, NULL, "Expected 3D or higher dimensionality                          input (got 1 dimensions)");
    x = SHAPE(1, 16, 4);
    /* torch: nn.LocalResponseNorm(2)(torch.rand(1, 16, 4)) */
    OK_SHAPE(lrn(&x, 2), 1, 16, 4);
    x = SHAPE(1, 16, 4, 4, 2);
    /* torch: nn.LocalResponseNorm(2)(torch.rand(1, 16, 4, 4, 2)) */
    OK_SHAPE(lrn(&x, 2), 1, 16, 4, 4, 2);
    x = SHAPE(1, 16, 4, 4);
    /* torch: nn.LocalResponseNorm(100)(torch.rand(1, 16, 4, 4)) */
    OK_SHAPE(lrn(&x, 100), 1, 16, 4, 4);
    /* torch: nn.LocalResponseNorm(0)(torch.rand(1, 16, 4, 4)) */
    INVALID(lrn(NULL, 0), "size", "kernel size should be greater than zero, but got kT: 0 kH: 1 kW: 1");
    /* torch: nn.LocalResponseNorm(-1)(torch.rand(1, 3, 4, 4)) */
    INVALID(lrn(NULL, -1), "size", "kernel size should be greater than zero, but got kT: -1 kH: 1 kW: 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_norm_channels),
        cmocka_unit_test(batch_norm_one_value_per_channel),
        cmocka_unit_test(batch_norm_rank_and_refusals),
        cmocka_unit_test(instance_norm_channels),
        cmocka_unit_test(instance_norm_one_spatial_element),
        cmocka_unit_test(instance_norm_rank_and_refusals),
        cmocka_unit_test(lazy_instance_norm_tracks_and_is_affine),
        cmocka_unit_test(group_norm_channels),
        cmocka_unit_test(group_norm_one_value_per_group),
        cmocka_unit_test(group_norm_refusals),
        cmocka_unit_test(layer_norm_shapes),
        cmocka_unit_test(layer_norm_refusals),
        cmocka_unit_test(local_response_norm_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
