/* test_ops_tensor.c - the tensor operations of forward() (src/ops/tensor.h)
 * called directly: view/reshape, flatten, permute, transpose, t, squeeze,
 * unsqueeze, softmax, the reductions, cat, stack, broadcasting, matmul and
 * indexing. Every expectation comes from a PyTorch 1.13 run of the
 * expression in the comment above it, where E(*s) is torch.empty(*s,
 * device='meta') and Z(*s) is torch.zeros(*s) (a real tensor, for the
 * checks the meta kernels skip); "probe:" comments mark probe's own design. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops/ops.h"
#include "ops/tensor.h"

#include "ops_check.h"

#define ERR(call, message) RAISES((call), PROBE_ERROR, NULL, (message))
#define BIG (INT64_C(1) << 62)

static const probe_tensor SCALAR = { 0, { 0 } };

/* ---- calls ----------------------------------------------------------------- */

static int view(probe_tensor x, probe_ints sizes)
{
    ctx_reset(&cx);
    return tensor_view(&cx, &x, sizes.v, sizes.n, &out);
}

static int reshape(probe_tensor x, probe_ints sizes)
{
    ctx_reset(&cx);
    return tensor_reshape(&cx, &x, sizes.v, sizes.n, &out);
}

static int flat(probe_tensor x, int64_t start, int64_t end)
{
    ctx_reset(&cx);
    return tensor_flatten(&cx, &x, start, end, &out);
}

static int permute(probe_tensor x, probe_ints dims)
{
    ctx_reset(&cx);
    return tensor_permute(&cx, &x, dims.v, dims.n, &out);
}

static int transpose(probe_tensor x, int64_t d0, int64_t d1)
{
    ctx_reset(&cx);
    return tensor_transpose(&cx, &x, d0, d1, &out);
}

static int expand(probe_tensor x, probe_ints sizes)
{
    ctx_reset(&cx);
    return tensor_expand(&cx, &x, sizes.v, sizes.n, &out);
}

static int t(probe_tensor x)
{
    ctx_reset(&cx);
    return tensor_t(&cx, &x, &out);
}

static int squeeze(probe_tensor x, int64_t dim)
{
    ctx_reset(&cx);
    return tensor_squeeze(&cx, &x, dim, &out);
}

static int unsqueeze(probe_tensor x, int64_t dim)
{
    ctx_reset(&cx);
    return tensor_unsqueeze(&cx, &x, dim, &out);
}

static int softmax_(probe_tensor x, int64_t dim)
{
    ctx_reset(&cx);
    return tensor_softmax(&cx, &x, dim, &out);
}

/* dims: a list; reduce_all: dim=None */
static int reduce(const char *name, probe_tensor x, probe_ints dims, bool keepdim)
{
    ctx_reset(&cx);
    return tensor_reduce(&cx, name, &x, dims.v, dims.n, keepdim, &out);
}

static int reduce_all(const char *name, probe_tensor x, bool keepdim)
{
    ctx_reset(&cx);
    return tensor_reduce(&cx, name, &x, NULL, 0, keepdim, &out);
}

#define LIST(...) ((probe_tensor[]){ __VA_ARGS__ })
#define COUNT(...) ((int)(sizeof LIST(__VA_ARGS__) / sizeof(probe_tensor)))

static int cat_(const probe_tensor *xs, int n, int64_t dim)
{
    ctx_reset(&cx);
    return tensor_cat(&cx, xs, n, dim, &out);
}
#define CAT(dim, ...) cat_(LIST(__VA_ARGS__), COUNT(__VA_ARGS__), (dim))

static int stack_(const probe_tensor *xs, int n, int64_t dim)
{
    ctx_reset(&cx);
    return tensor_stack(&cx, xs, n, dim, &out);
}
#define STACK(dim, ...) stack_(LIST(__VA_ARGS__), COUNT(__VA_ARGS__), (dim))

static int bcast(probe_tensor a, probe_tensor b, bool inplace)
{
    ctx_reset(&cx);
    return tensor_broadcast(&cx, &a, &b, inplace, &out);
}

static int matmul(probe_tensor a, probe_tensor b)
{
    ctx_reset(&cx);
    return tensor_matmul(&cx, &a, &b, &out);
}

/* index items */
#define I(v) ((tensor_index_item){ TENSOR_INDEX_INT, (v), 0, 0, 0 })
#define S(lo, hi, step) ((tensor_index_item){ TENSOR_INDEX_SLICE, 0, (lo), (hi), (step) })
#define ALL S(PROBE_NONE, PROBE_NONE, PROBE_NONE)
#define NEW ((tensor_index_item){ TENSOR_INDEX_NONE, 0, 0, 0, 0 })
#define ETC ((tensor_index_item){ TENSOR_INDEX_ELLIPSIS, 0, 0, 0, 0 })
#define N PROBE_NONE

static int index_(probe_tensor x, const tensor_index_item *items, int n, bool tuple)
{
    ctx_reset(&cx);
    return tensor_index(&cx, &x, items, n, tuple, &out);
}
#define ITEMS(...) ((tensor_index_item[]){ __VA_ARGS__ })
#define NITEMS(...) ((int)(sizeof ITEMS(__VA_ARGS__) / sizeof(tensor_index_item)))
/* x[a, b, ...]: a tuple; x[a]: one item */
#define IDX(x, ...) index_((x), ITEMS(__VA_ARGS__), NITEMS(__VA_ARGS__), true)
#define IDX1(x, item) index_((x), ITEMS(item), 1, false)

/* ---- view / reshape ----------------------------------------------------------- */

static void view_sizes(void **state)
{
    probe_tensor x = SHAPE(1, 16, 13, 13);
    /* torch: E(1,16,13,13).view(-1, 2704) */
    OK_SHAPE(view(x, INTS(-1, 2704)), 1, 2704);
    /* torch: E(1,16,13,13).view(1, -1) */
    OK_SHAPE(view(x, INTS(1, -1)), 1, 2704);
    /* torch: E(1,16,13,13).reshape(16, -1, 13) */
    OK_SHAPE(reshape(x, INTS(16, -1, 13)), 16, 13, 13);
    /* torch: E(0,4).view(2,-1) */
    OK_SHAPE(view(SHAPE(0, 4), INTS(2, -1)), 2, 0);
    /* torch: E(0,4).view(-1) */
    OK_SHAPE(view(SHAPE(0, 4), INTS(-1)), 0);
    /* torch: E(0,4).view(4,0,2) */
    OK_SHAPE(view(SHAPE(0, 4), INTS(4, 0, 2)), 4, 0, 2);
    /* torch: E(()).view(-1) */
    OK_SHAPE(view(SCALAR, INTS(-1)), 1);
    /* torch: E(1,1).view(()) */
    ctx_reset(&cx);
    probe_tensor one = SHAPE(1, 1);
    assert_int_equal(tensor_view(&cx, &one, NULL, 0, &out), 0);
    assert_int_equal(out.ndim, 0);
}

static void view_refusals(void **state)
{
    probe_tensor x = SHAPE(1, 16, 13, 13);
    /* torch: E(1,16,13,13).view(-1, 400) */
    ERR(view(x, INTS(-1, 400)), "shape '[-1, 400]' is invalid for input of size 2704");
    /* torch: E(1,16,13,13).reshape(-1, 400) */
    ERR(reshape(x, INTS(-1, 400)), "shape '[-1, 400]' is invalid for input of size 2704");
    x = SHAPE(4, 4);
    /* torch: E(4,4).view(-1,-1) */
    ERR(view(x, INTS(-1, -1)), "only one dimension can be inferred");
    /* torch: E(4,4).view(-2,8) */
    ERR(view(x, INTS(-2, 8)), "invalid shape dimension -2");
    /* torch: E(4,4).view(-1,-2) */
    ERR(view(x, INTS(-1, -2)), "invalid shape dimension -2");
    /* torch: E(4,4).view(3,5) */
    ERR(view(x, INTS(3, 5)), "shape '[3, 5]' is invalid for input of size 16");
    /* torch: E(4,4).view(0,-1) */
    ERR(view(x, INTS(0, -1)), "shape '[0, -1]' is invalid for input of size 16");
    /* torch: E(4).view(()) */
    ctx_reset(&cx);
    probe_tensor four = SHAPE(4);
    ERR(tensor_view(&cx, &four, NULL, 0, &out), "shape '[]' is invalid for input of size 4");
    /* torch: E(0,4).view(0,-1) */
    ERR(view(SHAPE(0, 4), INTS(0, -1)),
        "cannot reshape tensor of 0 elements into shape [0, -1] because the unspecified dimension size -1 can be any value and is ambiguous");
    /* torch: E(0,4).reshape(-1,0) */
    ERR(reshape(SHAPE(0, 4), INTS(-1, 0)),
        "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value and is ambiguous");
    /* torch: E(0,4).view(-3,-1) */
    ERR(view(SHAPE(0, 4), INTS(-3, -1)), "invalid shape dimension -3");
}

static void view_sizes_past_int64(void **state)
{
    probe_tensor x = SHAPE(4, 4);
    /* the product wraps to 0 in ATen; probe does not wrap, and the message is the same */
    /* torch: E(4,4).view(2**62, 4) */
    ERR(view(x, INTS(BIG, 4)), "shape '[4611686018427387904, 4]' is invalid for input of size 16");
    assert_false(cx.overflow);
    /* torch: E(4,4).view(2**62, 2**62, -1) */
    ERR(view(x, INTS(BIG, BIG, -1)), "shape '[4611686018427387904, 4611686018427387904, -1]' is invalid for input of size 16");
    /* probe: an input whose numel does not fit is marked */
    view(SHAPE(BIG, BIG), INTS(-1));
    assert_true(cx.overflow);
}

static void view_rank_limit(void **state)
{
    /* torch: E(1).view(1,1,1,1,1,1,1,1,1).shape == [1]*9 */
    /* probe: a probe_tensor holds at most 8 dimensions */
    int64_t nine[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    probe_tensor x = SHAPE(1);
    ctx_reset(&cx);
    ERR(tensor_view(&cx, &x, nine, 9, &out), "probe handles tensors of at most 8 dimensions");
    /* the output is left alone after an error */
    out = SHAPE(7);
    ERR(view(x, INTS(2)), "shape '[2]' is invalid for input of size 1");
    assert_int_equal(out.ndim, 1);
    assert_int_equal(out.dim[0], 7);
}

/* ---- flatten, permute, transpose, t ------------------------------------------------ */

static void flatten_dims_(void **state)
{
    probe_tensor x = SHAPE(2, 3, 4, 5);
    /* torch: torch.flatten(E(2,3,4,5), 1) */
    OK_SHAPE(flat(x, 1, -1), 2, 60);
    /* torch: torch.flatten(E(2,3,4,5)) */
    OK_SHAPE(flat(x, 0, -1), 120);
    /* torch: torch.flatten(E(2,3,4,5), -3, 2) */
    OK_SHAPE(flat(x, -3, 2), 2, 12, 5);
    /* torch: torch.flatten(E(()), 0) */
    OK_SHAPE(flat(SCALAR, 0, -1), 1);
    /* torch: torch.flatten(E(2,3,4,5), 2, 1) */
    RAISES(flat(x, 2, 1), PROBE_ERROR, "start_dim", "flatten() has invalid args: start_dim cannot come after end_dim");
    /* torch: torch.flatten(E(2,3), -1, 0) */
    RAISES(flat(SHAPE(2, 3), -1, 0), PROBE_ERROR, "start_dim", "flatten() has invalid args: start_dim cannot come after end_dim");
    /* torch: torch.flatten(E(2,3,4,5), 5) */
    ERR(flat(x, 5, -1), "Dimension out of range (expected to be in range of [-4, 3], but got 5)");
    /* torch: torch.flatten(E(2,3,4,5), 0, 5) */
    ERR(flat(x, 0, 5), "Dimension out of range (expected to be in range of [-4, 3], but got 5)");
    /* torch: torch.flatten(E(()), 0, 1) */
    ERR(flat(SCALAR, 0, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
}

static void permute_dims(void **state)
{
    probe_tensor x = SHAPE(1, 2, 3);
    /* torch: E(1,2,3).permute(2,0,-2) */
    OK_SHAPE(permute(x, INTS(2, 0, -2)), 3, 1, 2);
    /* torch: E(()).permute(()) */
    ctx_reset(&cx);
    assert_int_equal(tensor_permute(&cx, &SCALAR, NULL, 0, &out), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(1,2,3,4).permute(0,1,2) */
    ERR(permute(SHAPE(1, 2, 3, 4), INTS(0, 1, 2)),
        "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 4 is not equal to len(dims) = 3");
    /* torch: E(()).permute(0) */
    ERR(permute(SCALAR, INTS(0)),
        "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 0 is not equal to len(dims) = 1");
    /* torch: E(1,2,3).permute(0,1,1) */
    ERR(permute(x, INTS(0, 1, 1)), "permute(): duplicate dims are not allowed.");
    /* torch: E(1,2,3).permute(0,-1,2) */
    ERR(permute(x, INTS(0, -1, 2)), "permute(): duplicate dims are not allowed.");
    /* torch: E(1,2,3).permute(0,1,3) */
    ERR(permute(x, INTS(0, 1, 3)), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
}

static void expand_sizes(void **state)
{
    (void)state;
    /* torch: Z(1,1,8).expand(4,-1,-1) -- a ViT's class token, one per sample */
    OK_SHAPE(expand(SHAPE(1, 1, 8), INTS(4, -1, -1)), 4, 1, 8);
    /* torch: Z(3,1).expand(2,3,5) -- a new leading dimension, a 1 grown */
    OK_SHAPE(expand(SHAPE(3, 1), INTS(2, 3, 5)), 2, 3, 5);
    /* torch: Z(1,1,8).expand(4,2,-1,5) */
    ERR(expand(SHAPE(1, 1, 8), INTS(4, 2, -1, 5)),
        "The expanded size of the tensor (5) must match the existing size (8) at non-singleton dimension 3.  Target sizes: [4, 2, -1, 5].  Tensor sizes: [1, 1, 8]");
    /* torch: Z(3,4).expand(2,5) */
    ERR(expand(SHAPE(3, 4), INTS(2, 5)),
        "The expanded size of the tensor (5) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [2, 5].  Tensor sizes: [3, 4]");
    /* torch: Z(3,4).expand(5) */
    ERR(expand(SHAPE(3, 4), INTS(5)),
        "expand(torch.FloatTensor{[3, 4]}, size=[5]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)");
    /* torch: Z(3,4).expand(-1,-1,4) */
    ERR(expand(SHAPE(3, 4), INTS(-1, -1, 4)), "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
}

static void transpose_dims(void **state)
{
    probe_tensor x = SHAPE(1, 2, 3);
    /* torch: E(1,2,3).transpose(0,-1) */
    OK_SHAPE(transpose(x, 0, -1), 3, 2, 1);
    /* torch: E(1,2,3).transpose(1,1) */
    OK_SHAPE(transpose(x, 1, 1), 1, 2, 3);
    /* torch: E(()).transpose(0,-1) */
    assert_int_equal(transpose(SCALAR, 0, -1), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(1,2,3).transpose(0,3) */
    ERR(transpose(x, 0, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    /* torch: E(1,2,3).transpose(-4,1) */
    ERR(transpose(x, -4, 1), "Dimension out of range (expected to be in range of [-3, 2], but got -4)");
    /* torch: E(2,3).t() */
    OK_SHAPE(t(SHAPE(2, 3)), 3, 2);
    /* torch: E(3).t() */
    OK_SHAPE(t(SHAPE(3)), 3);
    /* torch: E(()).t() */
    assert_int_equal(t(SCALAR), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(1,2,3).t() */
    ERR(t(x), "t() expects a tensor with <= 2 dimensions, but self is 3D");
}

/* ---- squeeze, unsqueeze, softmax ------------------------------------------------------ */

static void squeeze_dims(void **state)
{
    probe_tensor x = SHAPE(1, 2, 1, 3);
    /* torch: E(1,2,1,3).squeeze() */
    OK_SHAPE(squeeze(x, PROBE_NONE), 2, 3);
    /* torch: E(1,2,1,3).squeeze(0) */
    OK_SHAPE(squeeze(x, 0), 2, 1, 3);
    /* torch: E(1,2,1,3).squeeze(-2) */
    OK_SHAPE(squeeze(x, -2), 1, 2, 3);
    /* torch: E(1,2,1,3).squeeze(1) */
    OK_SHAPE(squeeze(x, 1), 1, 2, 1, 3);
    /* torch: E(1,1).squeeze() */
    assert_int_equal(squeeze(SHAPE(1, 1), PROBE_NONE), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(()).squeeze(-1) */
    assert_int_equal(squeeze(SCALAR, -1), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(1,2,1,3).squeeze(4) */
    ERR(squeeze(x, 4), "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
    /* torch: E(()).squeeze(1) */
    ERR(squeeze(SCALAR, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
}

static void unsqueeze_dims(void **state)
{
    probe_tensor x = SHAPE(2, 3);
    /* torch: E(2,3).unsqueeze(2) */
    OK_SHAPE(unsqueeze(x, 2), 2, 3, 1);
    /* torch: E(2,3).unsqueeze(-1) */
    OK_SHAPE(unsqueeze(x, -1), 2, 3, 1);
    /* torch: E(2,3).unsqueeze(-3) */
    OK_SHAPE(unsqueeze(x, -3), 1, 2, 3);
    /* torch: E(2,3).unsqueeze(1) */
    OK_SHAPE(unsqueeze(x, 1), 2, 1, 3);
    /* torch: E(()).unsqueeze(-1) */
    OK_SHAPE(unsqueeze(SCALAR, -1), 1);
    /* torch: E(2,3).unsqueeze(3) */
    ERR(unsqueeze(x, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    /* torch: E(2,3).unsqueeze(-4) */
    ERR(unsqueeze(x, -4), "Dimension out of range (expected to be in range of [-3, 2], but got -4)");
    /* torch: E(()).unsqueeze(1) */
    ERR(unsqueeze(SCALAR, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* torch: E(1,1,1,1,1,1,1,1).unsqueeze(0) has 9 dimensions */
    /* probe: a probe_tensor holds at most 8 */
    ERR(unsqueeze(SHAPE(1, 1, 1, 1, 1, 1, 1, 1), 0), "probe handles tensors of at most 8 dimensions");
}

static void softmax_dims_(void **state)
{
    /* torch: torch.softmax(E(2,3), 1) */
    OK_SHAPE(softmax_(SHAPE(2, 3), 1), 2, 3);
    /* torch: F.softmax(Z(2,3)) (the deprecated implicit dim) */
    OK_SHAPE(softmax_(SHAPE(2, 3), PROBE_NONE), 2, 3);
    /* torch: torch.softmax(E(2,3), 2) */
    ERR(softmax_(SHAPE(2, 3), 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    /* torch: torch.log_softmax(E(2,3), -3) */
    ERR(softmax_(SHAPE(2, 3), -3), "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
    /* torch: torch.softmax(E(()), 0) */
    assert_int_equal(softmax_(SCALAR, 0), 0);
    /* torch: torch.softmax(E(()), 1) */
    ERR(softmax_(SCALAR, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
}

/* ---- reductions ---------------------------------------------------------------------- */

static void reduce_shapes(void **state)
{
    probe_tensor x = SHAPE(2, 3, 4);
    /* torch: E(2,3,4).mean() */
    assert_int_equal(reduce_all("mean", x, false), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: E(2,3,4).mean(None, keepdim=True) */
    OK_SHAPE(reduce_all("mean", x, true), 1, 1, 1);
    /* torch: E(2,3,4).mean(1) */
    OK_SHAPE(reduce("mean", x, INTS(1), false), 2, 4);
    /* torch: E(2,3,4).sum(-1, keepdim=True) */
    OK_SHAPE(reduce("sum", x, INTS(-1), true), 2, 3, 1);
    /* torch: E(2,3,4).mean((1,2)) */
    OK_SHAPE(reduce("mean", x, INTS(1, 2), false), 2);
    /* torch: E(2,3,4).amax((0,-1), keepdim=True) */
    OK_SHAPE(reduce("amax", x, INTS(0, -1), true), 1, 3, 1);
    /* torch: E(2,3,4).sum(()) and E(2,3,4).mean([], keepdim=True): all dims */
    ctx_reset(&cx);
    int64_t none[1];
    assert_int_equal(tensor_reduce(&cx, "sum", &x, none, 0, false, &out), 0);
    assert_int_equal(out.ndim, 0);
    ctx_reset(&cx);
    assert_int_equal(tensor_reduce(&cx, "mean", &x, none, 0, true, &out), 0);
    OK_SHAPE(0, 1, 1, 1);
    /* torch: E(()).mean(0) and E(()).mean(-1, keepdim=True) */
    assert_int_equal(reduce("mean", SCALAR, INTS(0), false), 0);
    assert_int_equal(out.ndim, 0);
    assert_int_equal(reduce("mean", SCALAR, INTS(-1), true), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: Z(0,3).sum(0), Z(0,3).mean(0), Z(0,3).mean() */
    OK_SHAPE(reduce("sum", SHAPE(0, 3), INTS(0), false), 3);
    OK_SHAPE(reduce("mean", SHAPE(0, 3), INTS(0), false), 3);
    assert_int_equal(reduce_all("mean", SHAPE(0, 3), false), 0);
    /* torch: Z(0,3).amax(1), Z(0,3).max(1)[0], Z(0,3).argmax(1) */
    OK_SHAPE(reduce("amax", SHAPE(0, 3), INTS(1), false), 0);
    OK_SHAPE(reduce("max", SHAPE(0, 3), INTS(1), false), 0);
    OK_SHAPE(reduce("argmax", SHAPE(0, 3), INTS(1), false), 0);
    /* torch: Z(2,3).argmax(keepdim=True) */
    OK_SHAPE(reduce_all("argmax", SHAPE(2, 3), true), 1, 1);
    /* torch: Z(()).max(0, keepdim=True)[0] */
    assert_int_equal(reduce("max", SCALAR, INTS(0), true), 0);
    assert_int_equal(out.ndim, 0);
}

static void reduce_refusals(void **state)
{
    probe_tensor x = SHAPE(2, 3, 4);
    /* torch: E(2,3,4).mean(3) */
    ERR(reduce("mean", x, INTS(3), false), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    /* torch: E(2,3,4).sum((0,3)) */
    ERR(reduce("sum", x, INTS(0, 3), false), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    /* torch: E(2,3,4).mean((1,-2)) */
    ERR(reduce("mean", x, INTS(1, -2), false), "dim 1 appears multiple times in the list of dims");
    /* torch: E(2,3,4).amax((0,0)) */
    ERR(reduce("amax", x, INTS(0, 0), false), "dim 0 appears multiple times in the list of dims");
    /* every dim is wrapped before the repeat is looked for */
    /* torch: Z(2,3).amax((0,0,5)) */
    ERR(reduce("amax", SHAPE(2, 3), INTS(0, 0, 5), false), "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
    /* torch: E(()).mean((0,-1)) */
    ERR(reduce("mean", SCALAR, INTS(0, -1), false), "dim 0 appears multiple times in the list of dims");
    /* torch: E(()).sum(1) */
    ERR(reduce("sum", SCALAR, INTS(1), false), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* a list longer than any rank still finds its repeat */
    /* torch: E(2,3).sum((0,1,0,1,0,1,0,1)) */
    ERR(reduce("sum", SHAPE(2, 3), INTS(0, 1, 0, 1, 0, 1, 0, 1), false), "dim 0 appears multiple times in the list of dims");
    int64_t ten[10] = { 1, 0, 1, 0, 1, 0, 1, 0, 1, -3 };
    probe_tensor two = SHAPE(2, 3);
    ctx_reset(&cx);
    /* torch: E(2,3).sum((1,0,1,0,1,0,1,0,1,-3)) */
    ERR(tensor_reduce(&cx, "sum", &two, ten, 10, false, &out), "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
    ten[9] = 0;
    ctx_reset(&cx);
    /* torch: E(2,3).sum((1,0,1,0,1,0,1,0,1,0)) */
    ERR(tensor_reduce(&cx, "sum", &two, ten, 10, false, &out), "dim 1 appears multiple times in the list of dims");
}

static void reduce_empty_refusals(void **state)
{
    probe_tensor e = SHAPE(0, 3);
    /* torch: Z(0,3).amax(0) */
    ERR(reduce("amax", e, INTS(0), false), "amax(): Expected reduction dim 0 to have non-zero size.");
    /* amax names the dim as written */
    /* torch: Z(0,3).amax(-2) */
    ERR(reduce("amax", e, INTS(-2), false), "amax(): Expected reduction dim -2 to have non-zero size.");
    /* torch: Z(0,3).amax((1,0)) */
    ERR(reduce("amax", e, INTS(1, 0), false), "amax(): Expected reduction dim 0 to have non-zero size.");
    /* the empty check comes before the repeat check */
    /* torch: Z(0,3).amax((0,0)) */
    ERR(reduce("amax", e, INTS(0, 0), false), "amax(): Expected reduction dim 0 to have non-zero size.");
    /* torch: Z(0,3).amax((1,1)) */
    ERR(reduce("amax", e, INTS(1, 1), false), "dim 1 appears multiple times in the list of dims");
    /* torch: Z(0,3).amax(5) */
    ERR(reduce("amax", e, INTS(5), false), "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
    /* torch: Z(3,0).amin(1) */
    ERR(reduce("amin", SHAPE(3, 0), INTS(1), false), "amin(): Expected reduction dim 1 to have non-zero size.");
    /* max and argmax name the wrapped dim */
    /* torch: Z(0,3).max(-2) */
    ERR(reduce("max", e, INTS(-2), false), "max(): Expected reduction dim 0 to have non-zero size.");
    /* torch: Z(0,3).argmax(-2) */
    ERR(reduce("argmax", e, INTS(-2), false), "argmax(): Expected reduction dim 0 to have non-zero size.");
    /* torch: Z(0,3).min(0) */
    ERR(reduce("min", e, INTS(0), false), "min(): Expected reduction dim 0 to have non-zero size.");
    /* torch: Z(0,3).amax() */
    ERR(reduce_all("amax", e, false),
        "amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    /* torch: Z(0,3).max() */
    ERR(reduce_all("max", e, false),
        "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    /* torch: Z(0,3).amin(()) */
    ctx_reset(&cx);
    int64_t none[1];
    ERR(tensor_reduce(&cx, "amin", &e, none, 0, false, &out),
        "amin(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    /* torch: Z(0,3).argmin() */
    ERR(reduce_all("argmin", e, false), "argmin(): Expected reduction dim to be specified for input.numel() == 0.");
}

/* ---- cat ----------------------------------------------------------------------------- */

static void cat_shapes(void **state)
{
    /* torch: torch.cat((E(1,2,26,26), E(1,3,26,26)), dim=1) */
    OK_SHAPE(CAT(1, SHAPE(1, 2, 26, 26), SHAPE(1, 3, 26, 26)), 1, 5, 26, 26);
    /* torch: torch.cat((E(1,2), E(1,3)), dim=-1) */
    OK_SHAPE(CAT(-1, SHAPE(1, 2), SHAPE(1, 3)), 1, 5);
    /* torch: torch.cat((Z(2,3),), dim=-1) */
    OK_SHAPE(CAT(-1, SHAPE(2, 3)), 2, 3);
    /* torch: torch.cat((Z(0,3), Z(2,3)), dim=0) */
    OK_SHAPE(CAT(0, SHAPE(0, 3), SHAPE(2, 3)), 2, 3);
    /* 1.13 skips a [0] tensor, whatever its rank next to the others */
    /* torch: torch.cat((Z(0), Z(2,3)), dim=1) */
    OK_SHAPE(CAT(1, SHAPE(0), SHAPE(2, 3)), 2, 3);
    /* torch: torch.cat((Z(2,3), Z(0)), dim=0) */
    OK_SHAPE(CAT(0, SHAPE(2, 3), SHAPE(0)), 2, 3);
    /* torch: torch.cat((Z(0), Z(0)), dim=3): all skipped, dim unchecked */
    OK_SHAPE(CAT(3, SHAPE(0), SHAPE(0)), 0);
    /* probe: a sum past int64 is marked */
    /* torch: torch.cat((E(2**62,1), E(2**62,1))): "Storage size calculation overflowed with sizes=[...]" */
    CAT(0, SHAPE(BIG, 1), SHAPE(BIG, 1));
    assert_true(cx.overflow);
}

static void cat_refusals(void **state)
{
    /* torch: torch.cat((E(1,2,26,26), E(1,3,24,26)), dim=1) */
    ERR(CAT(1, SHAPE(1, 2, 26, 26), SHAPE(1, 3, 24, 26)),
        "Sizes of tensors must match except in dimension 1. Expected size 26 but got size 24 for tensor number 1 in the list.");
    /* torch: torch.cat((E(1,2,26,26), E(1,3,26,26), E(1,3,26,25)), dim=1) */
    ERR(CAT(1, SHAPE(1, 2, 26, 26), SHAPE(1, 3, 26, 26), SHAPE(1, 3, 26, 25)),
        "Sizes of tensors must match except in dimension 1. Expected size 26 but got size 25 for tensor number 2 in the list.");
    /* the wrapped dim is named */
    /* torch: torch.cat((Z(2,3), Z(3,3)), dim=-1) */
    ERR(CAT(-1, SHAPE(2, 3), SHAPE(3, 3)),
        "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.");
    /* a skipped tensor keeps its number */
    /* torch: torch.cat((Z(2,3), Z(0), Z(2,4)), dim=0) */
    ERR(CAT(0, SHAPE(2, 3), SHAPE(0), SHAPE(2, 4)),
        "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 2 in the list.");
    /* torch: torch.cat((Z(0,4), Z(2,3)), dim=0) */
    ERR(CAT(0, SHAPE(0, 4), SHAPE(2, 3)),
        "Sizes of tensors must match except in dimension 0. Expected size 4 but got size 3 for tensor number 1 in the list.");
    /* torch: torch.cat((E(1,2,26,26), E(1,3)), dim=1) */
    ERR(CAT(1, SHAPE(1, 2, 26, 26), SHAPE(1, 3)), "Tensors must have same number of dimensions: got 4 and 2");
    /* torch: torch.cat((Z(0), Z(2,3), Z(2)), dim=0) */
    ERR(CAT(0, SHAPE(0), SHAPE(2, 3), SHAPE(2)), "Tensors must have same number of dimensions: got 2 and 1");
    /* torch: torch.cat([]) and torch.concat([]) */
    ERR(cat_(NULL, 0, 0), "torch.cat(): expected a non-empty list of Tensors");
    /* torch: torch.cat((E(1,2), E(1,3)), dim=2) */
    ERR(CAT(2, SHAPE(1, 2), SHAPE(1, 3)), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    /* torch: torch.cat((E(1,2), E(1,3)), dim=-3) */
    ERR(CAT(-3, SHAPE(1, 2), SHAPE(1, 3)), "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
    /* the range comes before the other tensors' ranks */
    /* torch: torch.cat((Z(1,2,26,26), Z(1,3)), dim=5) */
    ERR(CAT(5, SHAPE(1, 2, 26, 26), SHAPE(1, 3)), "Dimension out of range (expected to be in range of [-4, 3], but got 5)");
    /* dim is wrapped against the first tensor not skipped */
    /* torch: torch.cat((Z(0), Z(2,3)), dim=2) */
    ERR(CAT(2, SHAPE(0), SHAPE(2, 3)), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    /* torch: torch.cat((Z(()), Z(())), dim=0) */
    ERR(CAT(0, SCALAR, SCALAR), "zero-dimensional tensor (at position 0) cannot be concatenated");
    /* torch: torch.cat((Z(0), Z(())), dim=0) */
    ERR(CAT(0, SHAPE(0), SCALAR), "zero-dimensional tensor (at position 1) cannot be concatenated");
}

/* ---- stack ----------------------------------------------------------------------------- */

static void stack_shapes(void **state)
{
    /* torch: torch.stack((Z(1,3), Z(1,3)), dim=0) */
    OK_SHAPE(STACK(0, SHAPE(1, 3), SHAPE(1, 3)), 2, 1, 3);
    /* torch: torch.stack((Z(1,3), Z(1,3)), dim=-1) */
    OK_SHAPE(STACK(-1, SHAPE(1, 3), SHAPE(1, 3)), 1, 3, 2);
    /* torch: torch.stack((Z(1,3), Z(1,3), Z(1,3)), dim=1) */
    OK_SHAPE(STACK(1, SHAPE(1, 3), SHAPE(1, 3), SHAPE(1, 3)), 1, 3, 3);
    /* torch: torch.stack((Z(()), Z(()))) */
    OK_SHAPE(STACK(0, SCALAR, SCALAR), 2);
    /* torch: torch.stack((Z(()), Z(())), -1) */
    OK_SHAPE(STACK(-1, SCALAR, SCALAR), 2);
    /* torch: torch.stack((Z(0), Z(0))) */
    OK_SHAPE(STACK(0, SHAPE(0), SHAPE(0)), 2, 0);
}

static void stack_refusals(void **state)
{
    /* torch: torch.stack((Z(1,3), Z(1,4))) */
    ERR(STACK(0, SHAPE(1, 3), SHAPE(1, 4)), "stack expects each tensor to be equal size, but got [1, 3] at entry 0 and [1, 4] at entry 1");
    /* torch: torch.stack((Z(1,3), Z(1,3), Z(2,3))) */
    ERR(STACK(0, SHAPE(1, 3), SHAPE(1, 3), SHAPE(2, 3)),
        "stack expects each tensor to be equal size, but got [1, 3] at entry 0 and [2, 3] at entry 2");
    /* torch: torch.stack((Z(1,3), Z(3))) */
    ERR(STACK(0, SHAPE(1, 3), SHAPE(3)), "stack expects each tensor to be equal size, but got [1, 3] at entry 0 and [3] at entry 1");
    /* torch: torch.stack((Z(()), Z(1))) */
    ERR(STACK(0, SCALAR, SHAPE(1)), "stack expects each tensor to be equal size, but got [] at entry 0 and [1] at entry 1");
    /* torch: torch.stack(()) */
    ERR(stack_(NULL, 0, 0), "stack expects a non-empty TensorList");
    /* torch: torch.stack((Z(1,3), Z(1,3)), dim=3) */
    ERR(STACK(3, SHAPE(1, 3), SHAPE(1, 3)), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    /* torch: torch.stack((Z(1,3), Z(1,3)), dim=-4) */
    ERR(STACK(-4, SHAPE(1, 3), SHAPE(1, 3)), "Dimension out of range (expected to be in range of [-3, 2], but got -4)");
    /* the range comes first */
    /* torch: torch.stack((Z(2,3), Z(3)), dim=5) */
    ERR(STACK(5, SHAPE(2, 3), SHAPE(3)), "Dimension out of range (expected to be in range of [-3, 2], but got 5)");
    /* torch: torch.stack((Z(()), Z(())), 1) */
    ERR(STACK(1, SCALAR, SCALAR), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    /* torch: torch.stack((E(*[1]*8), E(*[1]*8))) has 9 dimensions */
    /* probe: a probe_tensor holds at most 8 */
    ERR(STACK(0, SHAPE(1, 1, 1, 1, 1, 1, 1, 1), SHAPE(1, 1, 1, 1, 1, 1, 1, 1)), "probe handles tensors of at most 8 dimensions");
}

/* ---- broadcasting ---------------------------------------------------------------------- */

static void broadcast_shapes(void **state)
{
    /* torch: Z(1,8,4,4) + Z(8,1,1) */
    OK_SHAPE(bcast(SHAPE(1, 8, 4, 4), SHAPE(8, 1, 1), false), 1, 8, 4, 4);
    /* torch: Z(5,3) + Z(4,1,3) */
    OK_SHAPE(bcast(SHAPE(5, 3), SHAPE(4, 1, 3), false), 4, 5, 3);
    /* torch: Z(4,1,3) * Z(5,3) */
    OK_SHAPE(bcast(SHAPE(4, 1, 3), SHAPE(5, 3), false), 4, 5, 3);
    /* torch: Z(0,3) + Z(1,3) */
    OK_SHAPE(bcast(SHAPE(0, 3), SHAPE(1, 3), false), 0, 3);
    /* torch: Z(()) + Z(2,3) */
    OK_SHAPE(bcast(SCALAR, SHAPE(2, 3), false), 2, 3);
    /* torch: Z(1,8,4,4).__iadd__(Z(1,8,1,1)) */
    OK_SHAPE(bcast(SHAPE(1, 8, 4, 4), SHAPE(1, 8, 1, 1), true), 1, 8, 4, 4);
    /* torch: Z(()) + Z(()) */
    assert_int_equal(bcast(SCALAR, SCALAR, false), 0);
    assert_int_equal(out.ndim, 0);
}

static void broadcast_refusals(void **state)
{
    /* torch: Z(1,8,4,8) + Z(1,8,4,7) */
    ERR(bcast(SHAPE(1, 8, 4, 8), SHAPE(1, 8, 4, 7), false),
        "The size of tensor a (8) must match the size of tensor b (7) at non-singleton dimension 3");
    /* torch: E(2,3) * E(4,3) */
    ERR(bcast(SHAPE(2, 3), SHAPE(4, 3), false), "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0");
    /* the dimension is counted in the result */
    /* torch: Z(5,3) + Z(4,2,3) */
    ERR(bcast(SHAPE(5, 3), SHAPE(4, 2, 3), false), "The size of tensor a (5) must match the size of tensor b (2) at non-singleton dimension 1");
    /* the last mismatch is named */
    /* torch: Z(5,3) + Z(4,2) */
    ERR(bcast(SHAPE(5, 3), SHAPE(4, 2), false), "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    /* torch: Z(0,3) + Z(2,3) */
    ERR(bcast(SHAPE(0, 3), SHAPE(2, 3), false), "The size of tensor a (0) must match the size of tensor b (2) at non-singleton dimension 0");
    /* torch: Z(1,8,4,4).add_(Z(1,8,8,8)) */
    ERR(bcast(SHAPE(1, 8, 4, 4), SHAPE(1, 8, 8, 8), true),
        "The size of tensor a (4) must match the size of tensor b (8) at non-singleton dimension 3");
    /* torch: Z(1,8,1,1).__iadd__(Z(1,8,4,4)) */
    ERR(bcast(SHAPE(1, 8, 1, 1), SHAPE(1, 8, 4, 4), true), "output with shape [1, 8, 1, 1] doesn't match the broadcast shape [1, 8, 4, 4]");
    /* torch: Z(8,4,4).__iadd__(Z(2,8,4,4)) */
    ERR(bcast(SHAPE(8, 4, 4), SHAPE(2, 8, 4, 4), true), "output with shape [8, 4, 4] doesn't match the broadcast shape [2, 8, 4, 4]");
    /* torch: Z(()).__iadd__(Z(3)) */
    ERR(bcast(SCALAR, SHAPE(3), true), "output with shape [] doesn't match the broadcast shape [3]");
}

/* ---- matmul ----------------------------------------------------------------------------- */

static void matmul_shapes(void **state)
{
    /* torch: torch.matmul(Z(2,3), Z(3,4)) */
    OK_SHAPE(matmul(SHAPE(2, 3), SHAPE(3, 4)), 2, 4);
    /* torch: Z(3) @ Z(3) */
    assert_int_equal(matmul(SHAPE(3), SHAPE(3)), 0);
    assert_int_equal(out.ndim, 0);
    /* torch: Z(3) @ Z(3,4) */
    OK_SHAPE(matmul(SHAPE(3), SHAPE(3, 4)), 4);
    /* torch: Z(2,3) @ Z(3) */
    OK_SHAPE(matmul(SHAPE(2, 3), SHAPE(3)), 2);
    /* torch: Z(5,2,3) @ Z(3,4) */
    OK_SHAPE(matmul(SHAPE(5, 2, 3), SHAPE(3, 4)), 5, 2, 4);
    /* torch: Z(5,2,3) @ Z(3) */
    OK_SHAPE(matmul(SHAPE(5, 2, 3), SHAPE(3)), 5, 2);
    /* torch: Z(3) @ Z(5,3,4) */
    OK_SHAPE(matmul(SHAPE(3), SHAPE(5, 3, 4)), 5, 4);
    /* torch: Z(2,3) @ Z(7,3,4) */
    OK_SHAPE(matmul(SHAPE(2, 3), SHAPE(7, 3, 4)), 7, 2, 4);
    /* torch: Z(5,2,3) @ Z(5,3,4) */
    OK_SHAPE(matmul(SHAPE(5, 2, 3), SHAPE(5, 3, 4)), 5, 2, 4);
    /* torch: Z(2,5,2,3) @ Z(5,3,4) */
    OK_SHAPE(matmul(SHAPE(2, 5, 2, 3), SHAPE(5, 3, 4)), 2, 5, 2, 4);
    /* torch: Z(6,2,3) @ Z(1,3,4) */
    OK_SHAPE(matmul(SHAPE(6, 2, 3), SHAPE(1, 3, 4)), 6, 2, 4);
    /* torch: Z(2,1,2,3) @ Z(5,3,4) */
    OK_SHAPE(matmul(SHAPE(2, 1, 2, 3), SHAPE(5, 3, 4)), 2, 5, 2, 4);
    /* torch: Z(0,3) @ Z(3,0) */
    OK_SHAPE(matmul(SHAPE(0, 3), SHAPE(3, 0)), 0, 0);
    /* torch: Z(2,0) @ Z(0,3) */
    OK_SHAPE(matmul(SHAPE(2, 0), SHAPE(0, 3)), 2, 3);
    /* probe: folded rows past int64 are marked */
    matmul(SHAPE(BIG, 4, 3), SHAPE(3, 2));
    assert_true(cx.overflow);
}

static void matmul_refusals(void **state)
{
    /* torch: torch.matmul(Z(1,2704), Z(400,120)) */
    ERR(matmul(SHAPE(1, 2704), SHAPE(400, 120)), "mat1 and mat2 shapes cannot be multiplied (1x2704 and 400x120)");
    /* torch: Z(3) @ Z(4,5) */
    ERR(matmul(SHAPE(3), SHAPE(4, 5)), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
    /* torch: Z(3) @ Z(4) */
    ERR(matmul(SHAPE(3), SHAPE(4)),
        "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively");
    /* torch: Z(2,3) @ Z(4) */
    ERR(matmul(SHAPE(2, 3), SHAPE(4)), "size mismatch, got 2, 2x3,4");
    /* torch: Z(5,2,3) @ Z(4,5) */
    ERR(matmul(SHAPE(5, 2, 3), SHAPE(4, 5)), "mat1 and mat2 shapes cannot be multiplied (10x3 and 4x5)");
    /* torch: Z(5,2,3) @ Z(7) */
    ERR(matmul(SHAPE(5, 2, 3), SHAPE(7)), "size mismatch, got 10, 10x3,7");
    /* torch: Z(7) @ Z(5,3,4) */
    ERR(matmul(SHAPE(7), SHAPE(5, 3, 4)), "size mismatch, got 20, 20x3,7");
    /* torch: Z(2,3) @ Z(7,4,5) */
    ERR(matmul(SHAPE(2, 3), SHAPE(7, 4, 5)), "mat1 and mat2 shapes cannot be multiplied (35x4 and 3x2)");
    /* torch: Z(5,2,3) @ Z(5,4,4) */
    ERR(matmul(SHAPE(5, 2, 3), SHAPE(5, 4, 4)), "Expected size for first two dimensions of batch2 tensor to be: [5, 3] but got: [5, 4].");
    /* torch: Z(5,2,3) @ Z(6,4,4) */
    ERR(matmul(SHAPE(5, 2, 3), SHAPE(6, 4, 4)), "The size of tensor a (5) must match the size of tensor b (6) at non-singleton dimension 0");
    /* torch: Z(2,5,2,3) @ Z(3,3,4) */
    ERR(matmul(SHAPE(2, 5, 2, 3), SHAPE(3, 3, 4)), "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 1");
    /* torch: F.linear(Z(()), Z(120,400)) */
    ERR(matmul(SCALAR, SHAPE(400, 120)), "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
}

/* ---- indexing ------------------------------------------------------------------------------ */

static void index_shapes(void **state)
{
    probe_tensor x = SHAPE(1, 3, 4);
    /* torch: Z(1,3,4)[:, 0] */
    OK_SHAPE(IDX(x, ALL, I(0)), 1, 4);
    /* torch: Z(1,3,4)[..., None] */
    OK_SHAPE(IDX(x, ETC, NEW), 1, 3, 4, 1);
    /* torch: Z(1,3,4)[:, :, 1:3] */
    OK_SHAPE(IDX(x, ALL, ALL, S(1, 3, N)), 1, 3, 2);
    /* torch: Z(1,3,4)[0] and Z(1,3,4)[-1] */
    OK_SHAPE(IDX1(x, I(0)), 3, 4);
    OK_SHAPE(IDX1(x, I(-1)), 3, 4);
    /* torch: Z(1,3,4)[0, ..., 0] */
    OK_SHAPE(IDX(x, I(0), ETC, I(0)), 3);
    /* torch: Z(1,3,4)[None, ..., None, 0] */
    OK_SHAPE(IDX(x, NEW, ETC, NEW, I(0)), 1, 1, 3, 1);
    /* torch: Z(1,3,4)[:, ::2], [:, 1::2], [:, -2:], [:, :-1] */
    OK_SHAPE(IDX(x, ALL, S(N, N, 2)), 1, 2, 4);
    OK_SHAPE(IDX(x, ALL, S(1, N, 2)), 1, 1, 4);
    OK_SHAPE(IDX(x, ALL, S(-2, N, N)), 1, 2, 4);
    OK_SHAPE(IDX(x, ALL, S(N, -1, N)), 1, 2, 4);
    /* torch: Z(1,3,4)[:, 5:10], [:, 2:1], [:, -10:10], [:, 2**62:] */
    OK_SHAPE(IDX(x, ALL, S(5, 10, N)), 1, 0, 4);
    OK_SHAPE(IDX(x, ALL, S(2, 1, N)), 1, 0, 4);
    OK_SHAPE(IDX(x, ALL, S(-10, 10, N)), 1, 3, 4);
    OK_SHAPE(IDX(x, ALL, S(BIG, N, N)), 1, 0, 4);
    /* torch: Z(1,3,4)[:, ::2**62] and [:, :, 0:4:3] */
    OK_SHAPE(IDX(x, ALL, S(N, N, BIG)), 1, 1, 4);
    OK_SHAPE(IDX(x, ALL, ALL, S(0, 4, 3)), 1, 3, 2);
    /* torch: Z(1,3,4)[0:0] */
    OK_SHAPE(IDX1(x, S(0, 0, N)), 0, 3, 4);
    /* torch: Z(1,3,4)[:, :, :, None] */
    OK_SHAPE(IDX(x, ALL, ALL, ALL, NEW), 1, 3, 4, 1);
    /* 1.13 takes two Ellipsis, each skipping the unnamed dimensions */
    /* torch: Z(1,3,4)[..., 1:2, ...] and Z(1,3,4)[..., 0, ...] */
    OK_SHAPE(IDX(x, ETC, S(1, 2, N), ETC), 1, 3, 1);
    OK_SHAPE(IDX(x, ETC, I(0), ETC), 1, 3);
    /* torch: Z(())[None], Z(())[..., None], Z(())[None, None] */
    OK_SHAPE(IDX1(SCALAR, NEW), 1);
    OK_SHAPE(IDX(SCALAR, ETC, NEW), 1);
    OK_SHAPE(IDX(SCALAR, NEW, NEW), 1, 1);
    /* torch: Z(())[...] */
    assert_int_equal(IDX1(SCALAR, ETC), 0);
    assert_int_equal(out.ndim, 0);
}

static void index_refusals(void **state)
{
    probe_tensor x = SHAPE(1, 3, 4);
    /* torch: Z(1,3,4)[5] */
    ERR(IDX1(x, I(5)), "index 5 is out of bounds for dimension 0 with size 1");
    /* torch: Z(1,3,4)[-2] */
    ERR(IDX1(x, I(-2)), "index -2 is out of bounds for dimension 0 with size 1");
    /* torch: Z(1,3,4)[:, 3] */
    ERR(IDX(x, ALL, I(3)), "index 3 is out of bounds for dimension 1 with size 3");
    /* torch: Z(1,3,4)[:, -4] */
    ERR(IDX(x, ALL, I(-4)), "index -4 is out of bounds for dimension 1 with size 3");
    /* the dimension in the message is the item's place in the index */
    /* torch: Z(1,3,4)[None, 5] */
    ERR(IDX(x, NEW, I(5)), "index 5 is out of bounds for dimension 1 with size 1");
    /* torch: Z(1,3,4)[..., 9] */
    ERR(IDX(x, ETC, I(9)), "index 9 is out of bounds for dimension 1 with size 4");
    /* torch: Z(1,3,4)[0, None, ..., 9] */
    ERR(IDX(x, I(0), NEW, ETC, I(9)), "index 9 is out of bounds for dimension 3 with size 4");
    /* torch: Z(1,3,4)[:, None, 9] */
    ERR(IDX(x, ALL, NEW, I(9)), "index 9 is out of bounds for dimension 2 with size 3");
    /* torch: Z(0,3)[0] */
    ERR(IDX1(SHAPE(0, 3), I(0)), "index 0 is out of bounds for dimension 0 with size 0");
    /* torch: Z(1,3,4)[..., ..., 0] */
    ERR(IDX(x, ETC, ETC, I(0)), "index 0 is out of bounds for dimension 2 with size 0");
    /* torch: Z(1,3,4)[0,0,0,0] */
    ERR(IDX(x, I(0), I(0), I(0), I(0)), "too many indices for tensor of dimension 3");
    /* torch: Z(1,3,4)[:, :, :, :] */
    ERR(IDX(x, ALL, ALL, ALL, ALL), "too many indices for tensor of dimension 3");
    /* torch: Z(2,3)[None, 0, 0, 0] */
    ERR(IDX(SHAPE(2, 3), NEW, I(0), I(0), I(0)), "too many indices for tensor of dimension 2");
    /* torch: Z(2,3)[0, ..., 0, 0] */
    ERR(IDX(SHAPE(2, 3), I(0), ETC, I(0), I(0)), "too many indices for tensor of dimension 2");
    /* torch: Z(())[(0,)] */
    ERR(IDX(SCALAR, I(0)), "too many indices for tensor of dimension 0");
    /* torch: Z(())[0] */
    ERR(IDX1(SCALAR, I(0)),
        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
    /* torch: Z(())[5] */
    ERR(IDX1(SCALAR, I(5)), "index 5 is out of bounds for dimension 0 with size 0");
    /* torch: Z(())[:] */
    ERR(IDX1(SCALAR, ALL), "slice() cannot be applied to a 0-dim tensor.");
    /* torch: Z(1,3,4)[:, ::0] */
    ERR(IDX(x, ALL, S(N, N, 0)), "slice step cannot be zero");
    /* torch: Z(1,3,4)[:, ::-1] */
    ERR(IDX(x, ALL, S(N, N, -1)), "step must be greater than zero");
    /* torch: Z(1)[None]*8 has 9 dimensions */
    /* probe: a probe_tensor holds at most 8 */
    ERR(IDX(SHAPE(1), NEW, NEW, NEW, NEW, NEW, NEW, NEW, NEW), "probe handles tensors of at most 8 dimensions");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(view_sizes),
        cmocka_unit_test(view_refusals),
        cmocka_unit_test(view_sizes_past_int64),
        cmocka_unit_test(view_rank_limit),
        cmocka_unit_test(flatten_dims_),
        cmocka_unit_test(permute_dims),
        cmocka_unit_test(transpose_dims),
        cmocka_unit_test(expand_sizes),
        cmocka_unit_test(squeeze_dims),
        cmocka_unit_test(unsqueeze_dims),
        cmocka_unit_test(softmax_dims_),
        cmocka_unit_test(reduce_shapes),
        cmocka_unit_test(reduce_refusals),
        cmocka_unit_test(reduce_empty_refusals),
        cmocka_unit_test(cat_shapes),
        cmocka_unit_test(cat_refusals),
        cmocka_unit_test(stack_shapes),
        cmocka_unit_test(stack_refusals),
        cmocka_unit_test(broadcast_shapes),
        cmocka_unit_test(broadcast_refusals),
        cmocka_unit_test(matmul_shapes),
        cmocka_unit_test(matmul_refusals),
        cmocka_unit_test(index_shapes),
        cmocka_unit_test(index_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
