/* test_exec.c - the executor through the public API: a net parsed from a
 * string, run, and read back (status, errors, in_features, input, and the
 * JSON's fixes and implicit_flatten). The forum trick's repair-and-continue,
 * `?` filled by the mismatch path, Lazy layers, the implicit flatten and
 * --strict, the input channels, and the status of a run. PyTorch's messages
 * here were checked with nn.Sequential of the same layers on
 * torch.rand(1, C, H, W) in eval mode. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "probe.h"

/* One run of a net given as text; the net must outlive its result. */
typedef struct run {
    probe_net *net;
    probe_result *res;
    char *json;
} run;

static run run_net(void **state, const char *text, int64_t h, int64_t w, int strict)
{
    run r;
    r.net = probe_net_parse(*state, "test.cfg", text, strlen(text));
    assert_non_null(r.net);
    probe_options opt = probe_options_default();
    opt.h = h;
    opt.w = w;
    opt.strict = strict;
    r.res = probe_run(r.net, &opt);
    assert_non_null(r.res);
    r.json = probe_result_json(r.res);
    assert_non_null(r.json);
    return r;
}

static void run_free(run *r)
{
    free(r->json);
    probe_result_free(r->res);
    probe_net_free(r->net);
}

/* The JSON value of a top-level field, as written ("[...]", "null", "7"). */
static char *json_field(const char *json, const char *field)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\": ", field);
    const char *p = strstr(json, key);
    if (!p) print_error("no field %s in %s\n", field, json);
    assert_non_null(p);
    p += strlen(key);
    const char *e = p;
    int depth = 0;
    bool in_str = false;
    /* to the end of the bracketed value, or to the next ',' or '}' */
    for (; *e; e++) {
        if (in_str) {
            if (*e == '\\') e++;
            else if (*e == '"') in_str = false;
        } else if (*e == '"') {
            in_str = true;
        } else if (*e == '[' || *e == '{') {
            depth++;
        } else if (*e == ']' || *e == '}') {
            if (depth == 0) break;
            if (--depth == 0) { e++; break; }
        } else if (*e == ',' && depth == 0) {
            break;
        }
    }
    size_t n = (size_t)(e - p);
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static void expect_field(const run *r, const char *field, const char *want)
{
    char *got = json_field(r->json, field);
    if (strcmp(got, want)) print_error("%s: %s\n   want %s\n", field, got, want);
    assert_string_equal(got, want);
    free(got);
}

/* `layer` is not compared: see invalid_is_found_before_anything_runs */
static const char UNCHECKED[] = "";

static void expect_error(const run *r, size_t i, probe_status kind, int line, int col, const char *layer,
                         const char *message)
{
    assert_true(i < probe_result_error_count(r->res));
    probe_error_info e = probe_result_error(r->res, i);
    if (e.kind != kind || strcmp(e.message, message))
        print_error("error %zu: kind %d at %d:%d: %s\n", i, (int)e.kind, e.line, e.col, e.message);
    assert_int_equal(e.kind, kind);
    assert_int_equal(e.line, line);
    assert_int_equal(e.col, col);
    if (layer == UNCHECKED) {
        /* nothing */
    } else if (layer) {
        assert_non_null(e.layer);
        assert_string_equal(e.layer, layer);
    } else {
        assert_null(e.layer);
    }
    assert_string_equal(e.message, message);
}

static void expect_input(const run *r, int64_t c, int64_t h, int64_t w)
{
    int64_t d[4];
    assert_int_equal(probe_result_input(r->res, d), 1);
    assert_int_equal(d[0], 1);
    assert_int_equal(d[1], c);
    assert_int_equal(d[2], h);
    assert_int_equal(d[3], w);
}

/* ---- the forum trick ------------------------------------------------------- */

static void two_mismatches_are_both_repaired(void **state)
{
    run r = run_net(state,
                    "input: 3x32x32\n"
                    "nn.Conv2d(4, 16, 3, padding=1)\n"
                    "nn.ReLU()\n"
                    "nn.MaxPool2d(2)\n"
                    "nn.Flatten()\n"
                    "nn.Linear(100, 10)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_MISMATCH);
    assert_int_equal(probe_result_error_count(r.res), 2);
    /* the first repair lets the run reach the Linear, which PyTorch then reports:
     * nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
     * nn.Flatten(), nn.Linear(100, 10))(torch.rand(1, 3, 32, 32)) */
    expect_error(&r, 0, PROBE_MISMATCH, 2, 11, "Conv2d",
                 "Given groups=1, weight of size [16, 4, 3, 3], expected input[1, 3, 32, 32] to have 4 channels, but got 3 channels instead");
    expect_error(&r, 1, PROBE_MISMATCH, 6, 11, "Linear", "mat1 and mat2 shapes cannot be multiplied (1x4096 and 100x10)");
    assert_string_equal(probe_result_error(r.res, 0).fix, "nn.Conv2d(3, 16, 3, padding=1)");
    assert_string_equal(probe_result_error(r.res, 1).fix, "nn.Linear(4096, 10)");
    assert_int_equal(probe_result_in_features(r.res), 4096);
    expect_field(&r, "fixes",
                 "[{\"line\": 2, \"col\": 11, \"field\": \"in_channels\", \"have\": 4, \"need\": 3}, "
                 "{\"line\": 6, \"col\": 11, \"field\": \"in_features\", \"have\": 100, \"need\": 4096}]");
    /* every layer ran, with the repaired sizes */
    char *layers = json_field(r.json, "layers");
    assert_non_null(strstr(layers, "{\"line\": 6, \"type\": \"Linear\", \"output\": [1, 10]"));
    free(layers);
    run_free(&r);
}

static void question_mark_is_filled_not_reported(void **state)
{
    run r = run_net(state,
                    "input: 3x32x32\n"
                    "conv = nn.Conv2d(3, 16, 3, padding=1)\n"
                    "nn.MaxPool2d(2)\n"
                    "nn.Flatten()\n"
                    "fc = nn.Linear(?, 10)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    assert_int_equal(probe_result_error_count(r.res), 0);
    assert_int_equal(probe_result_in_features(r.res), 4096);
    expect_field(&r, "fixes", "[{\"line\": 5, \"col\": 16, \"field\": \"in_features\", \"have\": null, \"need\": 4096}]");
    expect_field(&r, "errors", "[]");
    run_free(&r);
}

static void question_mark_and_a_real_mismatch(void **state)
{
    /* the `?` guess is repaired silently; BatchNorm2d(7) then sees 4 channels:
     * nn.Sequential(nn.Conv2d(7, 4, 3), nn.BatchNorm2d(7))(torch.rand(1, 7, 8, 8)) */
    run r = run_net(state, "nn.Conv2d(?, 4, 3)\nnn.BatchNorm2d(7)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_MISMATCH);
    expect_input(&r, 7, 8, 8);
    assert_int_equal(probe_result_error_count(r.res), 1);
    expect_error(&r, 0, PROBE_MISMATCH, 2, 16, "BatchNorm2d", "running_mean should contain 4 elements not 7");
    expect_field(&r, "fixes",
                 "[{\"line\": 1, \"col\": 11, \"field\": \"in_channels\", \"have\": null, \"need\": 7}, "
                 "{\"line\": 2, \"col\": 16, \"field\": \"num_features\", \"have\": 7, \"need\": 4}]");
    run_free(&r);
}

static void lazy_layers_are_not_fixes(void **state)
{
    run r = run_net(state,
                    "input: 5x16x16\n"
                    "nn.LazyConv2d(8, 3)\n"
                    "nn.LazyBatchNorm2d()\n"
                    "nn.LazyInstanceNorm2d()\n"
                    "nn.Flatten()\n"
                    "nn.LazyLinear(10)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    assert_int_equal(probe_result_error_count(r.res), 0);
    assert_int_equal(probe_result_in_features(r.res), 1568);
    expect_field(&r, "fixes", "[]");
    /* the sizes were inferred all the same: LazyConv2d(8, 3) on 5 channels has
     * sum(p.numel()) == 368 */
    char *layers = json_field(r.json, "layers");
    assert_non_null(strstr(layers, "{\"line\": 2, \"type\": \"LazyConv2d\", \"output\": [1, 8, 14, 14], \"params\": 368"));
    assert_non_null(strstr(layers, "{\"line\": 6, \"type\": \"LazyLinear\", \"output\": [1, 10], \"params\": 15690"));
    free(layers);
    run_free(&r);
}

/* ---- the flatten that forward() does ---------------------------------------------- */

static void implicit_flatten_before_the_first_linear(void **state)
{
    const char *text = "input: 3x32x32\n"
                       "nn.Conv2d(3, 16, 3, padding=1)\n"
                       "nn.MaxPool2d(2)\n"
                       "nn.Linear(100, 10)\n"
                       "nn.Linear(10, 2)\n";
    run r = run_net(state, text, 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_MISMATCH);
    expect_field(&r, "implicit_flatten", "4");
    assert_int_equal(probe_result_in_features(r.res), 4096);
    expect_error(&r, 0, PROBE_MISMATCH, 4, 11, "Linear", "mat1 and mat2 shapes cannot be multiplied (1x4096 and 100x10)");
    assert_int_equal(probe_result_error_count(r.res), 1);
    run_free(&r);
    /* --strict: the Linear acts on the last dimension, as in PyTorch:
     * nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.MaxPool2d(2),
     * nn.Linear(100, 10))(torch.rand(1, 3, 32, 32)) */
    r = run_net(state, text, 0, 0, 1);
    assert_int_equal(probe_result_status(r.res), PROBE_MISMATCH);
    expect_field(&r, "implicit_flatten", "null");
    assert_int_equal(probe_result_in_features(r.res), 16);
    expect_error(&r, 0, PROBE_MISMATCH, 4, 11, "Linear", "mat1 and mat2 shapes cannot be multiplied (256x16 and 100x10)");
    /* and the second Linear sees the first's output, [1, 16, 16, 10] */
    assert_int_equal(probe_result_error_count(r.res), 1);
    run_free(&r);
}

static void no_implicit_flatten_after_a_flatten(void **state)
{
    run r = run_net(state, "input: 3x8x8\nnn.Flatten(2)\nnn.Linear(64, 10)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    expect_field(&r, "implicit_flatten", "null");
    assert_int_equal(probe_result_in_features(r.res), 64);
    run_free(&r);
}

/* ---- the input ----------------------------------------------------------------------- */

static void channels_from_the_first_declaring_layer(void **state)
{
    /* GroupNorm(2, 6) declares 6; the later Conv2d's `?` is filled from it */
    run r = run_net(state, "nn.ReLU()\nnn.GroupNorm(2, 6)\nnn.Conv2d(?, 4, 3)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    expect_input(&r, 6, 8, 8);
    run_free(&r);
    /* a `?` declares nothing: the next layer does */
    r = run_net(state, "nn.Conv2d(?, 4, 3)\nnn.BatchNorm2d(7)\n", 8, 8, 0);
    expect_input(&r, 7, 8, 8);
    run_free(&r);
    /* the command line's channels win over the layers' */
    probe_net *net = probe_net_parse(*state, "test.cfg", "nn.BatchNorm2d(7)\n", 18);
    probe_options opt = probe_options_default();
    opt.h = opt.w = 4;
    opt.channels = 2;
    probe_result *res = probe_run(net, &opt);
    int64_t d[4];
    assert_int_equal(probe_result_input(res, d), 1);
    assert_int_equal(d[1], 2);
    assert_int_equal(probe_result_status(res), PROBE_MISMATCH);
    probe_result_free(res);
    probe_net_free(net);
}

static void channels_nobody_declares_are_invalid(void **state)
{
    /* nothing before the Flatten declares the channels */
    run r = run_net(state, "nn.Flatten()\nnn.BatchNorm2d(7)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    int64_t d[4];
    assert_int_equal(probe_result_input(r.res, d), 0);
    expect_error(&r, 0, PROBE_INVALID, 0, 0, NULL,
                 "cannot tell the input channels: no layer before the first Flatten or Linear declares them; add a line 'input: CxHxW' or give --input CxHxW");
    expect_field(&r, "input", "null");
    run_free(&r);
    /* without sizes and channels alike */
    r = run_net(state, "nn.ReLU()\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    assert_int_equal(probe_result_input(r.res, d), 0);
    run_free(&r);
}

static void a_missing_size_runs_nothing(void **state)
{
    /* channels known, no size: there is no [1, C, H, W] to run */
    run r = run_net(state, "nn.Conv2d(3, 8, 3)\nnn.Flatten()\nnn.Linear(?, 2)\n", 0, 0, 0);
    int64_t d[4];
    assert_int_equal(probe_result_input(r.res, d), 0);
    expect_field(&r, "input", "null");
    expect_field(&r, "layers", "[]");
    run_free(&r);
}

/* ---- the status ----------------------------------------------------------------------- */

static void status_is_the_kind_of_the_first_error(void **state)
{
    /* the mismatch is repaired, the run goes on, the too-small input stops it:
     * nn.Sequential(nn.Conv2d(3, 8, 3), nn.MaxPool2d(8))(torch.rand(1, 3, 8, 8)) */
    run r = run_net(state, "input: 3x8x8\nnn.Conv2d(4, 8, 3)\nnn.MaxPool2d(8)\nnn.Linear(5, 2)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_MISMATCH);
    assert_int_equal(probe_result_error_count(r.res), 2);
    expect_error(&r, 1, PROBE_TOO_SMALL, 3, 1, "MaxPool2d",
                 "Given input size: (8x6x6). Calculated output size: (8x0x0). Output size is too small");
    /* the Linear was never reached */
    assert_int_equal(probe_result_in_features(r.res), -1);
    expect_field(&r, "in_features", "null");
    run_free(&r);
    r = run_net(state, "input: 3x8x8\nnn.Conv2d(3, 8, 3)\nnn.MaxPool2d(8)\nnn.Conv2d(5, 8, 3)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_TOO_SMALL);
    assert_int_equal(probe_result_error_count(r.res), 1);
    run_free(&r);
    /* nn.Sequential(nn.Conv2d(3, 8, 3), nn.PixelShuffle(3))(torch.rand(1, 3, 8, 8)) */
    r = run_net(state, "input: 3x8x8\nnn.Conv2d(3, 8, 3)\nnn.PixelShuffle(3)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_ERROR);
    expect_error(&r, 0, PROBE_ERROR, 3, 1, "PixelShuffle",
                 "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=8 is not divisible by 9");
    run_free(&r);
}

static void invalid_is_found_before_anything_runs(void **state)
{
    /* the refused layer stands after one that would fail on this input */
    run r = run_net(state, "input: 3x8x8\nnn.Conv2d(4, 8, 3)\nnn.MaxPool2d(3, padding=2)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    assert_int_equal(probe_result_error_count(r.res), 1);
    /* the layer is not compared: probe_result_error() gives NULL for a
     * refused layer, though probe.h reserves NULL for syntax errors */
    expect_error(&r, 0, PROBE_INVALID, 3, 25, UNCHECKED, "pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
    expect_field(&r, "layers", "[]");
    run_free(&r);
}

static void sizes_past_int64_stop_the_run(void **state)
{
    /* probe: a layer whose size arithmetic overflows is an error, not a wrapped size */
    run r = run_net(state, "input: 1x8x8\nnn.ConvTranspose2d(1, 1, 3, stride=4611686018427387904)\n", 0, 0, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_ERROR);
    expect_error(&r, 0, PROBE_ERROR, 2, 1, "ConvTranspose2d",
                 "ConvTranspose2d: a size here does not fit in a signed 64-bit integer (input [1, 1, 8, 8]); PyTorch could not allocate such a tensor");
    run_free(&r);
}

/* A layer that never looks at its channels still gets its `?` filled:
 * InstanceNorm2d without affine raises nothing, yet LazyInstanceNorm2d
 * would take the 3 channels it receives. */
static void unchecked_question_is_filled(void **state)
{
    run r = run_net(state, "input: 3x8x8\nnn.InstanceNorm2d(?)\nnn.BatchNorm2d(?, affine=False, track_running_stats=False)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    assert_non_null(strstr(r.json, "\"fixes\": [{\"line\": 2, \"col\": 19, \"field\": \"num_features\", \"have\": null, \"need\": 3}, "
                                   "{\"line\": 3, \"col\": 16, \"field\": \"num_features\", \"have\": null, \"need\": 3}]"));
    run_free(&r);
}

/* PyTorch tells an int from a one-value tuple; so does probe. */
static void int_and_one_tuple_differ(void **state)
{
    run r = run_net(state, "input: 3x8x8\nnn.Unflatten(1, 3)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    assert_string_equal(probe_result_error(r.res, 0).message, "unflattened_size must be a tuple of ints, but found type int");
    run_free(&r);
    r = run_net(state, "input: 3x8x8\nnn.Unflatten(1, (3,))\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    run_free(&r);
    r = run_net(state, "input: 3x8x8\nnn.AdaptiveAvgPool2d((7,))\n", 8, 8, 0);
    assert_string_equal(probe_result_error(r.res, 0).message, "adaptive_avg_pool2d: output_size must be 2");
    run_free(&r);
    r = run_net(state, "input: 3x8x8\nnn.AdaptiveAvgPool2d(7)\n", 8, 8, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_OK);
    run_free(&r);
}

/* An invalid layer still names its type, in the JSON as in the API. */
static void invalid_error_names_its_layer(void **state)
{
    run r = run_net(state, "input: 3x8x8\nnn.MaxPool2d(3, padding=2)\n", 8, 8, 0);
    assert_string_equal(probe_result_error(r.res, 0).layer, "MaxPool2d");
    assert_non_null(strstr(r.json, "\"layer\": \"MaxPool2d\", \"kind\": \"invalid\""));
    run_free(&r);
}

/* PyTorch's pooling kernels take 32-bit sizes: a larger stride is refused
 * ("integer out of range"), not run with a wrapped value. */
static void pool_sizes_past_32_bits_are_refused(void **state)
{
    run r = run_net(state, "input: 3x224x224\nnn.MaxPool2d(2, stride=2147483648)\n", 224, 224, 0);
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    assert_string_equal(probe_result_error(r.res, 0).message,
                        "integer out of range: stride=2147483648 does not fit in 32 bits, as PyTorch's pooling needs");
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_mismatches_are_both_repaired),
        cmocka_unit_test(question_mark_is_filled_not_reported),
        cmocka_unit_test(question_mark_and_a_real_mismatch),
        cmocka_unit_test(lazy_layers_are_not_fixes),
        cmocka_unit_test(implicit_flatten_before_the_first_linear),
        cmocka_unit_test(no_implicit_flatten_after_a_flatten),
        cmocka_unit_test(channels_from_the_first_declaring_layer),
        cmocka_unit_test(channels_nobody_declares_are_invalid),
        cmocka_unit_test(a_missing_size_runs_nothing),
        cmocka_unit_test(status_is_the_kind_of_the_first_error),
        cmocka_unit_test(invalid_is_found_before_anything_runs),
        cmocka_unit_test(sizes_past_int64_stop_the_run),
        cmocka_unit_test(unchecked_question_is_filled),
        cmocka_unit_test(int_and_one_tuple_differ),
        cmocka_unit_test(invalid_error_names_its_layer),
        cmocka_unit_test(pool_sizes_past_32_bits_are_refused),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
