/* test_flow.c - the data flow a model file's run records beside its
 * trace (run/result.h, FLOW_*): which node made each row's input, and the
 * joins (`+`, torch.cat) with their inputs; a net.cfg records none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "run/result.h"

static probe_result *run_text(void **state, probe_net **net, const char *name, const char *text, int64_t hw)
{
    *net = probe_net_parse(*state, name, text, strlen(text));
    assert_non_null(*net);
    probe_options opt = probe_options_default();
    opt.h = opt.w = hw;
    probe_result *res = probe_run(*net, &opt);
    assert_non_null(res);
    return res;
}

static const char shortcut_and_cat[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.a = nn.Conv2d(3, 8, 3, padding=1)\n"
    "        self.b = nn.Conv2d(8, 8, 3, padding=1)\n"
    "        self.c = nn.Conv2d(8, 4, 1)\n"
    "        self.fc = nn.Linear(12 * 4 * 4, 10)\n"
    "    def forward(self, x):\n"
    "        y = self.a(x)\n"
    "        z = self.b(y)\n"
    "        s = F.relu(y + z)\n"
    "        t = self.c(s)\n"
    "        u = torch.cat([s, t], dim=1)\n"
    "        u = u.view(u.size(0), -1)\n"
    "        return self.fc(u)\n";

static void expect_join(const probe_result *res, size_t j, const char *kind, uint32_t after, uint32_t in0, uint32_t in1)
{
    const flow_join *jn = &VEC_AT(res->joins, flow_join, j);
    assert_string_equal(jn->kind, kind);
    assert_int_equal(jn->after, after);
    assert_int_equal(jn->n, 2);
    assert_int_equal(VEC_AT(res->join_ins, uint32_t, jn->first), in0);
    assert_int_equal(VEC_AT(res->join_ins, uint32_t, jn->first + 1), in1);
}

/* y + z joins rows 0 and 1; the relu reads the join; torch.cat joins the
 * relu and the 1x1 conv; the view passes the cat on to the Linear. */
static void a_shortcut_and_a_cat(void **state)
{
    probe_net *net;
    probe_result *res = run_text(state, &net, "m.py", shortcut_and_cat, 4);
    assert_int_equal(probe_result_status(res), PROBE_OK);
    assert_int_equal(res->rows.len, 5);
    const uint32_t want[5] = { FLOW_INPUT, FLOW_ROW(0), FLOW_JOIN(0), FLOW_ROW(2), FLOW_JOIN(1) };
    for (size_t i = 0; i < 5; i++) assert_int_equal(exec_row_from(res, i), want[i]);
    assert_int_equal(res->joins.len, 2);
    expect_join(res, 0, "add", 2, FLOW_ROW(0), FLOW_ROW(1));
    expect_join(res, 1, "cat", 4, FLOW_ROW(2), FLOW_ROW(3));
    const probe_tensor *cat = &VEC_AT(res->shapes, probe_tensor, VEC_AT(res->joins, flow_join, 1).out);
    assert_int_equal(cat->dim[1], 12);
    probe_result_free(res);
    probe_net_free(net);
}

/* A tensor made in forward() (torch.zeros) has no producer: adding it
 * passes the other's on, and makes no join. An in-place += joins. */
static void made_tensors_and_in_place_adds(void **state)
{
    const char *text =
        "import torch\n"
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = nn.Conv2d(3, 8, 1)\n"
        "        self.b = nn.Conv2d(8, 8, 1)\n"
        "    def forward(self, x):\n"
        "        y = self.a(x) + torch.zeros(1, 8, 4, 4)\n"
        "        z = self.b(y)\n"
        "        z += y\n"
        "        return self.b(z)\n";
    probe_net *net;
    probe_result *res = run_text(state, &net, "m.py", text, 4);
    assert_int_equal(probe_result_status(res), PROBE_OK);
    assert_int_equal(res->rows.len, 3);
    assert_int_equal(exec_row_from(res, 1), FLOW_ROW(0));
    assert_int_equal(res->joins.len, 1);
    expect_join(res, 0, "add", 2, FLOW_ROW(1), FLOW_ROW(0));
    assert_int_equal(exec_row_from(res, 2), FLOW_JOIN(0));
    probe_result_free(res);
    probe_net_free(net);
}

/* A net.cfg is a chain: no sites, no joins, each row from the one before;
 * the implicit flatten's Linear reads the flatten. */
static void a_net_cfg_is_a_chain(void **state)
{
    probe_net *net;
    probe_result *res = run_text(state, &net, "n.cfg", "input: 3x8x8\nnn.Conv2d(3, 4, 3)\nnn.Linear(144, 2)\n", 0);
    assert_int_equal(probe_result_status(res), PROBE_OK);
    assert_int_equal(res->rows.len, 3);
    assert_int_equal(res->sites.len, 0);
    assert_int_equal(res->joins.len, 0);
    assert_int_equal(exec_row_from(res, 0), FLOW_INPUT);
    assert_int_equal(exec_row_from(res, 2), FLOW_ROW(1));
    probe_result_free(res);
    probe_net_free(net);
}

/* The call an error stops records where its input came from: the
 * picture draws the error there. */
static void the_failed_call_records_its_input(void **state)
{
    const char *text =
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = nn.Conv2d(3, 4, 3)\n"
        "        self.b = nn.Conv2d(4, 4, 1)\n"
        "        self.p = nn.MaxPool2d(8)\n"
        "    def forward(self, x):\n"
        "        y = self.a(x)\n"
        "        self.b(y)\n"
        "        return self.p(y)\n";
    probe_net *net;
    probe_result *res = run_text(state, &net, "m.py", text, 6);
    assert_int_equal(probe_result_status(res), PROBE_TOO_SMALL);
    assert_int_equal(res->rows.len, 2);
    assert_int_equal(res->fail_from, FLOW_ROW(0));
    probe_result_free(res);
    probe_net_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shortcut_and_a_cat),
        cmocka_unit_test(made_tensors_and_in_place_adds),
        cmocka_unit_test(a_net_cfg_is_a_chain),
        cmocka_unit_test(the_failed_call_records_its_input),
    };
    return cmocka_run_group_tests_name("flow", tests, setup_registry, free_registry);
}
