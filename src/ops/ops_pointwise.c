/* ops_pointwise.c - activations, softmaxes and dropouts: the output has
 * the input's shape; what can go wrong is in the arguments, or the few
 * layers that look at a dimension (PReLU, Softmax, Softmax2d). */
#include "ops/ops.h"

#include <string.h>

static int check_p(probe_ctx *cx, double p)
{
    char buf[32];
    if (p < 0 || p > 1)
        return probe_raise(cx, PROBE_INVALID, "p", "dropout probability has to be between 0 and 1, but got %s",
                           ops_float_repr(p, buf));
    return 0;
}

int relu(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int relu6(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int selu(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int silu(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int mish(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int hardswish(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int hardsigmoid(probe_ctx *cx, probe_tensor *x, int inplace) { OPS_UNUSED3(cx, x, inplace); return 0; }
int sigmoid(probe_ctx *cx, probe_tensor *x) { OPS_UNUSED2(cx, x); return 0; }
int tanh_op(probe_ctx *cx, probe_tensor *x) { OPS_UNUSED2(cx, x); return 0; }
int softsign(probe_ctx *cx, probe_tensor *x) { OPS_UNUSED2(cx, x); return 0; }
int tanhshrink(probe_ctx *cx, probe_tensor *x) { OPS_UNUSED2(cx, x); return 0; }
int log_sigmoid(probe_ctx *cx, probe_tensor *x) { OPS_UNUSED2(cx, x); return 0; }
int hardshrink(probe_ctx *cx, probe_tensor *x, double lambd) { OPS_UNUSED3(cx, x, lambd); return 0; }
int softshrink(probe_ctx *cx, probe_tensor *x, double lambd)
{
    OPS_UNUSED1(x);
    /* ATen prints the double as C++ streams do: -1, -0.5 */
    if (lambd < 0)
        return probe_raise(cx, PROBE_INVALID, "lambd", "lambda must be greater or equal to 0, but found to be %g.", lambd);
    return 0;
}

int leaky_relu(probe_ctx *cx, probe_tensor *x, double negative_slope, int inplace)
{
    OPS_UNUSED3(x, negative_slope, inplace);
    OPS_UNUSED1(cx);
    return 0;
}

int elu(probe_ctx *cx, probe_tensor *x, double alpha, int inplace) { OPS_UNUSED3(x, alpha, inplace); OPS_UNUSED1(cx); return 0; }
int celu(probe_ctx *cx, probe_tensor *x, double alpha, int inplace)
{
    OPS_UNUSED1(inplace);
    if (!x && alpha == 0)
        return probe_raise(cx, PROBE_INVALID, "alpha", "ZeroDivisionError: alpha cannot be 0 for CELU");
    return 0;
}
int softplus(probe_ctx *cx, probe_tensor *x, double beta, double threshold) { OPS_UNUSED3(x, beta, threshold); OPS_UNUSED1(cx); return 0; }
int threshold(probe_ctx *cx, probe_tensor *x, double threshold_, double value, int inplace)
{
    OPS_UNUSED3(x, threshold_, value);
    OPS_UNUSED2(cx, inplace);
    return 0;
}

int rrelu(probe_ctx *cx, probe_tensor *x, double lower, double upper, int inplace)
{
    OPS_UNUSED2(x, inplace);
    if (lower > upper)
        return probe_raise(cx, PROBE_INVALID, "upper", "Lower bound should be less than or equal to the upper bound");
    return 0;
}

int gelu(probe_ctx *cx, probe_tensor *x, const char *approximate)
{
    if (!x && strcmp(approximate, "none") && strcmp(approximate, "tanh"))
        return probe_raise(cx, PROBE_INVALID, "approximate", "approximate argument must be either none or tanh.");
    return 0;
}

int hardtanh(probe_ctx *cx, probe_tensor *x, double min_val, double max_val, int inplace,
             double min_value, double max_value)
{
    OPS_UNUSED1(inplace);
    /* min_value/max_value are the deprecated spellings; they win when given */
    if (min_value == min_value) min_val = min_value;
    if (max_value == max_value) max_val = max_value;
    if (!x && !(max_val > min_val)) {
        char a[32], b[32];
        return probe_raise(cx, PROBE_INVALID, "max_val", "Hardtanh needs max_val > min_val, got min_val=%s and max_val=%s",
                           ops_float_repr(min_val, a), ops_float_repr(max_val, b));
    }
    return 0;
}

int prelu(probe_ctx *cx, probe_tensor *x, int64_t num_parameters, double init)
{
    OPS_UNUSED1(init);
    if (!x) {
        if (num_parameters < 0)
            return probe_raise(cx, PROBE_INVALID, "num_parameters", "Trying to create tensor with negative dimension %lld: [%lld]",
                               (long long)num_parameters, (long long)num_parameters);
        if (num_parameters == 0)
            return probe_raise(cx, PROBE_INVALID, "num_parameters",
                               "PReLU(num_parameters=0) has no weight to apply: every forward fails with \"Mismatch of parameter numbers and input channel size\"");
        return 0;
    }
    if (x->ndim == 0) return probe_raise(cx, PROBE_ERROR, NULL, "Not allow zero-dim input tensor.");
    /* the channels are dim 1, or 1 for a 1-d input */
    int64_t channels = x->ndim >= 2 ? x->dim[1] : 1;
    if (probe_explaining(cx)) {
        if (num_parameters == 1)
            probe_explain(cx, "num_parameters = 1: one weight shared by all channels; the shape does not change");
        else
            probe_explain(cx, "num_parameters = %lld weights, one per channel: needs C = %lld; the shape does not change",
                          (long long)num_parameters, (long long)num_parameters);
    }
    if (num_parameters != 1 && num_parameters != channels)
        return probe_raise(cx, PROBE_ERROR, "num_parameters",
                           "Mismatch of parameter numbers and input channel size. Found parameter numbers = %lld and channel size = %lld.",
                           (long long)num_parameters, (long long)channels);
    probe_set_params(cx, num_parameters);
    return 0;
}

static int softmax_dim(probe_ctx *cx, const probe_tensor *x, int64_t dim)
{
    int d;
    if (!x || dim == PROBE_NONE) return 0;
    return probe_wrap_dim(cx, dim, x->ndim, &d);
}

int softmax(probe_ctx *cx, probe_tensor *x, int64_t dim) { return softmax_dim(cx, x, dim); }
int log_softmax(probe_ctx *cx, probe_tensor *x, int64_t dim) { return softmax_dim(cx, x, dim); }
int softmin(probe_ctx *cx, probe_tensor *x, int64_t dim) { return softmax_dim(cx, x, dim); }

int softmax2d(probe_ctx *cx, probe_tensor *x)
{
    if (x && x->ndim != 3 && x->ndim != 4)
        return probe_raise(cx, PROBE_ERROR, NULL, "Softmax2d requires a 3D or 4D tensor as input");
    return 0;
}

int dropout(probe_ctx *cx, probe_tensor *x, double p, int inplace) { OPS_UNUSED1(inplace); return x ? 0 : check_p(cx, p); }
int dropout2d(probe_ctx *cx, probe_tensor *x, double p, int inplace) { OPS_UNUSED1(inplace); return x ? 0 : check_p(cx, p); }
int alpha_dropout(probe_ctx *cx, probe_tensor *x, double p, int inplace) { OPS_UNUSED1(inplace); return x ? 0 : check_p(cx, p); }
int feature_alpha_dropout(probe_ctx *cx, probe_tensor *x, double p, int inplace) { OPS_UNUSED1(inplace); return x ? 0 : check_p(cx, p); }

/* F.dropout1d checks the rank in eval mode too; dropout2d and dropout3d
 * only warn about theirs */
int dropout1d(probe_ctx *cx, probe_tensor *x, double p, int inplace)
{
    OPS_UNUSED1(inplace);
    if (!x) return check_p(cx, p);
    if (x->ndim != 2 && x->ndim != 3)
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "dropout1d: Expected 2D or 3D input, but received a %dD input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).",
                           x->ndim);
    return 0;
}
