/*
 * tensor.h - the shape functions of the tensor operations a model's
 * forward() calls that are not torch.nn layers: x.view(-1, 400), torch.cat,
 * a + b, x.mean(1), a @ b, x[:, 0] ... (prefix: tensor_).
 *
 * Plain C functions for the Python front end: no schema, no registry, no
 * libffi. Each takes the call's context, its input shape(s) and its
 * arguments as C values, and writes the result shape to *out.
 *
 * The contract, shared by every function here:
 *   - returns 0 with *out set, or nonzero after probe_raise() put PyTorch
 *     1.13's own message (word for word) in cx; *out is then unchanged;
 *   - *out belongs to the caller and may be one of the inputs: the result
 *     is built aside and copied at the end;
 *   - messages live in cx (as probe_raise keeps them), nothing is kept
 *     after the call, nothing is printed;
 *   - sizes are int64 and never wrap: a product or sum that does not fit
 *     marks cx->overflow (probe then reports the tensor as too large);
 *   - a result of more than PROBE_MAX_DIMS dimensions, which PyTorch would
 *     make, is refused with "probe handles tensors of at most 8 dimensions";
 *   - a dim argument is wrapped as ATen's maybe_wrap_dim (probe_wrap_dim):
 *     "Dimension out of range (expected to be in range of [-2, 1], but got 2)".
 *
 * Meta tensors carry no strides: view and reshape behave alike (view's
 * "view size is not compatible with input tensor's size and stride" cannot
 * happen), and matmul folds as for contiguous inputs.
 */
#ifndef PROBE_TENSOR_H
#define PROBE_TENSOR_H

#include <stdbool.h>
#include "probe_plugin.h"

/* ---- shape: ops_tensor_shape.c ---------------------------------------------- */

/*
 * x.view(*sizes), x.reshape(*sizes), torch.reshape(x, sizes),
 * x.view(x.size(0), -1): n sizes, at most one -1 (ATen infer_size_impl via
 * view / reshape). Raises "shape '[-1, 400]' is invalid for input of size
 * 2704", "only one dimension can be inferred", "invalid shape dimension -2"
 * and, for 0 elements, "cannot reshape tensor of 0 elements into shape ...".
 */
int tensor_view(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out);
int tensor_reshape(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out);

/*
 * torch.flatten(x, start_dim=0, end_dim=-1), x.flatten(1) (ATen flatten):
 * a 0-dim input gives [1]. The same function as nn.Flatten's (ops_linear.c),
 * whose defaults differ (start_dim=1).
 */
int tensor_flatten(probe_ctx *cx, const probe_tensor *x, int64_t start_dim, int64_t end_dim, probe_tensor *out);

/* x.permute(*dims), torch.permute(x, dims) (ATen permute): n dims, each
 * wrapped, none repeated. */
int tensor_permute(probe_ctx *cx, const probe_tensor *x, const int64_t *dims, int n, probe_tensor *out);

/* x.transpose(d0, d1), torch.transpose, x.swapaxes (ATen transpose). */
int tensor_transpose(probe_ctx *cx, const probe_tensor *x, int64_t dim0, int64_t dim1, probe_tensor *out);

/* x.t(), torch.t (ATen t): at most 2 dimensions. */
int tensor_t(probe_ctx *cx, const probe_tensor *x, probe_tensor *out);

/* x.expand(*sizes), x.expand(B, -1, -1) (ATen expand, inferExpandGeometry):
 * a -1 keeps the size; a size-1 dimension may grow; new leading ones may
 * be added but not as -1. */
int tensor_expand(probe_ctx *cx, const probe_tensor *x, const int64_t *sizes, int n, probe_tensor *out);

/* x.squeeze(), x.squeeze(dim) (ATen squeeze, squeeze.dim): dim PROBE_NONE
 * drops every size-1 dimension; a given dim is dropped only if it is 1. */
int tensor_squeeze(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out);

/* x.unsqueeze(dim), torch.unsqueeze (ATen unsqueeze): dim in
 * [-ndim-1, ndim]. */
int tensor_unsqueeze(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out);

/*
 * F.softmax(x, dim), F.log_softmax, torch.softmax, x.softmax(dim) (ATen
 * _softmax): the shape is kept, dim is checked. dim PROBE_NONE is
 * F.softmax's deprecated implicit choice (_get_softmax_dim), always valid.
 */
int tensor_softmax(probe_ctx *cx, const probe_tensor *x, int64_t dim, probe_tensor *out);

/* ---- reductions: ops_tensor_reduce.c ------------------------------------------ */

/*
 * x.sum(dim, keepdim), x.mean, torch.amax, amin, max(dim), min(dim),
 * argmax, argmin, prod, std, var, logsumexp, norm(dim=) (ATen
 * resize_reduction, dim_list_to_bitset, zero_numel_check_dims): `name` is
 * the Python name ("mean", "amax", ...), which decides the empty-tensor
 * checks: amax/amin/max/min/argmax/argmin refuse to reduce over a size-0
 * dimension, or over all of an empty tensor. dims NULL is dim=None (every
 * dimension); n == 0 with dims non-NULL is dim=() or [], which 1.13 also
 * reads as every dimension. Raises "dim 1 appears multiple times in the
 * list of dims".
 */
int tensor_reduce(probe_ctx *cx, const char *name, const probe_tensor *x, const int64_t *dims, int n, bool keepdim,
                  probe_tensor *out);

/* ---- join: ops_tensor_join.c ---------------------------------------------------- */

/*
 * torch.cat(tensors, dim), torch.concat (ATen cat meta function,
 * check_cat_shape_except_dim, legacy_cat_wrap_dim): xs[0..n). As 1.13,
 * a tensor of shape [0] is skipped whatever the others are.
 */
int tensor_cat(probe_ctx *cx, const probe_tensor *xs, int n, int64_t dim, probe_tensor *out);

/* torch.stack(tensors, dim) (ATen stack, check_stack_inputs): every shape
 * equal; dim in [-ndim-1, ndim]. */
int tensor_stack(probe_ctx *cx, const probe_tensor *xs, int n, int64_t dim, probe_tensor *out);

/*
 * a + b, a - b, a * b, a / b, torch.add/sub/mul/div/maximum..., and with
 * inplace `a += b`, a.add_(b) (ATen infer_size_impl, and TensorIterator's
 * check that an in-place output already has the broadcast shape).
 */
int tensor_broadcast(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, bool inplace, probe_tensor *out);

/*
 * a @ b, torch.matmul (ATen matmul/_matmul_impl and what it calls: dot,
 * mv, mm, bmm): 1-D and 2-D operands, folding of a >= 3-D operand with a
 * 1-D/2-D one, and batched broadcasting.
 */
int tensor_matmul(probe_ctx *cx, const probe_tensor *a, const probe_tensor *b, probe_tensor *out);

/* ---- indexing: ops_tensor_shape.c ----------------------------------------------- */

typedef enum tensor_index_kind {
    TENSOR_INDEX_INT,       /* x[2]: `i` */
    TENSOR_INDEX_SLICE,     /* x[lo:hi:step]: PROBE_NONE for an omitted part */
    TENSOR_INDEX_NONE,      /* x[None] */
    TENSOR_INDEX_ELLIPSIS   /* x[...] */
} tensor_index_kind;

typedef struct tensor_index_item {
    tensor_index_kind kind;
    int64_t i;
    int64_t lo, hi, step;
} tensor_index_item;

/*
 * x[items...] with ints, slices, None and Ellipsis (torch/csrc's
 * THPVariable_getitem and ATen's TensorIndexing applySlicing,
 * applySelect, applySlice). `tuple` says the index was a tuple (x[0,] or
 * x[0, :]) rather than one item (x[0]): 1.13 takes a different path for a
 * lone item, which matters on 0-dim tensors. Tensor and bool indices are
 * not handled.
 */
int tensor_index(probe_ctx *cx, const probe_tensor *x, const tensor_index_item *items, int n, bool tuple,
                 probe_tensor *out);

#endif
