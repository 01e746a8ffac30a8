/* ops_resize.c - Upsample and its fixed-mode forms, PixelShuffle and
 * PixelUnshuffle. Messages: torch/nn/functional.py (interpolate),
 * torch/nn/modules/upsampling.py, ATen's UpSample.h and PixelShuffle.cpp
 * (1.13). */
#include "ops/ops.h"

#include <math.h>
#include <string.h>

static bool mode_is(const char *mode, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(mode, *set)) return true;
    return false;
}

/* A size computed in double; one that does not fit int64 is marked as
 * overflow (PyTorch's cast of it is undefined) and returns 0. */
static int64_t to_size(probe_ctx *cx, double v)
{
    if (v >= 9223372036854775807.0 || v < -9223372036854775807.0 || isnan(v)) {
        probe_add(cx, INT64_MAX, 1);
        return 0;
    }
    return (int64_t)v;
}

/* "(5, 7, 9)": a tuple as Python prints it */
static void tuple_str(char *buf, size_t cap, const int64_t *v, int n)
{
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? ", " : "", (long long)v[i]);
    if (len < cap) snprintf(buf + len, cap - len, n == 1 ? ",)" : ")");
}

/* upsample_{1,2,3}d_common_check */
static int check_sizes(probe_ctx *cx, const int64_t *in, const int64_t *out, int dim)
{
    bool ok = true;
    for (int i = 0; i < dim; i++) ok = ok && in[i] > 0 && out[i] > 0;
    if (ok) return 0;
    if (dim == 1)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Input and output sizes should be greater than 0, but got input (W: %lld) and output (W: %lld)",
                           (long long)in[0], (long long)out[0]);
    if (dim == 2)
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Input and output sizes should be greater than 0, but got input (H: %lld, W: %lld) output (H: %lld, W: %lld)",
                           (long long)in[0], (long long)in[1], (long long)out[0], (long long)out[1]);
    return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                       "Input and output sizes should be greater than 0, but got input (D: %lld, H: %lld, W: %lld) output (D: %lld, H: %lld, W: %lld)",
                       (long long)in[0], (long long)in[1], (long long)in[2], (long long)out[0], (long long)out[1],
                       (long long)out[2]);
}

/* Upsample.__init__ keeps a scalar scale_factor only when it is truthy;
 * a pair cannot be told from a scalar when both are equal, so (0, 0)
 * counts as the scalar 0. */
static bool scale_defined(probe_fpair s)
{
    return !isnan(s.h) && !(s.h == 0 && s.w == 0);
}

static int upsample_construct(probe_ctx *cx, const probe_ints *size, probe_fpair scale_factor,
                              const char *mode, int align_corners, int recompute_scale_factor)
{
    static const char *const modes[] = { "nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact", NULL };
    static const char *const plain[] = { "nearest", "area", "nearest-exact", NULL };
    bool has_size = size->n >= 0, has_scale = scale_defined(scale_factor);
    bool area = !strcmp(mode, "area");
    const char *says = area ? "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0"
                            : "Input and output sizes should be greater than 0";
    if (!mode_is(mode, modes))
        return probe_raise(cx, PROBE_INVALID, "mode",
                           "Upsample mode '%s' is not one of nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (PyTorch raises NotImplementedError: Input Error: ... (got %s))",
                           mode, mode);
    if (align_corners >= 0 && mode_is(mode, plain))
        return probe_raise(cx, PROBE_INVALID, "align_corners",
                           "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
    if (has_size && has_scale)
        return probe_raise(cx, PROBE_INVALID, "scale_factor", "only one of size or scale_factor should be defined");
    if (!has_size && !has_scale)
        return probe_raise(cx, PROBE_INVALID, NULL, "either size or scale_factor should be defined");
    if (recompute_scale_factor > 0 && has_size)
        return probe_raise(cx, PROBE_INVALID, "recompute_scale_factor", "recompute_scale_factor is not meaningful with an explicit size.");
    for (int i = 0; i < size->n; i++) {
        int64_t v = size->v[i];
        if (v == PROBE_NONE)
            return probe_raise(cx, PROBE_INVALID, "size", "Upsample size must hold integers, not None");
        /* 'area' is adaptive_avg_pool2d, which makes an empty output */
        if (v < 0 || (v == 0 && !area))
            return probe_raise(cx, PROBE_INVALID, "size",
                               "Upsample size %lld leaves no output on any input (PyTorch: %s)", (long long)v, says);
    }
    if (has_scale) {
        double s[2] = { scale_factor.h, scale_factor.w };
        for (int i = 0; i < 2; i++) {
            char buf[32];
            if (s[i] < 0 || (s[i] == 0 && !area))
                return probe_raise(cx, PROBE_INVALID, "scale_factor",
                                   "Upsample scale_factor %s leaves no output on any input (PyTorch: %s)",
                                   ops_float_repr(s[i], buf), says);
        }
    }
    return 0;
}

/* Upsample's output: size as given, or floor(in * scale_factor) per
 * spatial dimension, one line when they all agree. */
static void explain_upsample(probe_ctx *cx, const int64_t *spatial, const int64_t *out, int dim,
                             const probe_ints *size, probe_fpair scale_factor, bool area)
{
    static const char *const labels[3][3] = { { "W" }, { "H", "W" }, { "D", "H", "W" } };
    const char *const *name = labels[dim - 1];
    char lhs[48] = "";
    size_t len = 0;
    if (size->n >= 0) {
        if (!size->tuple) {
            for (int i = 0; i < dim; i++) len += (size_t)snprintf(lhs + len, sizeof lhs - len, "%s_out = ", name[i]);
            probe_explain(cx, "%ssize = %lld, whatever the input's size", lhs, (long long)out[0]);
            return;
        }
        char vals[80] = "";
        size_t vl = 0;
        for (int i = 0; i < dim; i++) {
            len += (size_t)snprintf(lhs + len, sizeof lhs - len, "%s%s_out", i ? ", " : "(", name[i]);
            vl += (size_t)snprintf(vals + vl, sizeof vals - vl, "%s%lld", i ? ", " : "(", (long long)out[i]);
        }
        probe_explain(cx, "%s) = size = %s%s), whatever the input's size", lhs, vals, dim == 1 ? "," : "");
        return;
    }
    double s[3];
    bool all = true;
    for (int i = 0; i < dim; i++) {
        s[i] = dim == 2 && i == 1 ? scale_factor.w : scale_factor.h;
        all = all && spatial[i] == spatial[0] && s[i] == s[0];
    }
    for (int i = 0; i < (all ? 1 : dim); i++) {
        char f[32];
        len = 0;
        for (int j = 0; j < (all ? dim : 1); j++)
            len += (size_t)snprintf(lhs + len, sizeof lhs - len, "%s%s_out", j ? " = " : "", name[all ? j : i]);
        probe_explain(cx, "%s = floor(%s_in * scale_factor) = floor(%lld * %s) = %lld%s", lhs, name[i],
                      (long long)spatial[i], ops_float_repr(s[i], f), (long long)out[i],
                      out[i] < 1 && !area ? " < 1" : "");
    }
}

/* interpolate's first checks: a size or scale_factor of as many values
 * as the input has spatial dimensions (a size of one value is taken as an
 * int, expanded to every dimension). */
static int check_spatial_rank(probe_ctx *cx, const int64_t *spatial, int dim, const probe_ints *size,
                              probe_fpair scale_factor)
{
    int nspatial = dim > 0 ? dim : 0;
    bool has_size = size->n >= 0;
    if (has_size && (size->tuple ? size->n : 1) != dim && !(size->n == 1 && !size->tuple)) {
        char out[200];
        tuple_str(out, sizeof out, size->v, size->n);
        return probe_raise(cx, PROBE_ERROR, "size",
                           "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of %s and output size of %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.",
                           probe_shape_str(cx, spatial, nspatial), out);
    }
    if (!has_size && scale_factor.h != scale_factor.w && dim != 2) {
        char a[32], b[32];
        return probe_raise(cx, PROBE_ERROR, "scale_factor",
                           "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of %s and scale_factor of shape (%s, %s). Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.",
                           probe_shape_str(cx, spatial, nspatial), ops_float_repr(scale_factor.h, a),
                           ops_float_repr(scale_factor.w, b));
    }
    return 0;
}

/* The input ranks a mode takes: nearest and area 3-D to 5-D, linear 3-D,
 * bilinear and bicubic 4-D, trilinear 5-D. */
static int check_mode_rank(probe_ctx *cx, const char *mode, int nd)
{
    bool area = !strcmp(mode, "area");
    bool nearest = !strcmp(mode, "nearest") || !strcmp(mode, "nearest-exact");
    int needs = 0;
    if (!strcmp(mode, "linear")) needs = 3;
    else if (!strcmp(mode, "bilinear") || !strcmp(mode, "bicubic")) needs = 4;
    else if (!strcmp(mode, "trilinear")) needs = 5;
    if ((nearest || area) ? (nd >= 3 && nd <= 5) : nd == needs) return 0;
    /* interpolate's fallthrough names these mixes, and nothing else */
    if (strcmp(mode, "bicubic") && needs && nd >= 3 && nd <= 5)
        return probe_raise(cx, PROBE_ERROR, "mode", "Got %dD input, but %s mode needs %dD input", nd, mode, needs);
    return probe_raise(cx, PROBE_ERROR, "mode",
                       "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got %s)",
                       nd, mode);
}

/* mode='area' is adaptive_avg_pool{1,2,3}d: an empty output is fine, an
 * empty input is not (unless every output size is 1). */
static int check_area_sizes(probe_ctx *cx, const probe_tensor *x, const int64_t *out)
{
    int nd = x->ndim, dim = nd - 2;
    const int64_t *spatial = x->dim + 2;
    for (int i = 0; i < dim; i++)
        if (out[i] < 0)
            return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                               "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {%lld, %lld}",
                               (long long)out[0], (long long)out[dim - 1]);
    bool ones = true;
    for (int i = 0; i < dim; i++) ones = ones && out[i] == 1;
    for (int i = 0; i < dim && !ones; i++)
        if (spatial[i] == 0)
            return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                               "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes %s with dimension %d being empty",
                               probe_shape_str(cx, x->dim, nd), 2 + i);
    return 0;
}

int upsample(probe_ctx *cx, probe_tensor *x, const probe_ints *size, probe_fpair scale_factor,
             const char *mode, int align_corners, int recompute_scale_factor)
{
    if (!x) return upsample_construct(cx, size, scale_factor, mode, align_corners, recompute_scale_factor);
    int nd = x->ndim, dim = nd - 2;
    const int64_t *spatial = x->dim + (dim > 0 ? 2 : nd);
    bool area = !strcmp(mode, "area");
    if (check_spatial_rank(cx, spatial, dim, size, scale_factor) || check_mode_rank(cx, mode, nd)) return 1;
    /* recompute_scale_factor (and 'area', which needs a size) floors in
     * Python; the C++ kernels truncate the double toward zero */
    bool recompute = recompute_scale_factor > 0 || area;
    int64_t out[3];
    for (int i = 0; i < dim; i++) {
        if (size->n >= 0) {
            out[i] = size->v[size->n == 1 ? 0 : i];
        } else {
            double s = dim == 2 && i == 1 ? scale_factor.w : scale_factor.h;
            double o = (double)spatial[i] * s;
            out[i] = to_size(cx, recompute ? floor(o) : o);
        }
    }
    if (dim > 0 && probe_explaining(cx)) explain_upsample(cx, spatial, out, dim, size, scale_factor, area);
    if (area ? check_area_sizes(cx, x, out) : check_sizes(cx, spatial, out, dim)) return 1;
    for (int i = 0; i < dim; i++) x->dim[2 + i] = out[i];
    return 0;
}

int upsampling_nearest2d(probe_ctx *cx, probe_tensor *x, const probe_ints *size,
                         probe_fpair scale_factor, const char *mode)
{
    OPS_UNUSED1(mode);
    return upsample(cx, x, size, scale_factor, "nearest", -1, -1);
}

/* UpsamplingBilinear2d is Upsample(mode='bilinear', align_corners=True) */
int upsampling_bilinear2d(probe_ctx *cx, probe_tensor *x, const probe_ints *size,
                          probe_fpair scale_factor, const char *mode)
{
    OPS_UNUSED1(mode);
    return upsample(cx, x, size, scale_factor, "bilinear", 1, -1);
}

int pixel_shuffle(probe_ctx *cx, probe_tensor *x, int64_t upscale_factor)
{
    int64_t r = upscale_factor;
    if (!x) {
        if (r <= 0)
            return probe_raise(cx, PROBE_INVALID, "upscale_factor", "pixel_shuffle expects a positive upscale_factor, but got %lld", (long long)r);
        return 0;
    }
    int nd = x->ndim;
    if (nd < 3)
        return probe_raise(cx, PROBE_ERROR, NULL, "pixel_shuffle expects input to have at least 3 dimensions, but got input with %d dimension(s)", nd);
    int64_t rr = probe_mul(cx, r, r);
    if (rr <= 0) return 1;      /* r * r overflowed: the executor reports it */
    if (x->dim[nd - 3] % rr != 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=%lld is not divisible by %lld",
                           (long long)x->dim[nd - 3], (long long)rr);
    const int64_t in[3] = { x->dim[nd - 3], x->dim[nd - 2], x->dim[nd - 1] };
    x->dim[nd - 3] /= rr;
    x->dim[nd - 2] = probe_mul(cx, x->dim[nd - 2], r);
    x->dim[nd - 1] = probe_mul(cx, x->dim[nd - 1], r);
    if (probe_explaining(cx))
        probe_explain(cx, "C_out = C_in / upscale_factor^2 = %lld / %lld^2 = %lld, H_out = H_in * upscale_factor = %lld * %lld = %lld, W_out = %lld * %lld = %lld",
                      (long long)in[0], (long long)r, (long long)x->dim[nd - 3], (long long)in[1], (long long)r,
                      (long long)x->dim[nd - 2], (long long)in[2], (long long)r, (long long)x->dim[nd - 1]);
    return 0;
}

int pixel_unshuffle(probe_ctx *cx, probe_tensor *x, int64_t downscale_factor)
{
    int64_t r = downscale_factor;
    if (!x) {
        if (r <= 0)
            return probe_raise(cx, PROBE_INVALID, "downscale_factor", "pixel_unshuffle expects a positive downscale_factor, but got %lld", (long long)r);
        return 0;
    }
    int nd = x->ndim;
    if (nd < 3)
        return probe_raise(cx, PROBE_ERROR, NULL, "pixel_unshuffle expects input to have at least 3 dimensions, but got input with %d dimension(s)", nd);
    if (x->dim[nd - 2] % r != 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=%lld is not divisible by %lld",
                           (long long)x->dim[nd - 2], (long long)r);
    if (x->dim[nd - 1] % r != 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=%lld is not divisible by %lld",
                           (long long)x->dim[nd - 1], (long long)r);
    const int64_t in[3] = { x->dim[nd - 3], x->dim[nd - 2], x->dim[nd - 1] };
    x->dim[nd - 3] = probe_mul(cx, x->dim[nd - 3], probe_mul(cx, r, r));
    x->dim[nd - 2] /= r;
    x->dim[nd - 1] /= r;
    if (probe_explaining(cx))
        probe_explain(cx, "C_out = C_in * downscale_factor^2 = %lld * %lld^2 = %lld, H_out = H_in / downscale_factor = %lld / %lld = %lld, W_out = %lld / %lld = %lld",
                      (long long)in[0], (long long)r, (long long)x->dim[nd - 3], (long long)in[1], (long long)r,
                      (long long)x->dim[nd - 2], (long long)in[2], (long long)r, (long long)x->dim[nd - 1]);
    return 0;
}
