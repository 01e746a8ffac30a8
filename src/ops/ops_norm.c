/* ops_norm.c - the normalization layers, in eval mode. Messages: ATen's
 * Normalization.cpp and group_norm.cpp, torch/nn/functional.py and
 * torch/nn/modules/{batchnorm,instancenorm,normalization}.py (1.13). */
#include "ops/ops.h"
#include "base/util.h"

#include <string.h>

/* torch.empty((n,)) for a weight or a running statistic */
static int check_vector(probe_ctx *cx, int64_t n, const char *param)
{
    if (n < 0)
        return probe_raise(cx, PROBE_INVALID, param, "Trying to create tensor with negative dimension %lld: [%lld]",
                           (long long)n, (long long)n);
    return 0;
}

/* batch_norm's checks of its running stats, then its weight, against the
 * channels; with neither, any channel count goes. */
static int check_stats(probe_ctx *cx, int64_t c, int64_t declared, int have_stats, int affine,
                       const char *param, int64_t need)
{
    if (c == declared || (!have_stats && !affine)) return 0;
    return probe_mismatch(cx, param, need, "%s should contain %lld elements not %lld",
                          have_stats ? "running_mean" : "weight", (long long)c, (long long)declared);
}

/* The end of a norm's --explain line: what it asks of the C channels it
 * gets, over `values` values each. say_any_c: BatchNorm says that without
 * weight or running stats any C goes (InstanceNorm says nothing). */
static void explain_need(char *need, size_t cap, int64_t values, int affine, int track_running_stats,
                         bool say_any_c, bool empty, int64_t num_features)
{
    need[0] = '\0';
    if (!track_running_stats && values == 1)
        snprintf(need, cap, "; without running stats it needs more than 1");
    else if (!track_running_stats && !affine)
        snprintf(need, cap, "%s", say_any_c ? "; no weight, no running stats: any C goes" : "");
    else if (!empty)
        snprintf(need, cap, "; needs num_features = C = %lld", (long long)num_features);
}

int batch_norm2d(probe_ctx *cx, probe_tensor *x, int64_t num_features, double eps,
                 double momentum, int affine, int track_running_stats)
{
    OPS_UNUSED2(eps, momentum);
    if (!x) return (affine || track_running_stats) ? check_vector(cx, num_features, "num_features") : 0;
    if (x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "expected 4D input (got %dD input)", x->ndim);
    if (probe_explaining(cx)) {
        int64_t n = util_sat_mul(x->dim[0], util_sat_mul(x->dim[2], x->dim[3]));
        char need[120];
        explain_need(need, sizeof need, n, affine, track_running_stats, true, ops_numel(cx, x) == 0, num_features);
        probe_explain(cx, "normalizes each of C = %lld channels over N*H*W = %lld*%lld*%lld = %lld value%s%s",
                      (long long)x->dim[1], (long long)x->dim[0], (long long)x->dim[2], (long long)x->dim[3],
                      (long long)n, n == 1 ? "" : "s", need);
    }
    /* without running stats, eval normalizes by the batch's own */
    if (!track_running_stats && probe_mul(cx, x->dim[0], probe_mul(cx, x->dim[2], x->dim[3])) == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Expected more than 1 value per channel when training, got input size torch.Size(%s)",
                           probe_shape_str(cx, x->dim, 4));
    /* an empty input returns before the statistics are looked at */
    if (ops_numel(cx, x) != 0 &&
        check_stats(cx, x->dim[1], num_features, track_running_stats, affine, "num_features", x->dim[1]))
        return 1;
    probe_set_params(cx, affine ? probe_mul(cx, 2, num_features) : 0);
    return 0;
}

int lazy_batch_norm2d(probe_ctx *cx, probe_tensor *x, double eps, double momentum, int affine,
                      int track_running_stats, int64_t num_features)
{
    return batch_norm2d(cx, x, num_features, eps, momentum, affine, track_running_stats);
}

int instance_norm2d(probe_ctx *cx, probe_tensor *x, int64_t num_features, double eps,
                    double momentum, int affine, int track_running_stats)
{
    OPS_UNUSED2(eps, momentum);
    if (!x) return (affine || track_running_stats) ? check_vector(cx, num_features, "num_features") : 0;
    if (x->ndim != 3 && x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "expected 3D or 4D input (got %dD input)", x->ndim);
    /* an unbatched input runs as a batch of one */
    probe_tensor d = { 4, { 1, 0, 0, 0 } };
    memcpy(d.dim + (4 - x->ndim), x->dim, (size_t)x->ndim * sizeof d.dim[0]);
    if (probe_explaining(cx)) {
        int64_t hw = util_sat_mul(d.dim[2], d.dim[3]);
        char need[120];
        explain_need(need, sizeof need, hw, affine, track_running_stats, false, ops_numel(cx, &d) == 0, num_features);
        probe_explain(cx, "normalizes each sample's C = %lld channels over H*W = %lld*%lld = %lld value%s%s",
                      (long long)d.dim[1], (long long)d.dim[2], (long long)d.dim[3], (long long)hw,
                      hw == 1 ? "" : "s", need);
    }
    if (!track_running_stats && probe_mul(cx, d.dim[2], d.dim[3]) == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Expected more than 1 spatial element when training, got input size torch.Size(%s)",
                           probe_shape_str(cx, d.dim, 4));
    int64_t n = d.dim[0], c = d.dim[1];
    if (ops_numel(cx, &d) == 0) {
        /* batch_norm returns early; only viewing the repeated running stats back can fail */
        if (track_running_stats && c != num_features)
            return probe_mismatch(cx, "num_features", c, "shape '[%lld, %lld]' is invalid for input of size %lld",
                                  (long long)n, (long long)c, (long long)probe_mul(cx, n, num_features));
    } else if (check_stats(cx, probe_mul(cx, n, c), probe_mul(cx, n, num_features), track_running_stats,
                           affine, "num_features", c)) {
        /* instance_norm runs batch_norm on [1, N*C, H, W], stats repeated N times */
        return 1;
    }
    probe_set_params(cx, affine ? probe_mul(cx, 2, num_features) : 0);
    return 0;
}

int lazy_instance_norm2d(probe_ctx *cx, probe_tensor *x, double eps, double momentum, int affine,
                         int track_running_stats, int64_t num_features)
{
    return instance_norm2d(cx, x, num_features, eps, momentum, affine, track_running_stats);
}

int group_norm(probe_ctx *cx, probe_tensor *x, int64_t num_groups, int64_t num_channels,
               double eps, int affine)
{
    OPS_UNUSED1(eps);
    if (!x) {
        if (num_groups == 0)
            return probe_raise(cx, PROBE_INVALID, "num_groups", "num_groups must not be 0: GroupNorm's constructor computes num_channels %% num_groups (ZeroDivisionError: integer modulo by zero)");
        if (num_channels % num_groups != 0)
            return probe_raise(cx, PROBE_INVALID, "num_groups", "num_channels must be divisible by num_groups");
        if (affine && check_vector(cx, num_channels, "num_channels")) return 1;
        if (num_groups < 0)
            return probe_raise(cx, PROBE_INVALID, "num_groups", "Expected num groups to be greater than 0, got %lld", (long long)num_groups);
        return 0;
    }
    int unused;
    if (probe_wrap_dim(cx, 1, x->ndim, &unused)) return 1;
    /* F.group_norm's _verify_batch_size on [N*C//G, G, *spatial], a list */
    int64_t sizes[PROBE_MAX_DIMS];
    sizes[0] = probe_floordiv(probe_mul(cx, x->dim[0], x->dim[1]), num_groups);
    sizes[1] = num_groups;
    int64_t values = sizes[0];
    for (int i = 2; i < x->ndim; i++) {
        sizes[i] = x->dim[i];
        values = probe_mul(cx, values, x->dim[i]);
    }
    if (values == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL, "Expected more than 1 value per channel when training, got input size %s",
                           probe_shape_str(cx, sizes, x->ndim));
    if (probe_explaining(cx)) {
        if (x->dim[1] % num_groups != 0)
            probe_explain(cx, "C = %lld channels do not split into num_groups = %lld groups", (long long)x->dim[1],
                          (long long)num_groups);
        else
            probe_explain(cx, "splits C = %lld channels into num_groups = %lld groups of %lld/%lld = %lld%s",
                          (long long)x->dim[1], (long long)num_groups, (long long)x->dim[1], (long long)num_groups,
                          (long long)(x->dim[1] / num_groups), affine ? "; needs num_channels = C" : "");
    }
    const char *shape = probe_shape_str(cx, x->dim, x->ndim);
    if (x->dim[1] % num_groups != 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Expected number of channels in input to be divisible by num_groups, but got input of shape %s and num_groups=%lld",
                           shape, (long long)num_groups);
    if (affine && x->dim[1] != num_channels)
        return probe_mismatch(cx, "num_channels", x->dim[1],
                              "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [%lld] and input of shape %s",
                              (long long)num_channels, shape);
    probe_set_params(cx, affine ? probe_mul(cx, 2, num_channels) : 0);
    return 0;
}

int layer_norm(probe_ctx *cx, probe_tensor *x, const probe_ints *normalized_shape, double eps,
               int elementwise_affine)
{
    OPS_UNUSED1(eps);
    int k = normalized_shape->n < 0 ? 0 : normalized_shape->n;
    const char *want = probe_shape_str(cx, normalized_shape->v, k);
    if (!x) {
        for (int i = 0; i < k; i++)
            if (normalized_shape->v[i] == PROBE_NONE)
                return probe_raise(cx, PROBE_INVALID, "normalized_shape", "normalized_shape must hold integers, not None");
        if (k == 0)
            return probe_raise(cx, PROBE_INVALID, "normalized_shape",
                               "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
        for (int i = 0; i < k; i++) {
            if (normalized_shape->v[i] >= 0) continue;
            if (elementwise_affine)
                return probe_raise(cx, PROBE_INVALID, "normalized_shape", "Trying to create tensor with negative dimension %lld: %s",
                                   (long long)normalized_shape->v[i], want);
            return probe_raise(cx, PROBE_INVALID, "normalized_shape",
                               "normalized_shape=%s can match no input: it holds a negative size", want);
        }
        return 0;
    }
    bool ok = x->ndim >= k;
    for (int i = 0; ok && i < k; i++)
        if (x->dim[x->ndim - k + i] != normalized_shape->v[i]) ok = false;
    if (!ok) {
        /* "[*, 16, 4, 4]": the wanted list with a leading star */
        char star[200];
        snprintf(star, sizeof star, "[*, %s", want + 1);
        if (x->ndim < k)
            return probe_raise(cx, PROBE_ERROR, "normalized_shape",
                               "Given normalized_shape=%s, expected input with shape %s, but got input of size%s",
                               want, star, probe_shape_str(cx, x->dim, x->ndim));
        probe_ints need = { .n = k, .tuple = 1 };
        memcpy(need.v, x->dim + x->ndim - k, (size_t)k * sizeof need.v[0]);
        return probe_mismatch_ints(cx, "normalized_shape", &need,
                                   "Given normalized_shape=%s, expected input with shape %s, but got input of size%s",
                                   want, star, probe_shape_str(cx, x->dim, x->ndim));
    }
    if (probe_explaining(cx))
        probe_explain(cx, "normalizes over the input's last %d size%s %s, which must equal normalized_shape", k,
                      k == 1 ? "" : "s", want);
    int64_t n = 1;
    for (int i = 0; i < k; i++) n = probe_mul(cx, n, normalized_shape->v[i]);
    probe_set_params(cx, elementwise_affine ? probe_mul(cx, 2, n) : 0);
    return 0;
}

int local_response_norm(probe_ctx *cx, probe_tensor *x, int64_t size, double alpha, double beta, double k)
{
    OPS_UNUSED3(alpha, beta, k);
    if (!x) {
        /* the avg_pool3d over channels refuses it on every input of 4 dims or more */
        if (size <= 0)
            return probe_raise(cx, PROBE_INVALID, "size", "kernel size should be greater than zero, but got kT: %lld kH: 1 kW: 1",
                               (long long)size);
        return 0;
    }
    /* a line continuation inside the string literal of F.local_response_norm */
    if (x->ndim < 3)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Expected 3D or higher dimensionality                          input (got %d dimensions)", x->ndim);
    if (probe_explaining(cx))
        probe_explain(cx, "normalizes each value over size = %lld neighbouring channels: the shape does not change", (long long)size);
    return 0;
}
