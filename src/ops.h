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

/* The spatial dims of x: false (after raising) unless x is 3D or 4D. */
bool ops_need_3d_or_4d(probe_ctx *cx, const probe_tensor *x, const char *what);

#endif
