/* ops_pad.c - the 2-d padding layers. padding is n (all four sides) or
 * pairs (left, right, top, bottom) from the last dimension backwards, as
 * F.pad reads them. Messages: ATen's PadNd.cpp, ReflectionPad.cpp and
 * ReplicationPadding.cpp. */
#include "ops.h"

#include <string.h>

/* The four sides; false (after raising) when padding is malformed. */
static int sides(probe_ctx *cx, const probe_ints *padding, int64_t pad[4], int *npairs)
{
    if (padding->n == 1) {
        for (int i = 0; i < 4; i++) pad[i] = padding->v[0];
        *npairs = 2;
        return 0;
    }
    if (padding->n != 2 && padding->n != 4)
        return probe_raise(cx, PROBE_INVALID, "padding", "padding must be an int or a tuple of 4 ints (left, right, top, bottom), got %d values", padding->n < 0 ? 0 : padding->n);
    for (int i = 0; i < padding->n; i++) {
        if (padding->v[i] == PROBE_NONE)
            return probe_raise(cx, PROBE_INVALID, "padding", "padding values must be integers, not None");
        pad[i] = padding->v[i];
    }
    if (padding->n == 2) pad[2] = pad[3] = 0;
    *npairs = padding->n / 2;
    return 0;
}

static int check_2d(probe_ctx *cx, const probe_tensor *x, const char *what)
{
    if (x->ndim == 3 || x->ndim == 4) return 0;
    return probe_raise(cx, PROBE_ERROR, NULL, "%s", what);
}

static int constant_pad(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)
{
    int64_t pad[4];
    int npairs;
    if (sides(cx, padding, pad, &npairs)) return 1;
    if (!x) return 0;
    if (npairs > x->ndim)
        return probe_raise(cx, PROBE_ERROR, "padding", "Length of pad should be no more than twice the number of dimensions of the input. Pad length is %d while the input has %d dimensions.",
                           npairs * 2, x->ndim);
    for (int k = 0; k < npairs; k++) {
        int d = x->ndim - 1 - k;
        int64_t out = probe_add(cx, x->dim[d], probe_add(cx, pad[2 * k], pad[2 * k + 1]));
        if (out <= 0)
            return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                               "The input size %lld, plus negative padding %lld and %lld resulted in a negative output size, which is invalid. Check dimension %d of your input.",
                               (long long)x->dim[d], (long long)pad[2 * k], (long long)pad[2 * k + 1], d);
    }
    for (int k = 0; k < npairs; k++) {
        int d = x->ndim - 1 - k;
        x->dim[d] = probe_add(cx, x->dim[d], probe_add(cx, pad[2 * k], pad[2 * k + 1]));
    }
    return 0;
}

int zero_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding, double value)
{
    OPS_UNUSED1(value);
    return constant_pad(cx, x, padding);
}

int constant_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding, double value)
{
    OPS_UNUSED1(value);
    return constant_pad(cx, x, padding);
}

int reflection_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)
{
    int64_t pad[4];
    int npairs;
    if (sides(cx, padding, pad, &npairs)) return 1;
    if (!x) return 0;
    if (check_2d(cx, x, "2D or 3D (batch mode) tensor expected for input")) return 1;
    int nd = x->ndim;
    int64_t ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    const char *shape = probe_shape_str(cx, x->dim, nd);
    if (pad[0] >= iw || pad[1] >= iw)
        return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                           "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %s",
                           (long long)pad[0], (long long)pad[1], nd - 1, shape);
    if (pad[2] >= ih || pad[3] >= ih)
        return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                           "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (%lld, %lld) at dimension %d of input %s",
                           (long long)pad[2], (long long)pad[3], nd - 2, shape);
    int64_t oh = probe_add(cx, ih, pad[2] + pad[3]), ow = probe_add(cx, iw, pad[0] + pad[1]);
    if (oh < 1 || ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                           "input (H: %lld, W: %lld)is too small. Calculated output H: %lld W: %lld",
                           (long long)ih, (long long)iw, (long long)oh, (long long)ow);
    x->dim[nd - 2] = oh;
    x->dim[nd - 1] = ow;
    return 0;
}

int replication_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)
{
    int64_t pad[4];
    int npairs;
    if (sides(cx, padding, pad, &npairs)) return 1;
    if (!x) return 0;
    if (check_2d(cx, x, "3D or 4D (batch mode) tensor expected for input")) return 1;
    int nd = x->ndim;
    int64_t ih = x->dim[nd - 2], iw = x->dim[nd - 1];
    int64_t oh = probe_add(cx, ih, pad[2] + pad[3]), ow = probe_add(cx, iw, pad[0] + pad[1]);
    if (oh < 1 || ow < 1)
        return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                           "input (H: %lld, W: %lld) is too small. Calculated output H: %lld W: %lld",
                           (long long)ih, (long long)iw, (long long)oh, (long long)ow);
    x->dim[nd - 2] = oh;
    x->dim[nd - 1] = ow;
    return 0;
}

int circular_pad2d(probe_ctx *cx, probe_tensor *x, const probe_ints *padding)
{
    int64_t pad[4];
    int npairs;
    if (sides(cx, padding, pad, &npairs)) return 1;
    if (!x) return 0;
    if (check_2d(cx, x, "Expected 3D or 4D (batch mode) tensor for input")) return 1;
    int nd = x->ndim;
    for (int k = 0; k < 2; k++) {
        int64_t size = x->dim[nd - 1 - k];
        if (pad[2 * k] > size || pad[2 * k + 1] > size)
            return probe_raise(cx, PROBE_TOO_SMALL, "padding", "Padding value causes wrapping around more than once.");
        int64_t out = probe_add(cx, size, pad[2 * k] + pad[2 * k + 1]);
        if (out <= 0)
            return probe_raise(cx, PROBE_TOO_SMALL, "padding",
                               "Negative padding value is resulting in an empty dimension.");
    }
    for (int k = 0; k < 2; k++)
        x->dim[nd - 1 - k] = probe_add(cx, x->dim[nd - 1 - k], pad[2 * k] + pad[2 * k + 1]);
    return 0;
}
