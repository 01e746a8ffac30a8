/* test_bind.c - arguments bound to the built-in layers' schemas through
 * probe_net_parse: positions, keywords, defaults, conversions, `?` and the
 * Lazy layers, Python's TypeErrors, constructor checks, refused blocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/net.h"
#include "py/py_model.h"

static const char *const QMARK_TAIL =
    ": probe finds Linear in_features, Conv2d/ConvTranspose2d in_channels and BatchNorm2d/InstanceNorm2d num_features";
static const char *const REPR_TAIL = ": print(model) shows it, but only as its fixed value";

/* A layer with keyword-only parameters, which no built-in has. */
static int kw_only_shape(probe_ctx *cx, probe_tensor *x, int64_t a, int64_t b, int64_t c)
{
    (void)cx; (void)x; (void)a; (void)b; (void)c;
    return 0;
}

static int setup_registry(void **state)
{
    probe_registry *reg = probe_registry_new();
    if (!reg) return -1;
    *state = reg;
    return probe_register(reg, "KwOnly(a: i64, *, b: i64, c: i64 = 1)", (probe_shape_fn)kw_only_shape);
}

static int free_registry(void **state)
{
    probe_registry_free(*state);
    return 0;
}

static probe_net *net_of(void **state, const char *text)
{
    probe_net *net = probe_net_parse(*state, "test.cfg", text, strlen(text));
    assert_non_null(net);
    return net;
}

/* A net that must bind; says why when it does not. */
static probe_net *valid_net(void **state, const char *text)
{
    probe_net *net = net_of(state, text);
    if (net->invalid)
        print_error("%s: unexpected error at %u:%u: %s\n", text, net->error.at.line, net->error.at.col, net->error.message);
    assert_false(net->invalid);
    return net;
}

static int index_of(const layer *ly, const char *param)
{
    int i = bind_param_index(ly->op, param);
    if (i < 0) print_error("%s has no parameter '%s'\n", ly->op->name, param);
    assert_true(i >= 0);
    return i;
}

/* The value of a parameter, written or default. Kept per layer, as the
 * executor asks for them: only valid until the next call. */
static const cval *val(const probe_net *net, size_t k, const char *param)
{
    static cval vals[64];
    static probe_ints ints[64];
    assert_true(k < net->nlayers);
    layer_values(&net->layers[k], vals, ints, NULL);
    return &vals[index_of(&net->layers[k], param)];
}

static bool given(const probe_net *net, size_t k, const char *param)
{
    return layer_arg(&net->layers[k], index_of(&net->layers[k], param)) != NULL;
}

static infer_kind infer(const probe_net *net, size_t k, const char *param)
{
    return layer_infer(&net->layers[k], index_of(&net->layers[k], param));
}

/* A rank-2 size as the binder makes it: two values, or n == -1 for None. */
#define EXPECT_SIZE(sz, hh, ww)                                                       \
    do {                                                                              \
        if ((hh) == PROBE_NONE) assert_int_equal((sz)->n, -1);                        \
        else assert_true((sz)->n == 2 && (sz)->v[0] == (hh) && (sz)->v[1] == (ww));   \
    } while (0)

/* Binds `text` expecting it invalid with `msg` at line:col [from, to). */
#define EXPECT_INVALID(text, msg, ln, cl, from, to)      \
    do {                                                 \
        probe_net *n_ = net_of(state, (text));           \
        assert_true(n_->invalid);                        \
        assert_string_equal(n_->error.message, (msg));   \
        assert_int_equal(n_->error.at.line, (ln));       \
        assert_int_equal(n_->error.at.col, (cl));        \
        assert_int_equal(n_->error.at.off, (from));      \
        assert_int_equal(n_->error.at.end, (to));        \
        probe_net_free(n_);                              \
    } while (0)

/* ---- binding ----------------------------------------------------------- */

static void conv2d_positional_and_defaults(void **state)
{
    probe_net *net = valid_net(state, "conv1 = nn.Conv2d(3, 16, 5)");
    assert_int_equal(net->nlayers, 1);
    assert_string_equal(net->layers[0].op->name, "Conv2d");
    assert_int_equal(val(net, 0, "in_channels")->i, 3);
    assert_int_equal(val(net, 0, "out_channels")->i, 16);
    EXPECT_SIZE(val(net, 0, "kernel_size")->ints, 5, 5);
    EXPECT_SIZE(val(net, 0, "stride")->ints, 1, 1);
    EXPECT_SIZE(val(net, 0, "padding")->ints, 0, 0);
    EXPECT_SIZE(val(net, 0, "dilation")->ints, 1, 1);
    assert_int_equal(val(net, 0, "groups")->i, 1);
    assert_int_equal(val(net, 0, "bias")->b, 1);
    assert_string_equal(val(net, 0, "padding_mode")->s, "zeros");
    assert_true(given(net, 0, "kernel_size"));
    assert_false(given(net, 0, "stride"));
    const layer *ly = &net->layers[0];
    src_span sp = layer_span(net, ly, index_of(ly, "out_channels"));
    assert_int_equal(sp.col, 22);
    assert_int_equal(sp.off, 21);
    assert_int_equal(sp.end, 23);
    /* a default's place is the layer's name */
    sp = layer_span(net, ly, index_of(ly, "stride"));
    assert_int_equal(sp.off, 8);
    assert_int_equal(sp.end, 17);
    probe_net_free(net);
}

static void conv2d_keywords(void **state)
{
    probe_net *net = valid_net(state,
                               "Conv2d(in_channels=3, out_channels=16, kernel_size=(3, 5), stride=2,\n"
                               "       padding=(1, 2), dilation=[2, 1], groups=1, bias=False, padding_mode='reflect')");
    assert_int_equal(val(net, 0, "in_channels")->i, 3);
    EXPECT_SIZE(val(net, 0, "kernel_size")->ints, 3, 5);
    EXPECT_SIZE(val(net, 0, "stride")->ints, 2, 2);
    EXPECT_SIZE(val(net, 0, "padding")->ints, 1, 2);
    EXPECT_SIZE(val(net, 0, "dilation")->ints, 2, 1);
    assert_int_equal(val(net, 0, "bias")->b, 0);
    assert_string_equal(val(net, 0, "padding_mode")->s, "reflect");
    const layer *ly = &net->layers[0];
    src_span sp = layer_span(net, ly, index_of(ly, "padding"));
    assert_int_equal(sp.line, 2);
    assert_int_equal(sp.col, 16);
    probe_net_free(net);
}

static void padding_strings(void **state)
{
    probe_net *net = valid_net(state,
                               "Conv2d(3, 8, 3, padding='same')\n"
                               "Conv2d(8, 8, 3, padding=valid)\n"
                               "Conv2d(8, 8, 3, 1, \"same\")\n");
    EXPECT_SIZE(val(net, 0, "padding")->ints, PROBE_SAME, PROBE_SAME);
    EXPECT_SIZE(val(net, 1, "padding")->ints, 0, 0);
    EXPECT_SIZE(val(net, 2, "padding")->ints, PROBE_SAME, PROBE_SAME);
    probe_net_free(net);
    EXPECT_INVALID("Conv2d(3, 8, 3, padding='full')",
                   "Invalid padding string 'full', should be one of {'valid', 'same'}", 1, 25, 24, 30);
    EXPECT_INVALID("Conv2d(3, 8, 3, padding=Same)",
                   "Invalid padding string 'Same', should be one of {'valid', 'same'}", 1, 25, 24, 28);
}

static void linear_and_pooling(void **state)
{
    probe_net *net = valid_net(state,
                               "nn.Linear(16 * 5 * 5, 120)\n"
                               "nn.Linear(in_features=120, out_features=84, bias=False)\n"
                               "nn.MaxPool2d(2)\n"
                               "nn.MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)\n"
                               "nn.AvgPool2d(2, divisor_override=3)\n");
    assert_int_equal(net->nlayers, 5);
    assert_int_equal(val(net, 0, "in_features")->i, 400);
    assert_int_equal(val(net, 0, "bias")->b, 1);
    assert_int_equal(val(net, 1, "out_features")->i, 84);
    assert_int_equal(val(net, 1, "bias")->b, 0);
    EXPECT_SIZE(val(net, 2, "kernel_size")->ints, 2, 2);
    /* stride=None: the window's size, decided by the op */
    EXPECT_SIZE(val(net, 2, "stride")->ints, PROBE_NONE, PROBE_NONE);
    assert_int_equal(val(net, 2, "ceil_mode")->b, 0);
    EXPECT_SIZE(val(net, 3, "padding")->ints, 1, 1);
    assert_int_equal(val(net, 3, "ceil_mode")->b, 1);
    assert_int_equal(val(net, 4, "divisor_override")->i, 3);
    probe_net_free(net);
}

static void numbers_sequences_and_none(void **state)
{
    probe_net *net = valid_net(state,
                               "BatchNorm2d(16)\n"
                               "Dropout(1)\n"
                               "LeakyReLU(-0.2)\n"
                               "AdaptiveAvgPool2d((None, 7))\n"
                               "AdaptiveAvgPool2d(1)\n"
                               "Upsample(scale_factor=(1.5, 2))\n"
                               "Softmax(dim=None)\n"
                               "Softmax(1)\n"
                               "LayerNorm([8, 4, 4])\n");
    assert_true(val(net, 0, "eps")->f == 1e-05);
    assert_true(val(net, 0, "momentum")->f == 0.1);
    assert_int_equal(val(net, 0, "affine")->b, 1);
    assert_true(val(net, 1, "p")->f == 1.0);
    assert_true(val(net, 2, "negative_slope")->f == -0.2);
    const probe_ints *ints = val(net, 3, "output_size")->ints;
    assert_int_equal(ints->n, 2);
    assert_true(ints->v[0] == PROBE_NONE);
    assert_int_equal(ints->v[1], 7);
    ints = val(net, 4, "output_size")->ints;
    assert_int_equal(ints->n, 1);
    assert_int_equal(ints->v[0], 1);
    assert_true(val(net, 5, "scale_factor")->fpair.h == 1.5);
    assert_true(val(net, 5, "scale_factor")->fpair.w == 2.0);
    /* None for ints, str and bool defaults */
    assert_int_equal(val(net, 5, "size")->ints->n, -1);
    assert_string_equal(val(net, 5, "mode")->s, "nearest");
    assert_int_equal(val(net, 5, "align_corners")->b, -1);
    assert_true(val(net, 6, "dim")->i == PROBE_NONE);
    assert_int_equal(val(net, 7, "dim")->i, 1);
    ints = val(net, 8, "normalized_shape")->ints;
    assert_int_equal(ints->n, 3);
    assert_int_equal(ints->v[0], 8);
    probe_net_free(net);
}

static void fpair_from_one_number(void **state)
{
    probe_net *net = valid_net(state, "Upsample(scale_factor=2)\nUpsample(None, 0.5)\nUpsample(size=4)\n");
    assert_true(val(net, 0, "scale_factor")->fpair.h == 2.0);
    assert_true(val(net, 0, "scale_factor")->fpair.w == 2.0);
    assert_true(val(net, 1, "scale_factor")->fpair.w == 0.5);
    /* None: NaN, for the op to tell from a scale */
    assert_true(isnan(val(net, 2, "scale_factor")->fpair.h));
    assert_true(isnan(val(net, 2, "scale_factor")->fpair.w));
    probe_net_free(net);
}

static void device_and_dtype_are_accepted(void **state)
{
    probe_net *net = valid_net(state,
                               "Linear(3, 4, True, 'cpu', torch.float32)\n"
                               "Conv2d(3, 8, 3, device='cuda:0', dtype=torch.float16)\n");
    assert_int_equal(net->nlayers, 2);
    assert_true(given(net, 0, "dtype"));
    probe_net_free(net);
    EXPECT_INVALID("Linear(3, 4, True, 'cpu', device='cpu')",
                   "Linear() got multiple values for argument 'device'", 1, 27, 26, 32);
}

static void identity_takes_anything(void **state)
{
    probe_net *net = valid_net(state, "Identity(54, unused_argument1=0.1, unused_argument2=False)\nIdentity()\n");
    assert_int_equal(net->nlayers, 2);
    probe_net_free(net);
}

/* ---- `?` and the Lazy layers ------------------------------------------- */

static void question_mark_where_pytorch_infers(void **state)
{
    probe_net *net = valid_net(state,
                               "Conv2d(?, 8, 3)\n"
                               "BatchNorm2d(?)\n"
                               "ConvTranspose2d(in_channels=?, out_channels=4, kernel_size=2)\n"
                               "InstanceNorm2d(?)\n"
                               "Linear(?, 10)\n");
    assert_int_equal(net->nlayers, 5);
    assert_int_equal(infer(net, 0, "in_channels"), INFER_QUESTION);
    assert_int_equal(infer(net, 0, "out_channels"), INFER_NONE);
    assert_int_equal(infer(net, 1, "num_features"), INFER_QUESTION);
    assert_int_equal(infer(net, 2, "in_channels"), INFER_QUESTION);
    assert_int_equal(infer(net, 3, "num_features"), INFER_QUESTION);
    assert_int_equal(infer(net, 4, "in_features"), INFER_QUESTION);
    assert_true(given(net, 4, "in_features"));
    assert_int_equal(val(net, 4, "out_features")->i, 10);
    probe_net_free(net);
}

static void question_mark_refused_elsewhere(void **state)
{
    char msg[300];
    snprintf(msg, sizeof msg, "'?' cannot stand for Linear() argument 'out_features'%s", QMARK_TAIL);
    EXPECT_INVALID("Linear(3, ?)", msg, 1, 11, 10, 11);
    snprintf(msg, sizeof msg, "'?' cannot stand for Conv2d() argument 'kernel_size'%s", QMARK_TAIL);
    EXPECT_INVALID("Conv2d(3, 8, kernel_size=?)", msg, 1, 26, 25, 26);
    snprintf(msg, sizeof msg, "'?' cannot stand for MaxPool2d() argument 'kernel_size'%s", QMARK_TAIL);
    EXPECT_INVALID("MaxPool2d(?)", msg, 1, 11, 10, 11);
    snprintf(msg, sizeof msg, "'?' cannot stand for GroupNorm() argument 'num_channels'%s", QMARK_TAIL);
    EXPECT_INVALID("GroupNorm(2, ?)", msg, 1, 14, 13, 14);
}

static void lazy_layers(void **state)
{
    probe_net *net = valid_net(state,
                               "LazyLinear(10)\n"
                               "LazyConv2d(16, 3)\n"
                               "LazyBatchNorm2d()\n");
    assert_int_equal(infer(net, 0, "in_features"), INFER_LAZY);
    assert_false(given(net, 0, "in_features"));
    assert_int_equal(val(net, 0, "out_features")->i, 10);
    assert_int_equal(infer(net, 1, "in_channels"), INFER_LAZY);
    assert_int_equal(val(net, 1, "out_channels")->i, 16);
    EXPECT_SIZE(val(net, 1, "kernel_size")->ints, 3, 3);
    assert_int_equal(infer(net, 2, "num_features"), INFER_LAZY);
    probe_net_free(net);
}

/* What print(model) shows of a Lazy layer before its first forward. */
static void lazy_layers_as_printed(void **state)
{
    probe_net *net = valid_net(state,
                               "LazyLinear(in_features=0, out_features=10, bias=True)\n"
                               "LazyConv2d(0, 8, kernel_size=(3, 3), stride=(1, 1))\n"
                               "LazyBatchNorm2d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n");
    assert_int_equal(net->nlayers, 3);
    assert_int_equal(infer(net, 0, "in_features"), INFER_LAZY);
    assert_int_equal(val(net, 0, "out_features")->i, 10);
    assert_int_equal(val(net, 0, "bias")->b, 1);
    assert_int_equal(infer(net, 1, "in_channels"), INFER_LAZY);
    assert_int_equal(val(net, 1, "out_channels")->i, 8);
    EXPECT_SIZE(val(net, 1, "kernel_size")->ints, 3, 3);
    assert_int_equal(infer(net, 2, "num_features"), INFER_LAZY);
    assert_true(val(net, 2, "eps")->f == 1e-05);
    probe_net_free(net);
    /* a size that is not 0 was not printed by a Lazy layer */
    char msg[200];
    snprintf(msg, sizeof msg, "LazyLinear() does not take 'in_features'%s", REPR_TAIL);
    EXPECT_INVALID("LazyLinear(in_features=5, out_features=10)", msg, 1, 24, 23, 24);
    snprintf(msg, sizeof msg, "LazyConv2d() does not take 'in_channels'%s", REPR_TAIL);
    EXPECT_INVALID("LazyConv2d(8, 3, in_channels=4)", msg, 1, 30, 29, 30);
}

static void repr_only_arguments(void **state)
{
    probe_net *net = valid_net(state,
                               "UpsamplingNearest2d(scale_factor=2.0, mode=nearest)\n"
                               "UpsamplingBilinear2d(scale_factor=2.0, mode='bilinear')\n"
                               "ZeroPad2d(padding=(1, 1, 1, 1), value=0.0)\n"
                               "ZeroPad2d(2)\n");
    assert_int_equal(net->nlayers, 4);
    assert_true(val(net, 0, "scale_factor")->fpair.h == 2.0);
    assert_string_equal(val(net, 0, "mode")->s, "nearest");
    const probe_ints *pad = val(net, 2, "padding")->ints;
    assert_int_equal(pad->n, 4);
    assert_int_equal(pad->v[3], 1);
    probe_net_free(net);
    char msg[200];
    snprintf(msg, sizeof msg, "UpsamplingNearest2d() does not take 'mode'%s", REPR_TAIL);
    EXPECT_INVALID("UpsamplingNearest2d(scale_factor=2.0, mode=bilinear)", msg, 1, 44, 43, 51);
    snprintf(msg, sizeof msg, "ZeroPad2d() does not take 'value'%s", REPR_TAIL);
    EXPECT_INVALID("ZeroPad2d(padding=(1, 1, 1, 1), value=1.0)", msg, 1, 39, 38, 41);
    /* printed only as a keyword: never taken by position */
    EXPECT_INVALID("ZeroPad2d(1, 0.0)", "ZeroPad2d() takes 1 positional argument but 2 were given", 1, 14, 13, 16);
}

/* ---- Python's TypeErrors ----------------------------------------------- */

static void unknown_layer(void **state)
{
    EXPECT_INVALID("ReLU()\nnn.Conv2D(3, 8, 3)", "unknown layer 'Conv2D' (did you mean 'Conv2d'?)", 2, 1, 7, 16);
    EXPECT_INVALID("Maxpool2d(2)", "unknown layer 'Maxpool2d' (did you mean 'MaxPool2d'?)", 1, 1, 0, 9);
    EXPECT_INVALID("Linaer(3, 4)", "unknown layer 'Linaer' (did you mean 'Linear'?)", 1, 1, 0, 6);
    EXPECT_INVALID("MyFancyBlock()",
                   "unknown layer 'MyFancyBlock': probe knows the torch.nn layers of NETCFG.md; a custom layer needs --plugin",
                   1, 1, 0, 12);
    probe_net *net = net_of(state, "ReLU()\nConv2D(3, 8, 3)\n");
    assert_null(net->error.layer);
    /* the layers before the error are the net's; the refused one is not */
    assert_int_equal(net->nlayers, 1);
    assert_int_equal(probe_net_layer_count(net), 1);
    probe_net_free(net);
}

static void unexpected_keyword(void **state)
{
    EXPECT_INVALID("Conv2d(3, 8, kernal_size=3)",
                   "Conv2d() got an unexpected keyword argument 'kernal_size' (did you mean 'kernel_size'?)", 1, 14, 13, 24);
    EXPECT_INVALID("Linear(3, 4, bais=True)",
                   "Linear() got an unexpected keyword argument 'bais' (did you mean 'bias'?)", 1, 14, 13, 17);
    EXPECT_INVALID("MaxPool2d(2, strides=2)",
                   "MaxPool2d() got an unexpected keyword argument 'strides' (did you mean 'stride'?)", 1, 14, 13, 20);
    EXPECT_INVALID("Conv2d(3, 8, 3, foo=1)", "Conv2d() got an unexpected keyword argument 'foo'", 1, 17, 16, 19);
    EXPECT_INVALID("Sigmoid(inplace=True)", "Sigmoid() got an unexpected keyword argument 'inplace'", 1, 9, 8, 15);
    probe_net *net = net_of(state, "Conv2d(3, 8, kernal_size=3)");
    assert_string_equal(net->error.layer, "Conv2d");
    probe_net_free(net);
}

static void missing_required_arguments(void **state)
{
    EXPECT_INVALID("nn.Conv2d()",
                   "Conv2d() missing 3 required positional arguments: 'in_channels', 'out_channels', and 'kernel_size'",
                   1, 1, 0, 9);
    EXPECT_INVALID("Conv2d(3)", "Conv2d() missing 2 required positional arguments: 'out_channels' and 'kernel_size'",
                   1, 1, 0, 6);
    EXPECT_INVALID("Conv2d(3, 8)", "Conv2d() missing 1 required positional argument: 'kernel_size'", 1, 1, 0, 6);
    EXPECT_INVALID("Conv2d(3, kernel_size=3)", "Conv2d() missing 1 required positional argument: 'out_channels'",
                   1, 1, 0, 6);
    EXPECT_INVALID("LPPool2d()", "LPPool2d() missing 2 required positional arguments: 'norm_type' and 'kernel_size'",
                   1, 1, 0, 8);
    EXPECT_INVALID("Threshold(0.1)", "Threshold() missing 1 required positional argument: 'value'", 1, 1, 0, 9);
}

static void too_many_positional_arguments(void **state)
{
    EXPECT_INVALID("Conv2d(3, 8, 3, 1, 0, 1, 1, True, 'zeros', None, None, 5)",
                   "Conv2d() takes from 3 to 11 positional arguments but 12 were given", 1, 56, 55, 56);
    EXPECT_INVALID("Linear(3, 4, True, None, None, 5, 6)",
                   "Linear() takes from 2 to 5 positional arguments but 7 were given", 1, 32, 31, 32);
    EXPECT_INVALID("ReLU(True, 2)", "ReLU() takes from 0 to 1 positional arguments but 2 were given", 1, 12, 11, 12);
    EXPECT_INVALID("Sigmoid(1)", "Sigmoid() takes 0 positional arguments but 1 was given", 1, 9, 8, 9);
    EXPECT_INVALID("PixelShuffle(2, 3)", "PixelShuffle() takes 1 positional argument but 2 were given", 1, 17, 16, 17);
    EXPECT_INVALID("Unflatten(1, (2, 2), 3)", "Unflatten() takes 2 positional arguments but 3 were given", 1, 22, 21, 22);
}

/* Python reports a keyword it cannot place before counting positionals. */
static void keywords_are_checked_before_the_count(void **state)
{
    EXPECT_INVALID("ReLU(True, 2, foo=1)", "ReLU() got an unexpected keyword argument 'foo'", 1, 15, 14, 17);
    EXPECT_INVALID("ReLU(True, 2, inplace=False)", "ReLU() got multiple values for argument 'inplace'", 1, 15, 14, 21);
}

static void keyword_only_parameters(void **state)
{
    probe_net *net = valid_net(state, "KwOnly(1, b=2)");
    assert_int_equal(val(net, 0, "b")->i, 2);
    assert_int_equal(val(net, 0, "c")->i, 1);
    probe_net_free(net);
    EXPECT_INVALID("KwOnly(1)", "KwOnly() missing 1 required keyword-only argument: 'b'", 1, 1, 0, 6);
    EXPECT_INVALID("KwOnly()", "KwOnly() missing 1 required positional argument: 'a'", 1, 1, 0, 6);
    EXPECT_INVALID("KwOnly(1, 2)", "KwOnly() takes 1 positional argument but 2 were given", 1, 11, 10, 11);
}

static void multiple_values(void **state)
{
    EXPECT_INVALID("Conv2d(3, 8, 3, kernel_size=3)",
                   "Conv2d() got multiple values for argument 'kernel_size'", 1, 17, 16, 27);
    EXPECT_INVALID("Linear(3, 4, in_features=3)",
                   "Linear() got multiple values for argument 'in_features'", 1, 14, 13, 24);
}

static void wrong_types(void **state)
{
    EXPECT_INVALID("Conv2d(3, 8.0, 3)", "Conv2d() argument 'out_channels' must be an int, not float", 1, 11, 10, 13);
    EXPECT_INVALID("Linear('a', 3)", "Linear() argument 'in_features' must be an int, not str", 1, 8, 7, 10);
    EXPECT_INVALID("Conv2d(3, 8, 3, bias='no')", "Conv2d() argument 'bias' must be True or False, not str", 1, 22, 21, 25);
    EXPECT_INVALID("Conv2d(3, 8, (3, 3, 3))",
                   "Conv2d() argument 'kernel_size' must be an int or a tuple of 2 ints, not tuple", 1, 14, 13, 22);
    EXPECT_INVALID("Conv2d(3, 8, [3, 3.5])",
                   "Conv2d() argument 'kernel_size' must be an int or a tuple of 2 ints, not list", 1, 14, 13, 21);
    EXPECT_INVALID("Conv2d(3, 8, 3, padding=None)",
                   "Conv2d() argument 'padding' must be an int, a tuple of 2 ints, 'same' or 'valid', not NoneType",
                   1, 25, 24, 28);
    EXPECT_INVALID("Conv2d(3, 8, 3, padding_mode=None)",
                   "Conv2d() argument 'padding_mode' must be a string, not NoneType", 1, 30, 29, 33);
    EXPECT_INVALID("Upsample(scale_factor='2')",
                   "Upsample() argument 'scale_factor' must be a number or a tuple of 2 numbers, not str", 1, 23, 22, 25);
    EXPECT_INVALID("AdaptiveAvgPool2d('a')",
                   "AdaptiveAvgPool2d() argument 'output_size' must be an int or a tuple of ints, not str", 1, 19, 18, 21);
    EXPECT_INVALID("AdaptiveAvgPool2d((1, 2, 3, 4, 5, 6, 7, 8, 9))",
                   "AdaptiveAvgPool2d() argument 'output_size': too many values", 1, 19, 18, 45);
    EXPECT_INVALID("GELU(approximate=1)", "GELU() argument 'approximate' must be a string, not int", 1, 18, 17, 18);
    EXPECT_INVALID("Dropout(p=None)", "Dropout() argument 'p' must be a number, not NoneType", 1, 11, 10, 14);
}

/* ---- what the constructors refuse --------------------------------------- */

static void constructor_checks(void **state)
{
    EXPECT_INVALID("Conv2d(3, 8, 3, groups=2)", "in_channels must be divisible by groups", 1, 24, 23, 24);
    EXPECT_INVALID("Conv2d(4, 6, 3, groups=4)", "out_channels must be divisible by groups", 1, 24, 23, 24);
    EXPECT_INVALID("Conv2d(3, 8, 3, stride=2, padding='same')",
                   "padding='same' is not supported for strided convolutions", 1, 35, 34, 40);
    EXPECT_INVALID("MaxPool2d(3, padding=2)",
                   "pad should be at most half of kernel size, but got pad=2 and kernel_size=3", 1, 22, 21, 22);
    EXPECT_INVALID("Dropout(p=1.5)", "dropout probability has to be between 0 and 1, but got 1.5", 1, 11, 10, 13);
    EXPECT_INVALID("Dropout2d(-0.5)", "dropout probability has to be between 0 and 1, but got -0.5", 1, 11, 10, 14);
    EXPECT_INVALID("Conv2d(-1, 8, 3)", "Trying to create tensor with negative dimension -1: [8, -1, 3, 3]", 1, 8, 7, 9);
    EXPECT_INVALID("Conv2d(3, -8, 3)", "Trying to create tensor with negative dimension -8: [-8, 3, 3, 3]", 1, 11, 10, 12);
    EXPECT_INVALID("Linear(-1, 8)", "Trying to create tensor with negative dimension -1: [8, -1]", 1, 8, 7, 9);
    EXPECT_INVALID("Upsample()", "either size or scale_factor should be defined", 1, 1, 0, 8);
    /* the first refused layer stops the binding */
    probe_net *net = net_of(state, "ReLU()\nConv2d(3, 8, 3, groups=2)\nFoo()\n");
    assert_true(net->invalid);
    assert_string_equal(net->error.layer, "Conv2d");
    assert_int_equal(net->error.at.line, 2);
    assert_int_equal(net->nlayers, 1);
    probe_net_free(net);
}

/* ---- containers ----------------------------------------------------------- */

static void containers_are_followed(void **state)
{
    probe_net *net = valid_net(state,
                               "input: 3x32x32\n"
                               "Net(\n"
                               "  (features): Sequential(\n"
                               "    (0): Conv2d(3, 8, kernel_size=(3, 3))\n"
                               "    (1): ReLU(inplace=True)\n"
                               "  )\n"
                               "  (fc): Linear(in_features=?, out_features=10)\n");
    assert_true(net->has_input);
    assert_int_equal(net->input[0], 3);
    assert_int_equal(net->input[2], 32);
    assert_int_equal(net->nlayers, 3);
    size_t n;
    const char *label = layer_label(net, &net->layers[0], &n);
    assert_int_equal(n, 3);
    assert_memory_equal(label, "(0)", 3);
    assert_string_equal(net->layers[2].op->name, "Linear");
    assert_int_equal(net->unclosed, 1);
    assert_int_equal(net->unclosed_at.line, 2);
    probe_net_free(net);
}

static void residual_blocks_are_refused(void **state)
{
    /* a torchvision block probe's library does not have yet (the ones it
     * has run through it): the first such of build.c's list, as the
     * library grows */
    static const char *const blocks[] = {
        "InceptionAux", "CNBlock", "MBConv", "FusedMBConv", "SqueezeExcitation", "ResBottleneckBlock",
        "InvertedResidual", "_InvertedResidual", NULL,
    };
    const char *const *b = blocks;
    while (*b && py_zoo_has_class(*b)) b++;
    if (*b) {
        char text[200], msg[300];
        snprintf(text, sizeof text, "Sequential(\n  (0): %s(\n"
                 "    (conv1): Conv2d(64, 64, kernel_size=(3, 3), padding=(1, 1), bias=False)\n  )\n)\n", *b);
        snprintf(msg, sizeof msg, "'%s' is a block whose forward() does not run its children one after another "
                 "(a residual shortcut or parallel branches), so probe cannot follow it as a list of layers; "
                 "pass the model's .py file instead", *b);
        EXPECT_INVALID(text, msg, 2, 8, 19, 19 + (unsigned)strlen(*b));
        snprintf(text, sizeof text, "Sequential(\n  (0): %s(\n", *b);
        probe_net *net = net_of(state, text);
        assert_string_equal(net->error.layer, *b);
        probe_net_free(net);
    }
    EXPECT_INVALID("Sequential(\n"
                   "  (0): Block(\n"
                   "    (conv1): Conv2d(3, 8, 3)\n"
                   "    (downsample): Sequential(\n"
                   "      (0): Conv2d(3, 8, 1)\n"
                   "    )\n"
                   "  )\n"
                   ")\n",
                   "'Block' has a child labelled (downsample): its forward() adds a shortcut branch, which a list of layers cannot follow; pass the model's .py file instead",
                   2, 8, 19, 24);
    EXPECT_INVALID("Block(\n  shortcut = nn.Conv2d(3, 8, 1)\n)\n",
                   "'Block' has a child labelled shortcut: its forward() adds a shortcut branch, which a list of layers cannot follow; pass the model's .py file instead",
                   1, 1, 0, 5);
    /* outside a container the label is only a name */
    probe_net *net = valid_net(state, "downsample = nn.Conv2d(3, 8, 1)\n");
    assert_int_equal(net->nlayers, 1);
    probe_net_free(net);
    /* an identity shortcut prints as an empty Sequential(): still a branch */
    EXPECT_INVALID("Block(\n  (conv): Conv2d(3, 3, 3)\n  (shortcut): Sequential()\n)\n",
                   "'Block' has a child labelled (shortcut): its forward() adds a shortcut branch, which a list of layers cannot follow; pass the model's .py file instead",
                   1, 1, 0, 5);
}

static void empty_containers_are_skipped(void **state)
{
    /* print(model) writes an empty Sequential on one line */
    probe_net *net = valid_net(state, "Net(\n  (pre): Sequential()\n  (fc): Linear(4, 2)\n)\n");
    assert_int_equal(net->nlayers, 1);
    assert_string_equal(net->layers[0].op->name, "Linear");
    probe_net_free(net);
}

static void syntax_errors_reach_the_net(void **state)
{
    EXPECT_INVALID("ReLU()\nConv2d(3 8)\n", "expected ',' or ')' after an argument, got an integer", 2, 10, 16, 17);
    probe_net *net = net_of(state, "ReLU()\n)\n");
    assert_true(net->invalid);
    assert_null(net->error.layer);
    assert_int_equal(net->nlayers, 0);
    probe_net_free(net);
}

static void bind_errors_wait_for_syntax_errors(void **state)
{
    /* Python compiles the whole file before it runs a line of it */
    EXPECT_INVALID("Conv2D(3)\nConv2d(3 8)\n", "expected ',' or ')' after an argument, got an integer", 2, 10, 19, 20);
    probe_net *net = net_of(state, "ReLU()\nConv2D(3)\nReLU()\n");
    assert_true(net->invalid);
    assert_string_equal(net->error.message, "unknown layer 'Conv2D' (did you mean 'Conv2d'?)");
    assert_int_equal(net->nlayers, 1);  /* nothing after the error is bound */
    probe_net_free(net);
}

static void python_paths_follow_containers(void **state)
{
    probe_net *net = valid_net(state,
                               "Net(\n"
                               "  (features): Sequential(\n"
                               "    (0): Conv2d(3, 8, 3)\n"
                               "    (1): ReLU()\n"
                               "  )\n"
                               "  (pre): Sequential()\n"
                               "  (classifier): Sequential(\n"
                               "    (0): Dropout()\n"
                               "    (fc): Linear(8, 2)\n"
                               "  )\n"
                               ")\n"
                               "m = nn.Sequential(nn.ReLU(), nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))\n"
                               "self.head = nn.Linear(2, 2)\n"
                               "nn.ReLU()\n");
    static const char *const want[] = {
        "model.features[0]", "model.features[1]", "model.classifier[0]", "model.classifier.fc",
        "model.m[0]", "model.m[1][0]", "model.m[1][1]", "model.head", "model[3]",
    };
    assert_int_equal(net->nlayers, sizeof want / sizeof want[0]);
    char path[128];
    for (size_t k = 0; k < net->nlayers; k++) {
        net_python_path(net, &net->layers[k], path, sizeof path);
        assert_string_equal(path, want[k]);
    }
    probe_net_free(net);
}

static void values_over_16_mib_are_refused(void **state)
{
    /* a bound argument keeps its length in 24 bits */
    size_t terms = (BIND_MAX_VALUE + 1) / 2 + 1;
    size_t cap = terms * 2 + 32;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "Linear(4, ");
    for (size_t k = 0; k + 1 < terms; k++) { text[len++] = '1'; text[len++] = '+'; }
    len += (size_t)snprintf(text + len, cap - len, "1)");
    probe_net *net = probe_net_parse(*state, "long.cfg", text, len);
    assert_non_null(net);
    assert_true(net->invalid);
    char want[160];
    snprintf(want, sizeof want, "this value is %zu bytes long: probe reads values of at most 16777215 bytes", terms * 2 - 1);
    assert_string_equal(net->error.message, want);
    assert_int_equal(net->error.at.off, 10);
    probe_net_free(net);
    free(text);
}

static void repeated_lines_share_their_arguments(void **state)
{
    probe_net *net = valid_net(state,
                               "(0): Conv2d(8, 8, kernel_size=(3, 3), padding=(1, 1))\n"
                               "(1): Conv2d(8, 8, kernel_size=(3, 3), padding=(1, 1))\n"
                               "(2): Conv2d(8, 8, kernel_size=(3, 3), padding=(2, 2))\n"
                               "(3):   Conv2d(8, 8, kernel_size=(3, 3), padding=(1, 1))\n");
    assert_int_equal(net->nlayers, 4);
    /* 4 arguments each; lines 1, 2 and 4 bind alike (spaces before the
     * name do not count: places are kept from the name on) */
    assert_int_equal(net->nargs, 8);
    assert_ptr_equal(net->layers[0].args, net->layers[1].args);
    assert_ptr_equal(net->layers[0].args, net->layers[3].args);
    assert_ptr_not_equal(net->layers[0].args, net->layers[2].args);
    EXPECT_SIZE(val(net, 2, "padding")->ints, 2, 2);
    /* each layer's argument is still found in its own line */
    for (size_t k = 0; k < 4; k++) {
        const layer *ly = &net->layers[k];
        src_span sp = layer_span(net, ly, index_of(ly, "padding"));
        assert_int_equal(sp.line, k + 1);
        assert_int_equal(sp.col, k == 3 ? 49 : 47);
        assert_memory_equal(net->text + sp.off, k == 2 ? "(2, 2)" : "(1, 1)", 6);
    }
    probe_net_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv2d_positional_and_defaults),
        cmocka_unit_test(bind_errors_wait_for_syntax_errors),
        cmocka_unit_test(python_paths_follow_containers),
        cmocka_unit_test(values_over_16_mib_are_refused),
        cmocka_unit_test(repeated_lines_share_their_arguments),
        cmocka_unit_test(empty_containers_are_skipped),
        cmocka_unit_test(conv2d_keywords),
        cmocka_unit_test(padding_strings),
        cmocka_unit_test(linear_and_pooling),
        cmocka_unit_test(numbers_sequences_and_none),
        cmocka_unit_test(fpair_from_one_number),
        cmocka_unit_test(device_and_dtype_are_accepted),
        cmocka_unit_test(identity_takes_anything),
        cmocka_unit_test(question_mark_where_pytorch_infers),
        cmocka_unit_test(question_mark_refused_elsewhere),
        cmocka_unit_test(lazy_layers),
        cmocka_unit_test(lazy_layers_as_printed),
        cmocka_unit_test(repr_only_arguments),
        cmocka_unit_test(unknown_layer),
        cmocka_unit_test(unexpected_keyword),
        cmocka_unit_test(missing_required_arguments),
        cmocka_unit_test(too_many_positional_arguments),
        cmocka_unit_test(keywords_are_checked_before_the_count),
        cmocka_unit_test(keyword_only_parameters),
        cmocka_unit_test(multiple_values),
        cmocka_unit_test(wrong_types),
        cmocka_unit_test(constructor_checks),
        cmocka_unit_test(containers_are_followed),
        cmocka_unit_test(residual_blocks_are_refused),
        cmocka_unit_test(syntax_errors_reach_the_net),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
