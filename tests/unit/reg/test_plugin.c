/* test_plugin.c - layers from a shared library take the same path as the
 * built-in ones: bound to their schema, called through libffi, their
 * errors in the result; malformed plugins are refused with a reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "probe.h"

#ifndef PLUGIN_DIR
#define PLUGIN_DIR "build/plugins"
#endif

static probe_registry *with_example(void)
{
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    assert_int_equal(probe_registry_load_plugin(reg, PLUGIN_DIR "/libmylayers.so"), 0);
    return reg;
}

static probe_result *run(probe_registry *reg, probe_net **net, const char *text, int64_t h, int64_t w)
{
    *net = probe_net_parse(reg, "plugin.cfg", text, strlen(text));
    assert_non_null(*net);
    probe_options opt = probe_options_default();
    opt.h = h;
    opt.w = w;
    probe_result *res = probe_run(*net, &opt);
    assert_non_null(res);
    return res;
}

static void plugin_layers_run_like_built_ins(void **state)
{
    (void)state;
    probe_registry *reg = with_example();
    probe_net *net;
    probe_result *res = run(reg, &net,
                            "input: 3x64x64\n"
                            "Focus(3, 32, k=3)\n"
                            "ConvBNAct(32, 64, kernel_size=3, stride=2)\n"
                            "SpaceToDepth(2)\n"
                            "nn.AdaptiveAvgPool2d(1)\n"
                            "nn.Linear(256, 10)\n", 64, 64);
    assert_int_equal(probe_result_status(res), PROBE_OK);
    assert_int_equal(probe_result_in_features(res), 256);
    char *json = probe_result_json(res);
    /* Focus: 3*4 channels at 32x32, conv 3x3 'same' -> [1, 32, 32, 32];
     * ConvBNAct stride 2 -> 16x16; SpaceToDepth(2) -> [1, 256, 8, 8] */
    assert_non_null(strstr(json, "{\"line\": 2, \"type\": \"Focus\", \"output\": [1, 32, 32, 32], \"params\": 3520"));
    assert_non_null(strstr(json, "{\"line\": 3, \"type\": \"ConvBNAct\", \"output\": [1, 64, 16, 16]"));
    assert_non_null(strstr(json, "{\"line\": 4, \"type\": \"SpaceToDepth\", \"output\": [1, 256, 8, 8]"));
    free(json);
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
}

static void plugin_mismatch_is_repaired_and_reported(void **state)
{
    (void)state;
    probe_registry *reg = with_example();
    probe_net *net;
    probe_result *res = run(reg, &net, "input: 3x32x32\nSpaceToDepth(2)\nConvBNAct(3, 8)\nConvBNAct(8, 8)\n", 32, 32);
    assert_int_equal(probe_result_status(res), PROBE_MISMATCH);
    assert_int_equal(probe_result_error_count(res), 1);
    probe_error_info e = probe_result_error(res, 0);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.col, 11);
    assert_string_equal(e.layer, "ConvBNAct");
    assert_string_equal(e.message,
                        "Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 12, 16, 16] to have 3 channels, but got 12 channels instead");
    assert_string_equal(e.fix, "ConvBNAct(12, 8)");
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
}

static void plugin_errors_and_constructor_checks(void **state)
{
    (void)state;
    probe_registry *reg = with_example();
    probe_net *net;
    probe_result *res = run(reg, &net, "input: 3x31x32\nFocus(3, 8)\n", 31, 32);
    assert_int_equal(probe_result_status(res), PROBE_ERROR);
    assert_string_equal(probe_result_error(res, 0).message,
                        "Sizes of tensors must match except in dimension 1. Expected size 16 but got size 15 for tensor number 1 in the list.");
    probe_result_free(res);
    probe_net_free(net);
    res = run(reg, &net, "input: 3x32x32\nSpaceToDepth(0)\n", 32, 32);
    assert_int_equal(probe_result_status(res), PROBE_INVALID);
    probe_error_info e = probe_result_error(res, 0);
    assert_string_equal(e.message, "block_size must be positive, got 0");
    assert_int_equal(e.col, 14);
    probe_result_free(res);
    probe_net_free(net);
    /* the schema binds plugin layers too */
    res = run(reg, &net, "input: 3x32x32\nSpaceToDepth(2, blok=3)\n", 32, 32);
    assert_string_equal(probe_result_error(res, 0).message, "SpaceToDepth() got an unexpected keyword argument 'blok'");
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
}

static void malformed_plugins_are_refused(void **state)
{
    (void)state;
    static const struct { const char *file, *reason; } cases[] = {
        { PLUGIN_DIR "/test_bad_schema.so", "refused to load: bad schema: parameter 'n' has an unknown type 'integer'" },
        { PLUGIN_DIR "/test_duplicate.so", "refused to load: layer 'ReLU' is already registered" },
        { PLUGIN_DIR "/test_wrong_abi.so", "was built for plugin ABI 42, but this probe speaks ABI 1: rebuild it against this probe_plugin.h" },
        { PLUGIN_DIR "/test_no_init.so", "is not a probe plugin: it must export probe_plugin_abi and probe_plugin_init (see probe_plugin.h)" },
        { PLUGIN_DIR "/no_such_plugin.so", "cannot load plugin: " PLUGIN_DIR "/no_such_plugin.so: cannot open shared object file" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        probe_registry *reg = probe_registry_new();
        assert_int_not_equal(probe_registry_load_plugin(reg, cases[i].file), 0);
        const char *why = probe_registry_error(reg);
        if (!strstr(why, cases[i].reason)) fail_msg("%s: got '%s'", cases[i].file, why);
        /* a refused plugin leaves the built-in layers as they were */
        probe_net *net = probe_net_parse(reg, "n.cfg", "input: 1x4x4\nReLU()\n", 20);
        probe_result *res = probe_run(net, NULL);
        assert_int_equal(probe_result_status(res), PROBE_OK);
        probe_result_free(res);
        probe_net_free(net);
        probe_registry_free(reg);
    }
}

/* A bare file name is a file in the current directory, as with any other
 * path: dlopen() alone would search the library path and not find it. */
static void a_bare_name_is_a_file_in_the_current_directory(void **state)
{
    (void)state;
    char home[4096];
    assert_non_null(getcwd(home, sizeof home));
    assert_int_equal(chdir(PLUGIN_DIR), 0);
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    int rc = probe_registry_load_plugin(reg, "libmylayers.so");
    const char *why = probe_registry_error(reg);
    assert_int_equal(chdir(home), 0);
    if (rc) fail_msg("%s", why);
    probe_registry_free(reg);
}

static void a_net_never_loads_code(void **state)
{
    (void)state;
    /* without --plugin the plugin's layers are simply unknown */
    probe_registry *reg = probe_registry_new();
    probe_net *net = probe_net_parse(reg, "n.cfg", "Focus(3, 8)\n", 12);
    probe_result *res = probe_run(net, NULL);
    assert_int_equal(probe_result_status(res), PROBE_INVALID);
    assert_string_equal(probe_result_error(res, 0).message,
                        "unknown layer 'Focus': probe knows the torch.nn layers of NETCFG.md; a custom layer needs --plugin");
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plugin_layers_run_like_built_ins),
        cmocka_unit_test(plugin_mismatch_is_repaired_and_reported),
        cmocka_unit_test(plugin_errors_and_constructor_checks),
        cmocka_unit_test(malformed_plugins_are_refused),
        cmocka_unit_test(a_bare_name_is_a_file_in_the_current_directory),
        cmocka_unit_test(a_net_never_loads_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
