/* ops_linear.c - Linear, Identity, Flatten, Unflatten. */
#include "ops/ops.h"

#include <string.h>

int linear(probe_ctx *cx, probe_tensor *x, int64_t in_features, int64_t out_features, int bias)
{
    if (!x) {
        /* torch.empty((out_features, in_features)) names its first negative size */
        if (out_features < 0 || in_features < 0)
            return probe_raise(cx, PROBE_INVALID, out_features < 0 ? "out_features" : "in_features",
                               "Trying to create tensor with negative dimension %lld: [%lld, %lld]",
                               (long long)(out_features < 0 ? out_features : in_features),
                               (long long)out_features, (long long)in_features);
        return 0;
    }
    if (x->ndim < 1)
        return probe_raise(cx, PROBE_ERROR, NULL, "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
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
    if (probe_explaining(cx))
        probe_explain(cx, "in_features = the input's last size = %lld; output [..., out_features] = %s", (long long)last,
                      probe_shape_str(cx, x->dim, x->ndim));
    probe_set_params(cx, probe_add(cx, probe_mul(cx, in_features, out_features), bias ? out_features : 0));
    return 0;
}

int lazy_linear(probe_ctx *cx, probe_tensor *x, int64_t out_features, int bias, int64_t in_features)
{
    /* the weight is made at the first forward; its in_features is unknown here */
    if (!x && out_features < 0)
        return probe_raise(cx, PROBE_INVALID, "out_features", "Trying to create tensor with negative dimension %lld: [%lld, in_features]",
                           (long long)out_features, (long long)out_features);
    return linear(cx, x, in_features, out_features, bias);
}

int identity(probe_ctx *cx, probe_tensor *x)
{
    OPS_UNUSED2(cx, x);
    return 0;
}

/* "dims 1..3: 256 * 4 * 4 = 4096" */
static void explain_flatten(probe_ctx *cx, const probe_tensor *x, int s, int e, int64_t n)
{
    if (s == e) {
        probe_explain(cx, "dims %d..%d: a single dimension, nothing to merge", s, e);
        return;
    }
    char prod[300];
    size_t len = 0;
    for (int i = s; i <= e && len < sizeof prod; i++)
        len += (size_t)snprintf(prod + len, sizeof prod - len, "%s%lld", i > s ? " * " : "", (long long)x->dim[i]);
    probe_explain(cx, "dims %d..%d (start_dim..end_dim) multiplied: %s = %lld", s, e, prod, (long long)n);
}

int flatten(probe_ctx *cx, probe_tensor *x, int64_t start_dim, int64_t end_dim)
{
    if (!x) return 0;
    int s, e;
    if (probe_wrap_dim(cx, start_dim, x->ndim, &s) || probe_wrap_dim(cx, end_dim, x->ndim, &e)) return 1;
    if (s > e)
        return probe_raise(cx, PROBE_ERROR, "start_dim", "flatten() has invalid args: start_dim cannot come after end_dim");
    /* a 0-dim tensor, with dims wrapped as for one dimension, becomes [1] */
    if (x->ndim == 0) {
        x->ndim = 1;
        x->dim[0] = 1;
        return 0;
    }
    int64_t n = 1;
    for (int i = s; i <= e; i++) n = probe_mul(cx, n, x->dim[i]);
    if (probe_explaining(cx)) explain_flatten(cx, x, s, e, n);
    x->dim[s] = n;
    memmove(x->dim + s + 1, x->dim + e + 1, (size_t)(x->ndim - e - 1) * sizeof x->dim[0]);
    x->ndim -= e - s;
    return 0;
}

/* "dim 1 (4096) becomes (256, 4, 4): 256 * 4 * 4 = 4096", with the -1
 * worked out when there is one. */
static void explain_unflatten(probe_ctx *cx, int d, int64_t size, const probe_ints *given,
                              const int64_t *sizes, int infer_at)
{
    char prod[300], known[300];
    size_t len = 0, klen = 0;
    for (int i = 0; i < given->n; i++) {
        if (len < sizeof prod)
            len += (size_t)snprintf(prod + len, sizeof prod - len, "%s%lld", i ? " * " : "", (long long)sizes[i]);
        if (i != infer_at && klen < sizeof known)
            klen += (size_t)snprintf(known + klen, sizeof known - klen, "%s%lld", klen ? "*" : "", (long long)given->v[i]);
    }
    if (infer_at >= 0)
        probe_explain(cx, "dim %d (%lld) becomes %s: -1 = %lld / %s%s%s = %lld", d, (long long)size,
                      probe_shape_str(cx, sizes, given->n), (long long)size, given->n > 2 ? "(" : "",
                      klen ? known : "1", given->n > 2 ? ")" : "", (long long)sizes[infer_at]);
    else
        probe_explain(cx, "dim %d (%lld) becomes %s: %s = %lld", d, (long long)size,
                      probe_shape_str(cx, sizes, given->n), prod, (long long)size);
}

int unflatten(probe_ctx *cx, probe_tensor *x, int64_t dim, const probe_ints *unflattened_size)
{
    int k = unflattened_size->n < 0 ? 0 : unflattened_size->n;
    if (!x) {
        if (!unflattened_size->tuple)
            return probe_raise(cx, PROBE_INVALID, "unflattened_size",
                               "unflattened_size must be a tuple of ints, but found type int");
        for (int i = 0; i < k; i++)
            if (unflattened_size->v[i] == PROBE_NONE)
                return probe_raise(cx, PROBE_INVALID, "unflattened_size",
                                   "unflattened_size must be tuple of ints, but found element of type NoneType at pos %d", i);
        if (k == 0)
            return probe_raise(cx, PROBE_INVALID, "unflattened_size", "unflatten: sizes must be non-empty");
        /* infer_size's scan: its runtime_error is wrapped by unflatten, its c10::Error is not */
        bool inferred = false;
        for (int i = 0; i < k; i++) {
            int64_t v = unflattened_size->v[i];
            if (v == -1 && inferred)
                return probe_raise(cx, PROBE_INVALID, "unflattened_size", "unflatten got an unexpected error:\nonly one dimension can be inferred");
            if (v == -1) inferred = true;
            else if (v < 0)
                return probe_raise(cx, PROBE_INVALID, "unflattened_size", "invalid shape dimension %lld", (long long)v);
        }
        return 0;
    }
    int d;
    if (probe_wrap_dim(cx, dim, x->ndim, &d)) return 1;
    if (ops_check_rank(cx, x->ndim - 1 + k)) return 1;
    int64_t known = 1, size = x->dim[d];
    int infer_at = -1;
    for (int i = 0; i < k; i++) {
        if (unflattened_size->v[i] == -1) infer_at = i;
        else known = probe_mul(cx, known, unflattened_size->v[i]);
    }
    const char *given = probe_shape_str(cx, unflattened_size->v, k);
    if (infer_at >= 0 && known == 0 && size == 0)
        return probe_raise(cx, PROBE_ERROR, "unflattened_size",
                           "cannot reshape tensor of 0 elements into shape %s because the unspecified dimension size -1 can be any value and is ambiguous",
                           given);
    int64_t sizes[PROBE_MAX_DIMS];
    memcpy(sizes, unflattened_size->v, (size_t)k * sizeof sizes[0]);
    if (infer_at >= 0 && known != 0 && size % known == 0) sizes[infer_at] = size / known;
    int64_t prod = 1;
    for (int i = 0; i < k; i++) prod = probe_mul(cx, prod, sizes[i]);
    if (prod != size)
        return probe_raise(cx, PROBE_ERROR, "unflattened_size",
                           "unflatten: Provided sizes %s don't multiply up to the size of dim %d (%lld) in the input tensor",
                           given, d, (long long)size);
    if (probe_explaining(cx)) explain_unflatten(cx, d, size, unflattened_size, sizes, infer_at);
    memmove(x->dim + d + k, x->dim + d + 1, (size_t)(x->ndim - d - 1) * sizeof x->dim[0]);
    memcpy(x->dim + d, sizes, (size_t)k * sizeof sizes[0]);
    x->ndim += k - 1;
    return 0;
}
