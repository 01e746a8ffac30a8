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

/* A norm layer and its Lazy form of a rank, over the family's function:
 * the rank is not in the arguments, so each layer has its entry point. */
#define NORM_LAYERS(name, family, rank)                                                                          \
    int name##rank##d(probe_ctx *cx, probe_tensor *x, int64_t num_features, double eps, double momentum,          \
                      int affine, int track_running_stats)                                                        \
    {                                                                                                             \
        OPS_UNUSED2(eps, momentum);                                                                               \
        return family(cx, x, rank, num_features, affine, track_running_stats);                                    \
    }                                                                                                             \
    int lazy_##name##rank##d(probe_ctx *cx, probe_tensor *x, double eps, double momentum, int affine,             \
                             int track_running_stats, int64_t num_features)                                       \
    {                                                                                                             \
        OPS_UNUSED2(eps, momentum);                                                                               \
        return family(cx, x, rank, num_features, affine, track_running_stats);                                    \
    }

/* "N*H*W" and "2*4*4" for the sizes of x from `from` on (the batch
 * named N, the spatial sizes by the docs' letters); returns their
 * product. */
static int64_t product_text(char *labels, char *values, size_t cap, const probe_tensor *x, int from)
{
    int64_t n = 1;
    size_t ll = 0, lv = 0;
    labels[0] = values[0] = '\0';
    for (int i = from; i < x->ndim; i++) {
        if (i == 1) continue;
        const char *name = i == 0 ? "N" : ops_dim_letter(x->ndim - 2, i - 2);
        if (ll < cap) ll += (size_t)snprintf(labels + ll, cap - ll, "%s%s", ll ? "*" : "", name);
        if (lv < cap) lv += (size_t)snprintf(values + lv, cap - lv, "%s%lld", lv ? "*" : "", (long long)x->dim[i]);
        n = util_sat_mul(n, x->dim[i]);
    }
    return n;
}

/* "over N*H*W = 2*4*4 = 32 values", or "over N = 1 value" */
static void over_text(char *buf, size_t cap, const probe_tensor *x, int from)
{
    char labels[64], values[160];
    int64_t n = product_text(labels, values, sizeof values, x, from);
    if (strchr(labels, '*'))
        snprintf(buf, cap, "over %s = %s = %lld value%s", labels, values, (long long)n, n == 1 ? "" : "s");
    else
        snprintf(buf, cap, "over %s = %lld value%s", labels, (long long)n, n == 1 ? "" : "s");
}

/* The ranks BatchNorm{1,2,3}d take: [N, C] or [N, C, L]; [N, C, H, W];
 * [N, C, D, H, W]. */
static int batch_norm_rank(probe_ctx *cx, const probe_tensor *x, int rank)
{
    int nd = x->ndim;
    if (rank == 1 && nd != 2 && nd != 3)
        return probe_raise(cx, PROBE_ERROR, NULL, "expected 2D or 3D input (got %dD input)", nd);
    if (rank != 1 && nd != rank + 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "expected %dD input (got %dD input)", rank + 2, nd);
    return 0;
}

/* BatchNorm of a rank: the statistics of each channel over the batch and
 * every spatial size. */
static int ops_batch_norm(probe_ctx *cx, probe_tensor *x, int rank, int64_t num_features, int affine,
                          int track_running_stats)
{
    if (!x) return (affine || track_running_stats) ? check_vector(cx, num_features, "num_features") : 0;
    if (batch_norm_rank(cx, x, rank)) return 1;
    char labels[64], values[160], over[300];
    int64_t n = product_text(labels, values, sizeof values, x, 0);
    if (probe_explaining(cx)) {
        char need[120];
        over_text(over, sizeof over, x, 0);
        explain_need(need, sizeof need, n, affine, track_running_stats, true, ops_numel(cx, x) == 0, num_features);
        probe_explain(cx, "normalizes each of C = %lld channels %s%s", (long long)x->dim[1], over, need);
    }
    /* without running stats, eval normalizes by the batch's own */
    if (!track_running_stats && n == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Expected more than 1 value per channel when training, got input size torch.Size(%s)",
                           probe_shape_str(cx, x->dim, x->ndim));
    /* an empty input returns before the statistics are looked at */
    if (ops_numel(cx, x) != 0 &&
        check_stats(cx, x->dim[1], num_features, track_running_stats, affine, "num_features", x->dim[1]))
        return 1;
    probe_set_params(cx, affine ? probe_mul(cx, 2, num_features) : 0);
    return 0;
}

NORM_LAYERS(batch_norm, ops_batch_norm, 1)
NORM_LAYERS(batch_norm, ops_batch_norm, 2)
NORM_LAYERS(batch_norm, ops_batch_norm, 3)

/* An empty input: batch_norm returns early; only the running stats,
 * repeated per sample and viewed back, can fail: broadcast against an
 * empty batch, or the view of a non-empty one. */
static int instance_norm_empty(probe_ctx *cx, const probe_tensor *d, int64_t num_features, int track_running_stats)
{
    int64_t n = d->dim[0], c = d->dim[1];
    if (!track_running_stats || c == num_features) return 0;
    if (n == 0)
        return probe_mismatch(cx, "num_features", c,
                              "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension 0",
                              (long long)num_features, (long long)c);
    return probe_mismatch(cx, "num_features", c, "shape '[%lld, %lld]' is invalid for input of size %lld", (long long)n,
                          (long long)c, (long long)probe_mul(cx, n, num_features));
}

/* InstanceNorm of a rank: [C, *spatial] or [N, C, *spatial], each
 * sample's channels over their spatial sizes. */
static int ops_instance_norm(probe_ctx *cx, probe_tensor *x, int rank, int64_t num_features, int affine,
                             int track_running_stats)
{
    if (!x) return (affine || track_running_stats) ? check_vector(cx, num_features, "num_features") : 0;
    if (x->ndim != rank + 1 && x->ndim != rank + 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "expected %dD or %dD input (got %dD input)", rank + 1, rank + 2, x->ndim);
    /* an unbatched input runs as a batch of one */
    probe_tensor d = { rank + 2, { 1 } };
    memcpy(d.dim + (rank + 2 - x->ndim), x->dim, (size_t)x->ndim * sizeof d.dim[0]);
    char labels[64], values[160], over[300];
    int64_t spatial = product_text(labels, values, sizeof values, &d, 2);
    if (probe_explaining(cx)) {
        char need[120];
        over_text(over, sizeof over, &d, 2);
        explain_need(need, sizeof need, spatial, affine, track_running_stats, false, ops_numel(cx, &d) == 0, num_features);
        probe_explain(cx, "normalizes each sample's C = %lld channels %s%s", (long long)d.dim[1], over, need);
    }
    if (!track_running_stats && spatial == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Expected more than 1 spatial element when training, got input size torch.Size(%s)",
                           probe_shape_str(cx, d.dim, d.ndim));
    int64_t n = d.dim[0], c = d.dim[1];
    if (ops_numel(cx, &d) == 0) {
        if (instance_norm_empty(cx, &d, num_features, track_running_stats)) return 1;
    } else if (check_stats(cx, probe_mul(cx, n, c), probe_mul(cx, n, num_features), track_running_stats,
                           affine, "num_features", c)) {
        /* instance_norm runs batch_norm on [1, N*C, *spatial], stats repeated N times */
        return 1;
    }
    probe_set_params(cx, affine ? probe_mul(cx, 2, num_features) : 0);
    return 0;
}

NORM_LAYERS(instance_norm, ops_instance_norm, 1)
NORM_LAYERS(instance_norm, ops_instance_norm, 2)
NORM_LAYERS(instance_norm, ops_instance_norm, 3)

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
