/* ops_tensor_join.c - the tensor operations of several tensors: cat,
 * stack, broadcasting (a + b, a += b) and matmul (contract: tensor.h). */
#include "ops/ops.h"
#include "ops/tensor.h"

#include <string.h>

/* ---- cat, stack ------------------------------------------------------------------------ */

/* 1.13 keeps the old rule that a [0] tensor joins anything: it is skipped. */
static bool cat_skipped(const probe_tensor *t) { return t->ndim == 1 && t->dim[0] == 0; }

/* check_cat_shape_except_dim: t against the first tensor not skipped. */
static int cat_check(probe_ctx *cx, const probe_tensor *first, const probe_tensor *t, int d, int pos)
{
    if (t->ndim != first->ndim)
        return probe_raise(cx, PROBE_ERROR, NULL, "Tensors must have same number of dimensions: got %d and %d", first->ndim,
                           t->ndim);
    for (int k = 0; k < t->ndim; k++)
        if (k != d && t->dim[k] != first->dim[k])
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "Sizes of tensors must match except in dimension %d. Expected size %lld but got size %lld for tensor number %d in the list.",
                               d, (long long)first->dim[k], (long long)t->dim[k], pos);
    return 0;
}

int tensor_cat(probe_ctx *cx, const probe_tensor *xs, int n, int64_t dim, probe_tensor *out)
{
    if (n == 0) return probe_raise(cx, PROBE_ERROR, NULL, "torch.cat(): expected a non-empty list of Tensors");
    for (int i = 0; i < n; i++)
        if (xs[i].ndim == 0)
            return probe_raise(cx, PROBE_ERROR, NULL, "zero-dimensional tensor (at position %d) cannot be concatenated", i);
    int valid = 0;
    while (valid < n && cat_skipped(&xs[valid])) valid++;
    if (valid == n) {
        /* all skipped: legacy_cat_wrap_dim does not even check dim */
        *out = (probe_tensor){ 1, { 0 } };
        return 0;
    }
    const probe_tensor *first = &xs[valid];
    int d;
    if (probe_wrap_dim(cx, dim, first->ndim, &d)) return 1;
    int64_t at = 0;
    for (int i = 0; i < n; i++) {
        if (cat_skipped(&xs[i])) continue;
        if (cat_check(cx, first, &xs[i], d, i)) return 1;
        at = probe_add(cx, at, xs[i].dim[d]);
    }
    *out = *first;
    out->dim[d] = at;
    return 0;
}

static bool same_shape(const probe_tensor *a, const probe_tensor *b)
{
    return a->ndim == b->ndim && !memcmp(a->dim, b->dim, (size_t)a->ndim * sizeof a->dim[0]);
}

int tensor_stack(probe_ctx *cx, const probe_tensor *xs, int n, int64_t dim, probe_tensor *out)
{
    if (n == 0) return probe_raise(cx, PROBE_ERROR, NULL, "stack expects a non-empty TensorList");
    int d;
    /* the new dimension may go after the last: the range is one wider */
    if (probe_wrap_dim(cx, dim, xs[0].ndim + 1, &d)) return 1;
    for (int i = 1; i < n; i++)
        if (!same_shape(&xs[0], &xs[i]))
            return probe_raise(cx, PROBE_ERROR, NULL, "stack expects each tensor to be equal size, but got %s at entry 0 and %s at entry %d",
                               probe_shape_str(cx, xs[0].dim, xs[0].ndim), probe_shape_str(cx, xs[i].dim, xs[i].ndim), i);
    if (ops_check_rank(cx, xs[0].ndim + 1)) return 1;
    probe_tensor r = xs[0];
    memmove(r.dim + d + 1, r.dim + d, (size_t)(r.ndim - d) * sizeof r.dim[0]);
    r.dim[d] = n;
    r.ndim++;
    *out = r;
    return 0;
}

/* ---- broadcasting ----------------------------------------------------------------------- */

/* ATen infer_size_impl: sizes aligned at the right, a missing size is 1,
 * two sizes must match unless one is 1. Checked from the last dimension,
 * so the message names the last mismatch. res holds max(na, nb) sizes. */
static int broadcast_sizes(probe_ctx *cx, const int64_t *a, int na, const int64_t *b, int nb, int64_t *res, int *nr)
{
    int n = na > nb ? na : nb;
    for (int i = n - 1; i >= 0; i--) {
        int off = n - 1 - i;
        int64_t sa = na - 1 - off >= 0 ? a[na - 1 - off] : 1, sb = nb - 1 - off >= 0 ? b[nb - 1 - off] : 1;
        if (sa != sb && sa != 1 && sb != 1)
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                               (long long)sa, (long long)sb, i);
        res[i] = sa == 1 ? sb : sa;
    }
    *nr = n;
    return 0;
}

int tensor_broadcast(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, bool inplace, probe_tensor *out)
{
    probe_tensor r = { 0, { 0 } };
    if (broadcast_sizes(cx, a->dim, a->ndim, b->dim, b->ndim, r.dim, &r.ndim)) return 1;
    /* an in-place result cannot grow: TensorIterator's output is a itself */
    if (inplace && !same_shape(a, &r))
        return probe_raise(cx, PROBE_ERROR, NULL, "output with shape %s doesn't match the broadcast shape %s",
                           probe_shape_str(cx, a->dim, a->ndim), probe_shape_str(cx, r.dim, r.ndim));
    *out = r;
    return 0;
}

/* ---- matmul ------------------------------------------------------------------------------ */

/* mm's check: (r1 x c1) @ (r2 x c2). */
static int mm_check(probe_ctx *cx, int64_t r1, int64_t c1, int64_t r2, int64_t c2)
{
    if (c1 == r2) return 0;
    return probe_raise(cx, PROBE_ERROR, NULL, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                       (long long)r1, (long long)c1, (long long)r2, (long long)c2);
}

/* mv's check (addmv): (rows x cols) @ [len]. */
static int mv_check(probe_ctx *cx, int64_t rows, int64_t cols, int64_t len)
{
    if (cols == len) return 0;
    return probe_raise(cx, PROBE_ERROR, NULL, "size mismatch, got %lld, %lldx%lld,%lld", (long long)rows, (long long)rows,
                       (long long)cols, (long long)len);
}

/* 1-D and 2-D operands: dot, mv, mm (a vector on the left is a 1-row matrix). */
static int matmul_small(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, probe_tensor *r)
{
    const int64_t *x = a->dim, *y = b->dim;
    if (a->ndim == 1 && b->ndim == 1) {
        if (x[0] != y[0])
            return probe_raise(cx, PROBE_ERROR, NULL,
                               "inconsistent tensor size, expected tensor [%lld] and src [%lld] to have the same number of elements, but got %lld and %lld elements respectively",
                               (long long)x[0], (long long)y[0], (long long)x[0], (long long)y[0]);
        *r = (probe_tensor){ 0, { 0 } };
    } else if (b->ndim == 1) {
        if (mv_check(cx, x[0], x[1], y[0])) return 1;
        *r = (probe_tensor){ 1, { x[0] } };
    } else if (a->ndim == 1) {
        if (mm_check(cx, 1, x[0], y[0], y[1])) return 1;
        *r = (probe_tensor){ 1, { y[1] } };
    } else {
        if (mm_check(cx, x[0], x[1], y[0], y[1])) return 1;
        *r = (probe_tensor){ 2, { x[0], y[1] } };
    }
    return 0;
}

/*
 * A >= 3-D operand with a 1-D or 2-D one: its batch is folded into the
 * rows of one mm or mv. With the big one on the right, matmul works on
 * b.mT @ a.t() and transposes back (which is what its messages show).
 * should_fold's exception for a transposed 3-D operand needs strides: not
 * modelled, meta tensors are contiguous.
 */
static int matmul_fold(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, probe_tensor *r)
{
    bool transpose = b->ndim > a->ndim;
    probe_tensor t1 = transpose ? *b : *a, t2 = transpose ? *a : *b;
    if (transpose) {
        tensor_transpose(cx, &t1, -1, -2, &t1);
        if (t2.ndim == 2) tensor_t(cx, &t2, &t2);
    }
    int64_t last = t1.dim[t1.ndim - 1];
    probe_tensor lead = t1;
    lead.ndim--;
    int64_t rows = ops_numel(cx, &lead);
    if (t2.ndim == 1) {
        if (mv_check(cx, rows, last, t2.dim[0])) return 1;
        *r = lead;
        return 0;
    }
    if (mm_check(cx, rows, last, t2.dim[0], t2.dim[1])) return 1;
    *r = t1;
    r->dim[r->ndim - 1] = t2.dim[1];
    if (transpose) tensor_transpose(cx, r, -1, -2, r);
    return 0;
}

/* Both >= 3-D: the batches broadcast, then one bmm. */
static int matmul_batched(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, probe_tensor *r)
{
    int64_t n = a->dim[a->ndim - 2], m1 = a->dim[a->ndim - 1];
    int64_t m2 = b->dim[b->ndim - 2], p = b->dim[b->ndim - 1];
    if (broadcast_sizes(cx, a->dim, a->ndim - 2, b->dim, b->ndim - 2, r->dim, &r->ndim)) return 1;
    int64_t batch = ops_numel(cx, r);
    if (m1 != m2)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Expected size for first two dimensions of batch2 tensor to be: [%lld, %lld] but got: [%lld, %lld].",
                           (long long)batch, (long long)m1, (long long)batch, (long long)m2);
    r->dim[r->ndim++] = n;
    r->dim[r->ndim++] = p;
    return 0;
}

int tensor_matmul(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, probe_tensor *out)
{
    if (a->ndim == 0 || b->ndim == 0)
        return probe_raise(cx, PROBE_ERROR, NULL, "both arguments to matmul need to be at least 1D, but they are %dD and %dD",
                           a->ndim, b->ndim);
    probe_tensor r = { 0, { 0 } };
    int rc;
    if (a->ndim <= 2 && b->ndim <= 2) rc = matmul_small(cx, a, b, &r);
    else if (a->ndim <= 2 || b->ndim <= 2) rc = matmul_fold(cx, a, b, &r);
    else rc = matmul_batched(cx, a, b, &r);
    if (rc || ops_check_rank(cx, r.ndim)) return 1;
    *out = r;
    return 0;
}
