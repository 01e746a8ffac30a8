/* ops_tensor_shape.c - the tensor operations that rearrange one tensor's
 * sizes: view/reshape, flatten, permute, transpose, t, squeeze, unsqueeze,
 * softmax's dim check and x[...] indexing (contract: tensor.h). */
#include "ops/ops.h"
#include "ops/tensor.h"

#include <string.h>

/* ---- view / reshape -------------------------------------------------------------- */

/*
 * ATen's infer_size_impl: sizes[] may hold one -1, no other negative size;
 * the product of the others must be numel, or divide it when there is a
 * -1 (which takes the rest). *infer_at is the -1's place (-1: none), *rest
 * its value. A product past int64 raises the "is invalid" message: ATen
 * multiplies without a check and its wrapped product never equals a real
 * numel in practice, so the message is the one a user sees.
 */
static int infer_size(probe_ctx *cx, const int64_t *sizes, int n, int64_t numel, int *infer_at, int64_t *rest)
{
    int64_t prod = 1;
    bool over = false;
    *infer_at = -1;
    for (int i = 0; i < n; i++) {
        if (sizes[i] == -1) {
            if (*infer_at >= 0) return probe_raise(cx, PROBE_ERROR, NULL, "only one dimension can be inferred");
            *infer_at = i;
        } else if (sizes[i] >= 0) {
            over |= __builtin_mul_overflow(prod, sizes[i], &prod);
        } else {
            return probe_raise(cx, PROBE_ERROR, NULL, "invalid shape dimension %lld", (long long)sizes[i]);
        }
    }
    const char *shape = probe_shape_str(cx, sizes, n);
    if (!over && (numel == prod || (*infer_at >= 0 && prod > 0 && numel % prod == 0))) {
        if (*infer_at >= 0 && prod == 0)
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "cannot reshape tensor of 0 elements into shape %s because the unspecified dimension size -1 can be any value and is ambiguous",
                               shape);
        *rest = *infer_at >= 0 ? numel / prod : 0;
        return 0;
    }
    return probe_raise(cx, PROBE_ERROR, NULL, "shape '%s' is invalid for input of size %lld", shape, (long long)numel);
}

int tensor_view(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out)
{
    int infer_at;
    int64_t rest;
    /* contiguity is not modelled: every view a meta shape allows, reshape allows */
    if (infer_size(cx, sizes, n, ops_numel(cx, x), &infer_at, &rest) || ops_check_rank(cx, n)) return 1;
    out->ndim = n;
    /* view(()) may pass no array at all */
    for (int i = 0; i < n; i++) out->dim[i] = sizes[i];
    if (infer_at >= 0) out->dim[infer_at] = rest;
    return 0;
}

int tensor_reshape(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out)
{
    return tensor_view(cx, x, sizes, n, out);
}

/* ---- flatten, permute, transpose, squeeze, unsqueeze ------------------------------- */

int tensor_flatten(probe_ctx *cx, const probe_tensor *x, int64_t start_dim, int64_t end_dim, probe_tensor *out)
{
    /* nn.Flatten's function is torch.flatten's with other defaults */
    probe_tensor r = *x;
    if (flatten(cx, &r, start_dim, end_dim)) return 1;
    *out = r;
    return 0;
}

int tensor_permute(probe_ctx *cx, const probe_tensor *x, const int64_t *dims, int n, probe_tensor *out)
{
    if (n != x->ndim)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = %d is not equal to len(dims) = %d",
                           x->ndim, n);
    probe_tensor r = { n, { 0 } };
    unsigned seen = 0;
    for (int i = 0; i < n; i++) {
        int d;
        if (probe_wrap_dim(cx, dims[i], n, &d)) return 1;
        if (seen & (1u << d)) return probe_raise(cx, PROBE_ERROR, NULL, "permute(): duplicate dims are not allowed.");
        seen |= 1u << d;
        r.dim[i] = x->dim[d];
    }
    *out = r;
    return 0;
}

int tensor_transpose(probe_ctx *cx, const probe_tensor *x, int64_t dim0, int64_t dim1, probe_tensor *out)
{
    int a, b;
    if (probe_wrap_dim(cx, dim0, x->ndim, &a) || probe_wrap_dim(cx, dim1, x->ndim, &b)) return 1;
    probe_tensor r = *x;
    /* a 0-dim tensor wraps both to 0 and has nothing to swap */
    if (r.ndim > 0) {
        r.dim[a] = x->dim[b];
        r.dim[b] = x->dim[a];
    }
    *out = r;
    return 0;
}

int tensor_t(probe_ctx *cx, const probe_tensor *x, probe_tensor *out)
{
    if (x->ndim > 2)
        return probe_raise(cx, PROBE_ERROR, NULL, "t() expects a tensor with <= 2 dimensions, but self is %dD", x->ndim);
    return tensor_transpose(cx, x, 0, x->ndim < 2 ? 0 : 1, out);
}

/* ATen's inferExpandGeometry, from the last dimension back. */
int tensor_expand(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out)
{
    if (n < x->ndim)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "expand(torch.FloatTensor{%s}, size=%s): the number of sizes provided (%d) must be greater or equal to the number of dimensions in the tensor (%d)",
                           probe_shape_str(cx, x->dim, x->ndim), probe_shape_str(cx, sizes, n), n, x->ndim);
    if (n > PROBE_MAX_DIMS) return ops_check_rank(cx, n);
    probe_tensor r = { n, { 0 } };
    for (int i = n - 1; i >= 0; i--) {
        int dim = x->ndim - n + i;
        int64_t size = dim >= 0 ? x->dim[dim] : 1, target = sizes[i];
        if (dim < 0 && target < 0)
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "The expanded size of the tensor (%lld) isn't allowed in a leading, non-existing dimension %d",
                               (long long)target, i);
        if (target == -1) target = size;
        if (size != target && size != 1)
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "The expanded size of the tensor (%lld) must match the existing size (%lld) at non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
                               (long long)target, (long long)size, i, probe_shape_str(cx, sizes, n),
                               probe_shape_str(cx, x->dim, x->ndim));
        r.dim[i] = target;
    }
    *out = r;
    return 0;
}

int tensor_squeeze(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out)
{
    int d = -1;
    if (dim != PROBE_NONE && probe_wrap_dim(cx, dim, x->ndim, &d)) return 1;
    probe_tensor r = { 0, { 0 } };
    for (int i = 0; i < x->ndim; i++) {
        bool drop = x->dim[i] == 1 && (dim == PROBE_NONE || i == d);
        if (!drop) r.dim[r.ndim++] = x->dim[i];
    }
    *out = r;
    return 0;
}

/* Inserts a size-1 dimension at d (already wrapped, 0..ndim). */
static int insert_one(probe_ctx *cx, probe_tensor *r, int d)
{
    if (ops_check_rank(cx, r->ndim + 1)) return 1;
    memmove(r->dim + d + 1, r->dim + d, (size_t)(r->ndim - d) * sizeof r->dim[0]);
    r->dim[d] = 1;
    r->ndim++;
    return 0;
}

int tensor_unsqueeze(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out)
{
    int d;
    probe_tensor r = *x;
    /* the new dimension may go after the last: the range is one wider */
    if (probe_wrap_dim(cx, dim, x->ndim + 1, &d) || insert_one(cx, &r, d)) return 1;
    *out = r;
    return 0;
}

int tensor_softmax(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out)
{
    int d;
    /* None: F.softmax picks 0 or 1 by the rank, always in range */
    if (dim != PROBE_NONE && probe_wrap_dim(cx, dim, x->ndim, &d)) return 1;
    *out = *x;
    return 0;
}

/* ---- indexing ------------------------------------------------------------------------ */

/* applySelect: x[i] at dimension `dim` of r, `pos` being the item's place
 * in the index, which is what the message calls the dimension. */
static int index_select(probe_ctx *cx, probe_tensor *r, int dim, int64_t i, int pos)
{
    if (i == 0 && dim == 0 && r->ndim == 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
    /* ATen reads sizes()[dim] unchecked past the last dimension (a second
     * Ellipsis, or a 0-dim tensor); 1.13 builds read 0 there */
    int64_t size = dim < r->ndim ? r->dim[dim] : 0;
    if (i < -size || i >= size)
        return probe_raise(cx, PROBE_ERROR, NULL, "index %lld is out of bounds for dimension %d with size %lld",
                           (long long)i, pos, (long long)size);
    memmove(r->dim + dim, r->dim + dim + 1, (size_t)(r->ndim - dim - 1) * sizeof r->dim[0]);
    r->ndim--;
    return 0;
}

/* applySlice and at::slice: lo and hi clamped into [0, size], then
 * ceil((hi - lo) / step) elements. */
static int index_slice(probe_ctx *cx, probe_tensor *r, int dim, const tensor_index_item *it)
{
    if (it->step == 0) return probe_raise(cx, PROBE_ERROR, NULL, "slice step cannot be zero");
    if (it->step != PROBE_NONE && it->step < 0) return probe_raise(cx, PROBE_ERROR, NULL, "step must be greater than zero");
    if (r->ndim == 0) return probe_raise(cx, PROBE_ERROR, NULL, "slice() cannot be applied to a 0-dim tensor.");
    int d;
    if (probe_wrap_dim(cx, dim, r->ndim, &d)) return 1;
    int64_t size = r->dim[d], step = it->step == PROBE_NONE ? 1 : it->step;
    int64_t lo = it->lo == PROBE_NONE ? 0 : it->lo, hi = it->hi == PROBE_NONE ? INT64_MAX : it->hi;
    if (lo < 0) lo += size;
    if (hi < 0) hi += size;
    lo = lo < 0 ? 0 : lo > size ? size : lo;
    hi = hi < lo ? lo : hi > size ? size : hi;
    /* (len + step - 1) / step without the sum that can overflow */
    r->dim[d] = hi == lo ? 0 : (hi - lo - 1) / step + 1;
    return 0;
}

static int index_item(probe_ctx *cx, probe_tensor *r, int *dim, const tensor_index_item *it, int pos, int skip)
{
    int d;
    switch (it->kind) {
    case TENSOR_INDEX_INT: return index_select(cx, r, *dim, it->i, pos);
    case TENSOR_INDEX_SLICE: return index_slice(cx, r, (*dim)++, it);
    case TENSOR_INDEX_ELLIPSIS: *dim += skip; return 0;
    default:
        /* None: unsqueeze at the current dimension */
        if (probe_wrap_dim(cx, *dim, r->ndim + 1, &d) || insert_one(cx, r, d)) return 1;
        (*dim)++;
        return 0;
    }
}

int tensor_index(probe_ctx *cx, const probe_tensor *x, const tensor_index_item *items, int n, bool tuple,
                 probe_tensor *out)
{
    int specified = 0;
    for (int i = 0; i < n; i++)
        specified += items[i].kind == TENSOR_INDEX_INT || items[i].kind == TENSOR_INDEX_SLICE;
    /* a lone item skips applySlicing's count: x[0] on a 0-dim tensor gets
     * applySelect's message */
    if ((tuple || n != 1) && specified > x->ndim)
        return probe_raise(cx, PROBE_ERROR, NULL, "too many indices for tensor of dimension %d", x->ndim);
    probe_tensor r = *x;
    int dim = 0;
    for (int i = 0; i < n; i++)
        if (index_item(cx, &r, &dim, &items[i], i, x->ndim - specified)) return 1;
    *out = r;
    return 0;
}
