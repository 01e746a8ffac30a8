/* ops_pad.c - F.pad and the 2-d padding layers built on it. A layer's
 * padding is n (all four sides) or a tuple (left, right, top, bottom, ...)
 * from the last dimension backwards, passed to F.pad as written. Messages:
 * ATen's PadNd.cpp, ReflectionPad.cpp, ReplicationPadding.cpp and
 * padding.h of PyTorch 1.13, checked against torch runs. */
#include "ops/ops.h"
#include "base/util.h"

#include <string.h>

/* constant_pad_nd: negative pads narrow() first, outermost dimension
 * first, top (left) before bottom (right); then, unless every pad was <= 0,
 * each output size must be positive. */
static int constant_pad_nd(probe_ctx *cx, probe_tensor *x, const int64_t *pad, int n,
                           const char *param)
{
    int nd = x->ndim, l_diff = nd - n / 2;
    int64_t cur[PROBE_MAX_DIMS];
    bool all_non_positive = true;
    for (int i = l_diff; i < nd; i++) {
        int pi = 2 * (nd - i - 1);
        int64_t lo = pad[pi], hi = pad[pi + 1], size = x->dim[i];
        if (lo < 0) {
            /* narrow(i, -lo, size + lo): the start is wrapped like a dim
             * index unless it is exactly the end */
            int64_t start = probe_sub(cx, 0, lo), span = size > 0 ? size : 1;
            if (start != size && start > span - 1)
                return probe_raise(cx, PROBE_TOO_SMALL, param,
                                   "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
                                   (long long)-span, (long long)(span - 1), (long long)start);
            size = probe_add(cx, size, lo);
        } else if (lo != 0) {
            all_non_positive = false;
        }
        if (hi < 0) {
            int64_t length = probe_add(cx, size, hi);
            if (length < 0)
                return probe_raise(cx, PROBE_TOO_SMALL, param, "start (0) + length (%lld) exceeds dimension size (%lld).",
                                   (long long)length, (long long)size);
            size = length;
        } else if (hi != 0) {
            all_non_positive = false;
        }
        cur[i] = size;
    }
    if (!all_non_positive) {
        for (int i = l_diff; i < nd; i++) {
            int pi = 2 * (nd - i - 1);
            cur[i] = probe_add(cx, x->dim[i], probe_add(cx, pad[pi], pad[pi + 1]));
            if (cur[i] <= 0)
                return probe_raise(cx, PROBE_TOO_SMALL, param,
                                   "The input size %lld, plus negative padding %lld and %lld resulted in a negative output size, which is invalid. Check dimension %d of your input.",
                                   (long long)x->dim[i], (long long)pad[pi], (long long)pad[pi + 1], i);
        }
    }
    for (int i = l_diff; i < nd; i++) x->dim[i] = cur[i];
    return 0;
}

/* The dims of x from `from` on are all non-zero. */
static bool nonzero_from(const probe_tensor *x, int from)
{
    for (int i = from; i < x->ndim; i++)
        if (x->dim[i] == 0) return false;
    return true;
}

/* An empty padded dimension means the input is too small for the layer;
 * an empty batch or channel dimension is some other error. */
static probe_status empty_kind(const probe_tensor *x, int padded)
{
    for (int i = x->ndim - padded; i < x->ndim; i++)
        if (i >= 0 && x->dim[i] == 0) return PROBE_TOO_SMALL;
    return PROBE_ERROR;
}

static int aten_reflection_pad1d(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim, dim_w = nd - 1;
    if (!nonzero_from(x, 1))
        return probe_raise(cx, empty_kind(x, 1), param, "2D or 3D (batch mode) tensor expected for input, but got: %s",
                           ops_tensor_str(cx, x));
    int64_t iw = x->dim[dim_w], ow = probe_add(cx, iw, probe_add(cx, pad[0], pad[1]));
    if (!(pad[0] < iw && pad[1] < iw))
        return probe_raise(cx, PROBE_TOO_SMALL, param,
                           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %s",
                           (long long)pad[0], (long long)pad[1], dim_w, probe_shape_str(cx, x->dim, nd));
    /* the stray "2" is the argument number of an old THArgCheck, kept by ATen */
    if (ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "2input (W: %lld)is too small. Calculated output W: %lld",
                           (long long)iw, (long long)ow);
    x->dim[dim_w] = ow;
    return 0;
}

/* padding::check_valid_input<dims>: a batch dimension may be empty, no other. */
static bool replication_valid(const probe_tensor *x, int dims)
{
    return nonzero_from(x, x->ndim == dims + 2 ? 1 : 0);
}

static int aten_replication_pad1d(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim;
    if (!replication_valid(x, 1))
        return probe_raise(cx, empty_kind(x, 1), param,
                           "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: %s",
                           probe_shape_str(cx, x->dim, nd));
    int64_t iw = x->dim[nd - 1], ow = probe_add(cx, iw, probe_add(cx, pad[0], pad[1]));
    if (ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "input (W: %lld) is too small. Calculated output W: %lld",
                           (long long)iw, (long long)ow);
    x->dim[nd - 1] = ow;
    return 0;
}

static int aten_reflection_pad2d(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim;
    if (!nonzero_from(x, 1))
        return probe_raise(cx, empty_kind(x, 2), param, "3D or 4D (batch mode) tensor expected for input, but got: %s",
                           ops_tensor_str(cx, x));
    int64_t ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    int64_t oh = probe_add(cx, ih, probe_add(cx, pad[2], pad[3]));
    int64_t ow = probe_add(cx, iw, probe_add(cx, pad[0], pad[1]));
    if (!(pad[0] < iw && pad[1] < iw))
        return probe_raise(cx, PROBE_TOO_SMALL, param,
                           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %d",
                           (long long)pad[0], (long long)pad[1], nd - 1, nd);
    if (!(pad[2] < ih && pad[3] < ih))
        return probe_raise(cx, PROBE_TOO_SMALL, param,
                           "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %d",
                           (long long)pad[2], (long long)pad[3], nd - 2, nd);
    /* only when both sides vanish; one negative size fails allocating */
    if (oh < 1 && ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "input (H: %lld, W: %lld)is too small. Calculated output H: %lld W: %lld",
                           (long long)ih, (long long)iw, (long long)oh, (long long)ow);
    if (oh < 0 || ow < 0)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "numel: integer multiplication overflow");
    x->dim[nd - 2] = oh;
    x->dim[nd - 1] = ow;
    return 0;
}

static int aten_replication_pad2d(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim;
    if (!replication_valid(x, 2))
        return probe_raise(cx, empty_kind(x, 2), param,
                           "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: %s",
                           probe_shape_str(cx, x->dim, nd));
    int64_t ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    int64_t oh = probe_add(cx, ih, probe_add(cx, pad[2], pad[3]));
    int64_t ow = probe_add(cx, iw, probe_add(cx, pad[0], pad[1]));
    if (oh < 1 && ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "input (H: %lld, W: %lld ) is too small. Calculated output H: %lld W: %lld",
                           (long long)ih, (long long)iw, (long long)oh, (long long)ow);
    probe_tensor y = *x;
    y.dim[nd - 2] = oh;
    y.dim[nd - 1] = ow;
    if (oh < 0 || ow < 0)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "Trying to create tensor with negative dimension %lld: %s",
                           (long long)(oh < 0 ? oh : ow), probe_shape_str(cx, y.dim, nd));
    *x = y;
    return 0;
}

/* padding::check_valid_input<3> and the output of the 3-d kernels: they
 * refuse an input only when every output size is below 1; one negative
 * size fails allocating the output. */
static int pad3d_output(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim;
    if (!replication_valid(x, 3))
        return probe_raise(cx, empty_kind(x, 3), param,
                           "Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: %s",
                           probe_shape_str(cx, x->dim, nd));
    probe_tensor y = *x;
    int64_t *o = y.dim + nd - 3;
    const int64_t *in = x->dim + nd - 3;
    for (int i = 0; i < 3; i++) o[i] = probe_add(cx, in[i], probe_add(cx, pad[4 - 2 * i], pad[5 - 2 * i]));
    if (o[0] < 1 && o[1] < 1 && o[2] < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, param, "input (D: %lld H: %lld, W: %lld) is too small. Calculated output D: %lld H: %lld W: %lld",
                           (long long)in[0], (long long)in[1], (long long)in[2], (long long)o[0], (long long)o[1],
                           (long long)o[2]);
    for (int i = 0; i < 3; i++)
        if (o[i] < 0)
            return probe_raise(cx, PROBE_TOO_SMALL, param, "Trying to create tensor with negative dimension %lld: %s",
                               (long long)o[i], probe_shape_str(cx, y.dim, nd));
    *x = y;
    return 0;
}

/* reflection_pad3d: each pad less than the size it mirrors, the width
 * checked first (ATen's argument numbers 4, 6, 8) */
static int aten_reflection_pad3d(probe_ctx *cx, probe_tensor *x, const int64_t *pad, const char *param)
{
    int nd = x->ndim;
    if (!replication_valid(x, 3)) return pad3d_output(cx, x, pad, param);
    for (int i = 0; i < 3; i++) {
        int d = nd - 1 - i;
        if (pad[2 * i] < x->dim[d] && pad[2 * i + 1] < x->dim[d]) continue;
        return probe_raise(cx, PROBE_TOO_SMALL, param,
                           "Argument #%d: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %s",
                           4 + 2 * i, (long long)pad[2 * i], (long long)pad[2 * i + 1], d, probe_shape_str(cx, x->dim, nd));
    }
    return pad3d_output(cx, x, pad, param);
}

/* _pad_circular: the first two dimensions are batch and channels, then
 * each padded dimension in order, height before width. */
static int circular_pad(probe_ctx *cx, probe_tensor *x, const int64_t *pad, int n, const char *param)
{
    int sp = x->ndim - 2;
    if (n != 2 * sp)
        return probe_raise(cx, PROBE_ERROR, param, "Invalid padding size, expected %d but got %d", 2 * sp, n);
    int64_t out[PROBE_MAX_DIMS];
    for (int i = 0; i < sp; i++) {
        int64_t lo = pad[2 * (sp - i - 1)], hi = pad[2 * (sp - i - 1) + 1], size = x->dim[2 + i];
        out[i] = probe_add(cx, size, probe_add(cx, lo, hi));
        if (!(lo <= size && hi <= size))
            return probe_raise(cx, PROBE_TOO_SMALL, param, "Padding value causes wrapping around more than once.");
        if (out[i] < 0)
            return probe_raise(cx, PROBE_TOO_SMALL, param, "Negative padding value is resulting in an empty dimension");
    }
    for (int i = 0; i < sp; i++) x->dim[2 + i] = out[i];
    return 0;
}

int ops_pad(probe_ctx *cx, probe_tensor *x, const int64_t *pad, int n, const char *mode,
            const char *param)
{
    int nd = x->ndim;
    if (n % 2 != 0) return probe_raise(cx, PROBE_ERROR, param, "Padding length must be divisible by 2");
    if (n > 2 * nd) return probe_raise(cx, PROBE_ERROR, param, "Padding length too large");
    if (!strcmp(mode, "constant")) return constant_pad_nd(cx, x, pad, n, param);
    bool reflect = !strcmp(mode, "reflect"), replicate = !strcmp(mode, "replicate");
    bool circular = !strcmp(mode, "circular");
    if (n == 2 && (nd == 2 || nd == 3)) {
        if (reflect) return aten_reflection_pad1d(cx, x, pad, param);
        if (replicate) return aten_replication_pad1d(cx, x, pad, param);
        if (circular) return circular_pad(cx, x, pad, n, param);
    } else if (n == 4 && (nd == 3 || nd == 4)) {
        if (reflect) return aten_reflection_pad2d(cx, x, pad, param);
        if (replicate) return aten_replication_pad2d(cx, x, pad, param);
        if (circular) return circular_pad(cx, x, pad, n, param);
    } else if (n == 6 && (nd == 4 || nd == 5)) {
        if (reflect) return aten_reflection_pad3d(cx, x, pad, param);
        if (replicate) return pad3d_output(cx, x, pad, param);
        if (circular) return circular_pad(cx, x, pad, n, param);
    }
    return probe_raise(cx, PROBE_ERROR, param, "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

/* A layer's padding as the values F.pad gets (an int: both sides of
 * each of the layer's rank of dimensions); nonzero (after raising) when
 * it is wrong whatever the input. */
static int layer_pad(probe_ctx *cx, const char *layer, int rank, const probe_ints *padding, bool constant,
                     int64_t pad[PROBE_MAX_DIMS], int *n)
{
    if (padding->n == 1) {
        *n = 2 * rank;
        for (int i = 0; i < *n; i++) pad[i] = padding->v[0];
    } else {
        *n = padding->n < 0 ? 0 : padding->n;
        memcpy(pad, padding->v, (size_t)*n * sizeof pad[0]);
    }
    for (int i = 0; i < *n; i++)
        if (pad[i] == PROBE_NONE)
            return probe_raise(cx, PROBE_INVALID, "padding", "%s padding must hold integers, not None", layer);
    if (*n % 2 != 0) return probe_raise(cx, PROBE_INVALID, "padding", "Padding length must be divisible by 2");
    /* F.pad has non-constant kernels for 2, 4 and 6 values; the 2-d
     * layers keep to their own 2 or 4 */
    if (!constant && rank == 2 && *n != 2 && *n != 4)
        return probe_raise(cx, PROBE_INVALID, "padding",
                           "%s takes padding as an int or a tuple of 2 or 4 ints (left, right, top, bottom), got %d values",
                           layer, *n);
    if (!constant && *n != 2 && *n != 4 && *n != 6)
        return probe_raise(cx, PROBE_INVALID, "padding",
                           "%s takes padding as an int or a tuple of 2, 4 or 6 ints (left, right, top, bottom, front, back), got %d values",
                           layer, *n);
    return 0;
}

/* " + 2" or " - 2": a signed term of a sum */
static void put_term(char *buf, size_t cap, size_t *len, int64_t v)
{
    if (*len >= cap) return;
    if (v < 0) *len += (size_t)snprintf(buf + *len, cap - *len, " - %llu", 0ULL - (unsigned long long)v);
    else *len += (size_t)snprintf(buf + *len, cap - *len, " + %lld", (long long)v);
}

/* Each padded side: its size plus the two pads, last dimension first in
 * F.pad's tuple but written height first; then, where reflect or circular
 * cannot pad that much, the side that refuses. */
static void explain_pad(probe_ctx *cx, const probe_tensor *x, const int64_t *pad, int n, const char *mode)
{
    int nd = x->ndim;
    if (n > 2 * nd) return;
    char line[400];
    size_t len = 0;
    for (int i = n / 2 - 1; i >= 0; i--) {
        int d = nd - 1 - i;
        int64_t size = x->dim[d], out = util_sat_add(size, util_sat_add(pad[2 * i], pad[2 * i + 1]));
        if (len < sizeof line) {
            if (i == 0) len += (size_t)snprintf(line + len, sizeof line - len, "%sW_out = W_in + left + right = %lld", len ? ", " : "", (long long)size);
            else if (i == 1) len += (size_t)snprintf(line + len, sizeof line - len, "%sH_out = H_in + top + bottom = %lld", len ? ", " : "", (long long)size);
            else if (i == 2) len += (size_t)snprintf(line + len, sizeof line - len, "%sD_out = D_in + front + back = %lld", len ? ", " : "", (long long)size);
            else len += (size_t)snprintf(line + len, sizeof line - len, "%sdim %d: %lld", len ? ", " : "", d, (long long)size);
        }
        put_term(line, sizeof line, &len, pad[2 * i]);
        put_term(line, sizeof line, &len, pad[2 * i + 1]);
        if (len < sizeof line) len += (size_t)snprintf(line + len, sizeof line - len, " = %lld", (long long)out);
    }
    probe_explain(cx, "%s", line);
    bool reflect = !strcmp(mode, "reflect"), circular = !strcmp(mode, "circular");
    /* ATen checks the width first */
    for (int i = 0; (reflect || circular) && i < n / 2; i++) {
        int64_t size = x->dim[nd - 1 - i];
        for (int j = 0; j < 2; j++) {
            int64_t v = pad[2 * i + j];
            if (reflect ? v < size : v <= size) continue;
            probe_explain(cx, "%s: a pad must be %s the size it %s, but %lld %s %s_in = %lld", mode,
                          reflect ? "less than" : "at most", reflect ? "mirrors" : "wraps", (long long)v,
                          reflect ? ">=" : ">", i == 0 ? "W" : i == 1 ? "H" : "D", (long long)size);
            return;
        }
    }
}

static int pad_layer(probe_ctx *cx, probe_tensor *x, const char *layer, int rank, const probe_ints *padding,
                     const char *mode)
{
    int64_t pad[PROBE_MAX_DIMS];
    int n;
    if (layer_pad(cx, layer, rank, padding, !strcmp(mode, "constant"), pad, &n)) return 1;
    if (!x) return 0;
    if (probe_explaining(cx)) explain_pad(cx, x, pad, n, mode);
    return ops_pad(cx, x, pad, n, mode, "padding");
}

int zero_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding, double value)
{
    OPS_UNUSED1(value);
    return pad_layer(cx, x, "ZeroPad2d", 2, padding, "constant");
}

/* the padding layers of each rank: the rank says how far an int goes */
#define PAD_LAYERS(rank)                                                                                          \
    int constant_pad##rank##d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding, double value)            \
    {                                                                                                             \
        OPS_UNUSED1(value);                                                                                       \
        return pad_layer(cx, x, "ConstantPad" #rank "d", rank, padding, "constant");                              \
    }                                                                                                             \
    int reflection_pad##rank##d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)                        \
    {                                                                                                             \
        return pad_layer(cx, x, "ReflectionPad" #rank "d", rank, padding, "reflect");                             \
    }                                                                                                             \
    int replication_pad##rank##d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)                       \
    {                                                                                                             \
        return pad_layer(cx, x, "ReplicationPad" #rank "d", rank, padding, "replicate");                          \
    }

PAD_LAYERS(1)
PAD_LAYERS(2)
PAD_LAYERS(3)

/* not in torch.nn 1.13: what F.pad(x, padding, mode='circular') does */
int circular_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)
{
    return pad_layer(cx, x, "CircularPad2d", 2, padding, "circular");
}
