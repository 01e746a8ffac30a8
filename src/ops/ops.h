/*
 * ops.h - what the built-in shape functions share (prefix: ops_).
 * Each ops_*.c file holds one family; prototypes come from ops.def.
 */
#ifndef PROBE_OPS_H
#define PROBE_OPS_H

#include <stdio.h>
#include "probe_plugin.h"
#include "ops_proto.h"

/* Names the arguments a shape function does not look at. */
#define OPS_UNUSED1(a) (void)(a)
#define OPS_UNUSED2(a, b) ((void)(a), (void)(b))
#define OPS_UNUSED3(a, b, c) ((void)(a), (void)(b), (void)(c))

/* Python's repr of a float: "0.5", "1.0", "1e-05". Returns buf. */
const char *ops_float_repr(double v, char buf[32]);

/* The output size of a pooling window, as ATen's pooling_output_shape. */
int64_t ops_pool_out(probe_ctx *cx, int64_t in, int64_t k, int64_t pad, int64_t stride,
                     int64_t dilation, int ceil_mode);

/* A tuple as Python prints it: "(3, 2)". Lives in cx like probe_shape_str. */
const char *ops_tuple_str(probe_ctx *cx, const int64_t *v, int n);

/* Product of x's sizes (numel), overflow marked in cx. */
int64_t ops_numel(probe_ctx *cx, const probe_tensor *x);

/* Refuses a result of more than PROBE_MAX_DIMS dimensions, which PyTorch
 * would make but a probe_tensor cannot hold. Returns nonzero after raising. */
int ops_check_rank(probe_ctx *cx, int ndim);

/* True when one of x's last two sizes is 0: an empty image is a too-small
 * input, while an empty batch or channel dimension is some other error. */
bool ops_empty_image(const probe_tensor *x);

/* A shape as ATen prints a tensor in a check message:
 * "[ torch.FloatTensor{1,3,0,4} ]". Lives in cx like probe_shape_str. */
const char *ops_tensor_str(probe_ctx *cx, const probe_tensor *x);

/*
 * F.pad(x, pad, mode) as PyTorch 1.13 runs it (PadNd.cpp _pad_enum and the
 * kernels it dispatches to). `pad` holds n values, (left, right) of the
 * last dimension first; mode is "constant", "reflect", "replicate" or
 * "circular". Replaces *x by the padded shape, or raises with PyTorch's
 * message, naming `param` as the argument to change.
 */
/* The docs' name of dimension i of a rank: "H", and its side: "height"
 * (rank 1: "L", "length"; rank 3: "D", "depth", ...). */
const char *ops_dim_letter(int rank, int i);
const char *ops_side_name(int rank, int i);

/* The label and sides of a formula line that holds for every dimension:
 * "H_out = W_out" and "height and width". */
void ops_all_dims(char *label, size_t lcap, char *side, size_t scap, int rank);

/* n values joined by sep: "3 x 5". Returns buf. */
const char *ops_join(char *buf, size_t cap, const int64_t *v, int n, const char *sep);

/* ATen's named sizes in a check message, one per dimension:
 * "kernel_height: 3 kernel_width: 2" (prefix "kernel", sep " "). */
const char *ops_named_sizes(char *buf, size_t cap, const char *prefix, const int64_t *v, int rank,
                            const char *sep);

int ops_pad(probe_ctx *cx, probe_tensor *x, const int64_t *pad, int n, const char *mode,
            const char *param);

/*
 * Conv and ConvTranspose of any spatial rank: the rank is kernel_size->n
 * (every size holds that many values; padding's 'same' is PROBE_SAME in
 * each), x is [N, C, *spatial] or unbatched [C, *spatial]. The arguments
 * and the contract are those of the Conv2d and ConvTranspose2d schemas.
 */
int ops_conv(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
             const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
             const probe_ints *dilation, int64_t groups, int bias, const char *padding_mode);
int ops_conv_transpose(probe_ctx *cx, probe_tensor *x, int64_t in_channels, int64_t out_channels,
                       const probe_ints *kernel_size, const probe_ints *stride, const probe_ints *padding,
                       const probe_ints *output_padding, int64_t groups, int bias, const probe_ints *dilation,
                       const char *padding_mode);

/*
 * The adaptive pools of a rank: output_size an int (every dimension) or
 * a rank-tuple whose None entries keep the input's size; max picks
 * AdaptiveMaxPool over AdaptiveAvgPool. The rank is an argument because
 * a bare int does not say it (see ops_pool.c).
 */
int ops_adaptive_pool(probe_ctx *cx, probe_tensor *x, const probe_ints *output_size, int rank, bool max);

/*
 * FractionalMaxPool of kernel_size->n dimensions: output_size (n == -1:
 * None) or ratio[0..rank) (NaN: None), as the FractionalMaxPool2d schema.
 */
int ops_fractional_max_pool(probe_ctx *cx, probe_tensor *x, const probe_ints *kernel_size,
                            const probe_ints *output_size, const double *ratio);

#endif
