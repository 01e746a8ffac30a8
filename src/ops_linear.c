/* ops_linear.c - Linear, Identity, Flatten, Unflatten. */
#include "ops.h"

#include <string.h>

int linear(probe_ctx *cx, probe_tensor *x, int64_t in_features, int64_t out_features, int bias)
{
    if (!x) {
        if (in_features < 0 || out_features < 0)
            return probe_raise(cx, PROBE_INVALID, in_features < 0 ? "in_features" : "out_features",
                               "Trying to create tensor with negative dimension %lld: [%lld, %lld]",
                               (long long)(in_features < 0 ? in_features : out_features),
                               (long long)out_features, (long long)in_features);
        return 0;
    }
    if (x->ndim < 1)
        return probe_raise(cx, PROBE_ERROR, NULL, "both arguments to linear need to be at least 1D, but they are 0D and 2D");
    int64_t last = x->dim[x->ndim - 1];
    if (last != in_features) {
        /* matmul folds the leading dimensions into the rows of mat1 */
        int64_t rows = 1;
        for (int i = 0; i + 1 < x->ndim; i++) rows = probe_mul(cx, rows, x->dim[i]);
        return probe_mismatch(cx, "in_features", last,
                              "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                              (long long)rows, (long long)last, (long long)in_features, (long long)out_features);
    }
    x->dim[x->ndim - 1] = out_features;
    probe_set_params(cx, probe_add(cx, probe_mul(cx, in_features, out_features), bias ? out_features : 0));
    return 0;
}

int lazy_linear(probe_ctx *cx, probe_tensor *x, int64_t out_features, int bias, int64_t in_features)
{
    return linear(cx, x, in_features, out_features, bias);
}

int identity(probe_ctx *cx, probe_tensor *x)
{
    OPS_UNUSED2(cx, x);
    return 0;
}

int flatten(probe_ctx *cx, probe_tensor *x, int64_t start_dim, int64_t end_dim)
{
    if (!x) return 0;
    if (x->ndim == 0) {
        x->ndim = 1;
        x->dim[0] = 1;
        return 0;
    }
    int s, e;
    if (probe_wrap_dim(cx, start_dim, x->ndim, &s) || probe_wrap_dim(cx, end_dim, x->ndim, &e)) return 1;
    if (s > e)
        return probe_raise(cx, PROBE_ERROR, "start_dim", "flatten() has invalid args: start_dim cannot come after end_dim");
    int64_t n = 1;
    for (int i = s; i <= e; i++) n = probe_mul(cx, n, x->dim[i]);
    x->dim[s] = n;
    memmove(x->dim + s + 1, x->dim + e + 1, (size_t)(x->ndim - e - 1) * sizeof x->dim[0]);
    x->ndim -= e - s;
    return 0;
}

int unflatten(probe_ctx *cx, probe_tensor *x, int64_t dim, const probe_ints *unflattened_size)
{
    int k = unflattened_size->n;
    if (!x) {
        if (k <= 0)
            return probe_raise(cx, PROBE_INVALID, "unflattened_size", "unflatten: sizes must be non-empty");
        int inferred = 0;
        for (int i = 0; i < k; i++) {
            if (unflattened_size->v[i] == -1) inferred++;
            else if (unflattened_size->v[i] < 0)
                return probe_raise(cx, PROBE_INVALID, "unflattened_size", "invalid shape dimension %lld", (long long)unflattened_size->v[i]);
        }
        if (inferred > 1) return probe_raise(cx, PROBE_INVALID, "unflattened_size", "only one dimension can be inferred");
        return 0;
    }
    int d;
    if (probe_wrap_dim(cx, dim, x->ndim, &d)) return 1;
    if (x->ndim - 1 + k > PROBE_MAX_DIMS)
        return probe_raise(cx, PROBE_ERROR, NULL, "probe handles tensors of at most %d dimensions", PROBE_MAX_DIMS);
    int64_t known = 1, size = x->dim[d];
    int infer_at = -1;
    for (int i = 0; i < k; i++) {
        if (unflattened_size->v[i] == -1) infer_at = i;
        else known = probe_mul(cx, known, unflattened_size->v[i]);
    }
    int64_t sizes[PROBE_MAX_DIMS];
    memcpy(sizes, unflattened_size->v, (size_t)k * sizeof sizes[0]);
    if (infer_at >= 0 && known != 0 && size % known == 0) sizes[infer_at] = size / known;
    int64_t prod = 1;
    for (int i = 0; i < k; i++) prod = probe_mul(cx, prod, sizes[i]);
    if (prod != size || (infer_at >= 0 && known == 0))
        return probe_raise(cx, PROBE_ERROR, "unflattened_size",
                           "unflatten: Provided sizes %s don't multiply up to the size of dim %d (%lld) in the input tensor",
                           probe_shape_str(cx, unflattened_size->v, k), d, (long long)size);
    memmove(x->dim + d + k, x->dim + d + 1, (size_t)(x->ndim - d - 1) * sizeof x->dim[0]);
    memcpy(x->dim + d, sizes, (size_t)k * sizeof sizes[0]);
    x->ndim += k - 1;
    return 0;
}
