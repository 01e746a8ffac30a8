/* ops_resize.c - Upsample and its fixed-mode forms, PixelShuffle and
 * PixelUnshuffle. Messages: torch/nn/functional.py (interpolate) and ATen's
 * PixelShuffle.cpp. */
#include "ops.h"

#include <math.h>
#include <string.h>

static bool mode_is(const char *mode, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(mode, *set)) return true;
    return false;
}

int upsample(probe_ctx *cx, probe_tensor *x, const probe_ints *size, probe_fpair scale_factor,
             const char *mode, int align_corners, int recompute_scale_factor)
{
    OPS_UNUSED1(recompute_scale_factor);
    static const char *const modes[] = { "nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact", NULL };
    static const char *const interpolating[] = { "linear", "bilinear", "bicubic", "trilinear", NULL };
    bool has_size = size->n >= 0, has_scale = !isnan(scale_factor.h);
    if (!x) {
        if (!mode_is(mode, modes))
            return probe_raise(cx, PROBE_INVALID, "mode",
                               "Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got %s)", mode);
        if (has_size && has_scale)
            return probe_raise(cx, PROBE_INVALID, "scale_factor", "only one of size or scale_factor should be defined");
        if (!has_size && !has_scale)
            return probe_raise(cx, PROBE_INVALID, NULL, "either size or scale_factor should be defined");
        if (align_corners >= 0 && !mode_is(mode, interpolating))
            return probe_raise(cx, PROBE_INVALID, "align_corners",
                               "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        if (has_size && (size->n < 1 || size->n > 2))
            return probe_raise(cx, PROBE_INVALID, "size", "size must be an int or a tuple of 2 ints for a 2D input");
        return 0;
    }
    int spatial = x->ndim - 2;
    if (spatial < 1 || spatial > 2)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got %s)",
                           x->ndim, mode);
    const char *needs = NULL;
    if (!strcmp(mode, "linear") && spatial != 1) needs = "3D";
    if ((!strcmp(mode, "bilinear") || !strcmp(mode, "bicubic")) && spatial != 2) needs = "4D";
    if (!strcmp(mode, "trilinear")) needs = "5D";
    if (needs)
        return probe_raise(cx, PROBE_ERROR, "mode", "Got %dD input, but %s mode needs %s input", x->ndim, mode, needs);
    if (has_size && size->n != 1 && size->n != spatial)
        return probe_raise(cx, PROBE_ERROR, "size",
                           "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of %s and output size of %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.",
                           probe_shape_str(cx, x->dim + 2, spatial), probe_shape_str(cx, size->v, size->n));
    int64_t in[2], out[2];
    for (int i = 0; i < spatial; i++) {
        in[i] = x->dim[2 + i];
        if (has_size) {
            out[i] = size->n == 1 ? size->v[0] : size->v[i];
        } else {
            double s = i == 0 ? scale_factor.h : scale_factor.w;
            double o = floor((double)in[i] * s);
            if (!(o < 9.2e18)) return probe_raise(cx, PROBE_ERROR, "scale_factor", "upsampled size does not fit in int64");
            out[i] = (int64_t)o;
        }
    }
    bool empty = false;
    for (int i = 0; i < spatial; i++) empty |= out[i] <= 0;
    if (empty) {
        if (spatial == 2)
            return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                               "Input and output sizes should be greater than 0, but got input (H: %lld, W: %lld) output (H: %lld, W: %lld)",
                               (long long)in[0], (long long)in[1], (long long)out[0], (long long)out[1]);
        return probe_raise(cx, PROBE_TOO_SMALL, NULL,
                           "Input and output sizes should be greater than 0, but got input (W: %lld) and output (W: %lld)",
                           (long long)in[0], (long long)out[0]);
    }
    for (int i = 0; i < spatial; i++) x->dim[2 + i] = out[i];
    return 0;
}

int upsampling_nearest2d(probe_ctx *cx, probe_tensor *x, const probe_ints *size,
                         probe_fpair scale_factor, const char *mode)
{
    OPS_UNUSED1(mode);
    return upsample(cx, x, size, scale_factor, "nearest", -1, -1);
}

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
    if (x->dim[nd - 3] % rr != 0)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=%lld is not divisible by %lld",
                           (long long)x->dim[nd - 3], (long long)rr);
    x->dim[nd - 3] /= rr;
    x->dim[nd - 2] = probe_mul(cx, x->dim[nd - 2], r);
    x->dim[nd - 1] = probe_mul(cx, x->dim[nd - 1], r);
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
    x->dim[nd - 3] = probe_mul(cx, x->dim[nd - 3], probe_mul(cx, r, r));
    x->dim[nd - 2] /= r;
    x->dim[nd - 1] /= r;
    return 0;
}
