/* test_model.c - the module tree a net.cfg builds (model/net.h) and the
 * trace a run leaves (run/result.h): containers' children in source order,
 * the implicit flatten as a node of the tree, one trace row per call with
 * its input and output, parameters counted on a module's first call, and
 * run_call() as the one way into a shape function. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "run/result.h"

static probe_net *parse(void **state, const char *text)
{
    probe_net *net = probe_net_parse(*state, "model.cfg", text, strlen(text));
    assert_non_null(net);
    assert_false(net->invalid);
    return net;
}

static const char NESTED[] =
    "Net(\n"
    "  (features): Sequential(\n"
    "    (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n"
    "    (1): ReLU()\n"
    "  )\n"
    "  (pool): AdaptiveAvgPool2d(output_size=(2, 2))\n"
    "  (classifier): Sequential(\n"
    "    (0): Linear(in_features=32, out_features=10, bias=True)\n"
    "  )\n"
    ")\n";

/* Net( is the top container; its children are features, pool, classifier
 * in that order, and the implicit flatten stands before the Linear in
 * classifier's run of children. */
static void containers_hold_their_children_in_order(void **state)
{
    probe_net *net = parse(state, NESTED);
    assert_int_equal(net->root.nkids, 1);
    const container *top = net_container(net, net->kids[net->root.first_kid]);
    assert_non_null(top);
    assert_string_equal(top->name, "Net");
    assert_int_equal(top->forward, FORWARD_CHAIN);
    assert_int_equal(top->nkids, 3);
    const container *features = net_container(net, net->kids[top->first_kid]);
    assert_non_null(features);
    assert_int_equal(features->nkids, 2);
    assert_string_equal(net_layer(net, net->kids[features->first_kid])->op->name, "Conv2d");
    assert_string_equal(net_layer(net, net->kids[features->first_kid + 1])->op->name, "ReLU");
    const layer *pool = net_layer(net, net->kids[top->first_kid + 1]);
    assert_non_null(pool);
    assert_string_equal(pool->op->name, "AdaptiveAvgPool2d");
    const container *classifier = net_container(net, net->kids[top->first_kid + 2]);
    assert_non_null(classifier);
    assert_int_equal(classifier->nkids, 2);
    mod_ref flat = net->kids[classifier->first_kid];
    assert_true(flat & MOD_IMPLICIT);
    assert_true(net->has_implicit);
    assert_true(net_layer(net, flat)->op->flags & OPF_FLATTEN);
    assert_string_equal(net_layer(net, net->kids[classifier->first_kid + 1])->op->name, "Linear");
    /* what the file wrote is still three layers: the node is not one of them */
    assert_int_equal(probe_net_layer_count(net), 4);
    probe_net_free(net);
}

static void no_implicit_flatten_after_a_flatten(void **state)
{
    probe_net *net = parse(state, "input: 1x8x8\nnn.Flatten()\nnn.Linear(64, 2)\nnn.Linear(2, 2)\n");
    assert_false(net->has_implicit);
    assert_int_equal(net->root.nkids, 3);
    for (uint32_t k = 0; k < net->root.nkids; k++) assert_true(net->kids[net->root.first_kid + k] & MOD_LAYER);
    probe_net_free(net);
}

/* One row per call: the implicit flatten is a row (not shown), each row
 * knows its input, and the Linear's input is the flatten's output. */
static void the_trace_has_a_row_per_call(void **state)
{
    probe_net *net = parse(state, NESTED);
    probe_options opt = probe_options_default();
    opt.h = opt.w = 8;
    probe_result *res = probe_run(net, &opt);
    assert_non_null(res);
    assert_int_equal(probe_result_status(res), PROBE_OK);
    assert_int_equal(res->rows.len, 5);
    assert_int_equal(res->implicit_row, 3);
    assert_false(exec_row_shown(res, 3));
    assert_true(exec_row_shown(res, 4));
    const probe_tensor *in = exec_row_in(res, 3), *out = exec_row_out(res, 3);
    assert_int_equal(in->ndim, 4);
    assert_int_equal(in->dim[1], 8);
    assert_int_equal(out->ndim, 2);
    assert_int_equal(out->dim[1], 32);
    assert_memory_equal(exec_row_in(res, 4), out, sizeof *out);
    assert_int_equal(exec_row(res, 0)->params, 3 * 8 * 9 + 8);
    assert_int_equal(exec_row(res, 4)->params, 32 * 10 + 10);
    assert_true(trace_reached(res, exec_row_layer(res, 4)));
    probe_result_free(res);
    /* --strict: no flatten runs, and the Linear meets [1, 8, 2, 2] */
    opt.strict = 1;
    res = probe_run(net, &opt);
    assert_non_null(res);
    assert_int_equal(res->implicit_row, -1);
    assert_int_equal(probe_result_status(res), PROBE_MISMATCH);
    probe_result_free(res);
    probe_net_free(net);
}

/* A module called twice is two rows and one module: its parameters count
 * on its first call, as forward() reusing self.pool or self.fc would. */
static void a_module_called_twice_counts_its_parameters_once(void **state)
{
    probe_net *net = parse(state, "input: 4x8x8\nnn.Conv2d(4, 4, 3, padding=1)\n");
    probe_options opt = probe_options_default();
    opt.h = opt.w = 8;
    probe_result res;
    exec_init(&res, net, &opt);
    probe_tensor x = { 4, { 1, 4, 8, 8 } };
    mod_ref conv = net->kids[net->root.first_kid];
    assert_true(run_call(&res, conv, &x));
    assert_true(run_call(&res, conv, &x));
    assert_int_equal(res.rows.len, 2);
    assert_int_equal(exec_row(&res, 0)->params, 4 * 4 * 9 + 4);
    assert_int_equal(exec_row(&res, 1)->params, 0);
    assert_int_equal(exec_row(&res, 0)->node, exec_row(&res, 1)->node);
    exec_release(&res);
    probe_net_free(net);
}

/* run_call on a layer whose declared size is wrong: repaired, recorded
 * as a fix and an error, and the call passes with the size it needs. */
static void run_call_repairs_and_records(void **state)
{
    probe_net *net = parse(state, "input: 3x8x8\nnn.Conv2d(5, 4, 3)\n");
    probe_result res;
    exec_init(&res, net, NULL);
    probe_tensor x = { 4, { 1, 3, 8, 8 } };
    assert_true(run_call(&res, net->kids[net->root.first_kid], &x));
    assert_int_equal(res.status, PROBE_MISMATCH);
    assert_int_equal(res.fixes.len, 1);
    assert_int_equal(VEC_AT(res.fixes, run_fix, 0).need, 3);
    assert_int_equal(x.dim[1], 4);
    assert_int_equal(x.dim[2], 6);
    exec_release(&res);
    probe_net_free(net);
}

/* A message longer than any fixed buffer reaches the report whole. */
static int longwinded(probe_ctx *cx, probe_tensor *x)
{
    if (!x) return 0;
    char word[2001];
    memset(word, 'x', 2000);
    word[2000] = '\0';
    return probe_raise(cx, PROBE_ERROR, NULL, "too long: %s!", word);
}

static void long_messages_are_not_cut(void **state)
{
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    assert_int_equal(probe_register(reg, "Longwinded()", (probe_shape_fn)longwinded), 0);
    const char *text = "input: 1x4x4\nLongwinded()\n";
    probe_net *net = probe_net_parse(reg, "long.cfg", text, strlen(text));
    probe_result *res = probe_run(net, NULL);
    assert_non_null(res);
    assert_int_equal(probe_result_error_count(res), 1);
    probe_error_info e = probe_result_error(res, 0);
    assert_int_equal(strlen(e.message), strlen("too long: ") + 2000 + 1);
    assert_int_equal(e.message[strlen(e.message) - 1], '!');
    probe_result_free(res);
    probe_net_free(net);
    probe_registry_free(reg);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(containers_hold_their_children_in_order),
        cmocka_unit_test(no_implicit_flatten_after_a_flatten),
        cmocka_unit_test(the_trace_has_a_row_per_call),
        cmocka_unit_test(a_module_called_twice_counts_its_parameters_once),
        cmocka_unit_test(run_call_repairs_and_records),
        cmocka_unit_test(long_messages_are_not_cut),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
