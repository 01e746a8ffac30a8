/* test_py_torch.c - what a model file's torch code does under the
 * evaluator: nn containers and modules registered by name, tensor
 * operations in forward() with PyTorch's messages, the view that changes
 * the batch, which model is chosen, and the repair of a wrong size at its
 * constructor. Models are C strings run through the public API; every
 * shape and message was checked against torch 1.13. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "py/py_run.h"

/* ---- nn containers ---------------------------------------------------------- */

/* nn.Sequential(*layers), an nn.ModuleList looped over, an nn.ModuleDict
 * indexed, an OrderedDict in a Sequential, setattr/getattr with
 * 'conv' + str(i), add_module, and fc.in_features + fc.out_features read
 * in __init__ (13: fc2 takes cat([fc(x), x])). */
static const char NN[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "from collections import OrderedDict\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        layers = []\n"
    "        for i in range(2):\n"
    "            layers += [nn.Conv2d(3 if i == 0 else 8, 8, 3), nn.ReLU()]\n"
    "        self.features = nn.Sequential(*layers)\n"
    "        self.blocks = nn.ModuleList([nn.Conv2d(8, 8, 3, padding=1) for _ in range(3)])\n"
    "        self.heads = nn.ModuleDict({\"a\": nn.Conv2d(8, 4, 1), \"b\": nn.Conv2d(4, 2, 1)})\n"
    "        self.tail = nn.Sequential(OrderedDict([(\"pool\", nn.AdaptiveAvgPool2d(2)), (\"flat\", nn.Flatten())]))\n"
    "        for i in range(2):\n"
    "            setattr(self, \"conv\" + str(i), nn.Conv2d(2, 2, 1))\n"
    "        self.add_module(\"extra\", nn.Identity())\n"
    "        self.fc = nn.Linear(8, 5)\n"
    "        self.fc2 = nn.Linear(self.fc.in_features + self.fc.out_features, 3)\n"
    "    def forward(self, x):\n"
    "        x = self.features(x)\n"
    "        for blk in self.blocks:\n"
    "            x = blk(x)\n"
    "        x = self.heads[\"b\"](self.heads[\"a\"](x))\n"
    "        for i in range(2):\n"
    "            x = getattr(self, \"conv\" + str(i))(x)\n"
    "        x = self.extra(self.tail(x))\n"
    "        return self.fc2(torch.cat([self.fc(x), x], 1))\n";

static void nn_containers_and_named_modules(void **state)
{
    pyrun r = expect_ok(state, NN, 12, 12, 8, "[1, 3]");
    /* 2 in features, 3 in the ModuleList, 2 in the ModuleDict, conv0, conv1 */
    assert_int_equal(count_of(r.json, "\"type\": \"Conv2d\""), 9);
    assert_int_equal(count_of(r.json, "\"type\": \"Identity\""), 1);
    assert_int_equal(count_of(r.json, "\"type\": \"Flatten\", \"output\": [1, 8]"), 1);
    expect_has(r.json, "\"type\": \"Linear\", \"label\": \"fc2\", \"output\": [1, 3]");
    py_run_free(&r);
}

/* The PyTorch tutorial's CIFAR10 net: pool declared once, called twice. */
static const char TUTORIAL[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv1 = nn.Conv2d(3, 6, 5)\n"
    "        self.pool = nn.MaxPool2d(2, 2)\n"
    "        self.conv2 = nn.Conv2d(6, 16, 5)\n"
    "        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n"
    "        self.fc2 = nn.Linear(120, 10)\n"
    "    def forward(self, x):\n"
    "        x = self.pool(F.relu(self.conv1(x)))\n"
    "        x = self.pool(F.relu(self.conv2(x)))\n"
    "        x = torch.flatten(x, 1)\n"
    "        x = F.relu(self.fc1(x))\n"
    "        return self.fc2(x)\n"
    "net = Net()\n";

static void nn_a_layer_called_twice_has_two_rows(void **state)
{
    pyrun r = expect_ok(state, TUTORIAL, 32, 32, 400, "[1, 10]");
    /* each row at the line of its call in forward(), not the constructor's */
    assert_int_equal(count_of(r.json, "\"type\": \"MaxPool2d\", \"label\": \"pool\""), 2);
    assert_int_equal(count_of(r.json, "{\"line\": 8, \"type\": \"MaxPool2d\""), 0);
    expect_has(r.json, "\"label\": \"pool\", \"output\": [1, 6, 14, 14]");
    expect_has(r.json, "\"label\": \"pool\", \"output\": [1, 16, 5, 5]");
    py_run_free(&r);
}

/* ---- the repair -------------------------------------------------------------- */

/* At 64x64 fc1's 16 * 5 * 5 (400) is wrong: one error at the
 * constructor's argument, one fix, and the repaired run goes on. */
static void repair_names_the_constructor(void **state)
{
    pyrun r = py_run(state, TUTORIAL, 64, 64, NULL);
    expect_first_error(&r, PROBE_MISMATCH, 10, 30, "mat1 and mat2 shapes cannot be multiplied (1x2704 and 400x120)");
    assert_int_equal(probe_result_error_count(r.res), 1);
    assert_int_equal(probe_result_in_features(r.res), 2704);
    expect_has(r.json, "\"fixes\": [{\"line\": 10, \"col\": 30, \"field\": \"in_features\", \"have\": 400, \"need\": 2704}]");
    expect_json_output(&r, "[1, 10]");
    py_run_free(&r);
}

/* One Block class built three times with the same wrong BatchNorm2d: the
 * constructor is one place in the file, so one error and one fix. */
static const char BLOCKS[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "class Block(nn.Module):\n"
    "    def __init__(self, c):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(c, c, 3, padding=1)\n"
    "        self.bn = nn.BatchNorm2d(c + 1)\n"
    "    def forward(self, x):\n"
    "        return self.bn(self.conv(x))\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.blocks = nn.Sequential(Block(3), Block(3), Block(3))\n"
    "    def forward(self, x):\n"
    "        return self.blocks(x)\n";

static void repair_a_block_built_three_times_once(void **state)
{
    pyrun r = py_run(state, BLOCKS, 8, 8, NULL);
    expect_first_error(&r, PROBE_MISMATCH, 7, 34, "running_mean should contain 3 elements not 4");
    assert_int_equal(probe_result_error_count(r.res), 1);
    expect_has(r.json, "\"fixes\": [{\"line\": 7, \"col\": 34, \"field\": \"num_features\", \"have\": 4, \"need\": 3}]");
    assert_int_equal(count_of(r.json, "\"type\": \"BatchNorm2d\""), 3);
    expect_json_output(&r, "[1, 3, 8, 8]");
    py_run_free(&r);
}

/* ---- tensor operations in forward() --------------------------------------- */

/* At 8x12, x is [1, 5, 4, 6] and y [1, 5, 4, 6] when line 13 returns. */
static const char OPS_TEMPLATE[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(3, 5, 3, padding=1)\n"
    "    def forward(self, x):\n"
    "        x = F.max_pool2d(F.relu(self.conv(x)), 2)\n"
    "        m = x.mean(dim=(2, 3), keepdim=True)\n"
    "        y = x + m\n"
    "        y += x\n"
    "        return %s\n";

static pyrun run_op(void **state, const char *expr)
{
    char text[1024];
    snprintf(text, sizeof text, OPS_TEMPLATE, expr);
    return py_run(state, text, 8, 12, NULL);
}

static void expect_op(void **state, const char *expr, const char *want)
{
    pyrun r = run_op(state, expr);
    expect_status(&r, PROBE_OK);
    expect_json_output(&r, want);
    expect_has(r.json, "\"warnings\": []");
    py_run_free(&r);
}

static void expect_op_error(void **state, const char *expr, probe_status kind, int col, const char *msg)
{
    pyrun r = run_op(state, expr);
    expect_first_error(&r, kind, 13, col, msg);
    expect_json_output(&r, "null");
    py_run_free(&r);
}

static void ops_shapes(void **state)
{
    expect_op(state, "x.permute(0, 2, 3, 1)", "[1, 4, 6, 5]");
    expect_op(state, "x.transpose(1, 3).contiguous()", "[1, 6, 4, 5]");
    expect_op(state, "x.squeeze()", "[5, 4, 6]");
    expect_op(state, "x.unsqueeze(2).squeeze(0)", "[5, 1, 4, 6]");
    expect_op(state, "m", "[1, 5, 1, 1]");
    expect_op(state, "x.mean(1)", "[1, 4, 6]");
    expect_op(state, "x.sum(dim=[1, 3], keepdim=True)", "[1, 1, 4, 1]");
    expect_op(state, "y", "[1, 5, 4, 6]");
    expect_op(state, "x + x[:, :1]", "[1, 5, 4, 6]");
    expect_op(state, "x * m + 1", "[1, 5, 4, 6]");
    expect_op(state, "torch.zeros(x.size(0), 3)", "[1, 3]");
    expect_op(state, "torch.zeros(x.shape[2:])", "[4, 6]");
    expect_op(state, "torch.stack([x, y], dim=1)", "[1, 2, 5, 4, 6]");
    expect_op(state, "torch.cat([x, y], 1)", "[1, 10, 4, 6]");
    expect_op(state, "x.view(x.size(0), -1)", "[1, 120]");
    expect_op(state, "x.view(-1, 5 * 4 * 6)", "[1, 120]");
    expect_op(state, "x.flatten(1)", "[1, 120]");
    expect_op(state, "torch.flatten(x, 1)", "[1, 120]");
    expect_op(state, "x.reshape(1, 5, -1)", "[1, 5, 24]");
    expect_op(state, "torch.sigmoid(x).relu().view(1, -1)", "[1, 120]");
    /* chunk: pieces of ceil(size / chunks), the last what remains */
    expect_op(state, "x.chunk(2, dim=1)[0]", "[1, 3, 4, 6]");
    expect_op(state, "x.chunk(2, dim=1)[1]", "[1, 2, 4, 6]");
    expect_op(state, "torch.chunk(x, 4, -1)[2]", "[1, 5, 4, 2]");
    expect_op(state, "torch.cat(x.chunk(4, 3), 3)", "[1, 5, 4, 6]");
    expect_op(state, "torch.zeros(len(x.chunk(4, 3)), len(x.chunk(5, 1)))", "[3, 5]");
    /* forward() returning several: the first */
    expect_op(state, "(x.flatten(1), m)", "[1, 120]");
}

static void ops_functional(void **state)
{
    expect_op(state, "F.interpolate(x, scale_factor=2, mode='nearest')", "[1, 5, 8, 12]");
    expect_op(state, "F.interpolate(x, size=(3, 3))", "[1, 5, 3, 3]");
    expect_op(state, "F.pad(x, (1, 1, 2, 2))", "[1, 5, 8, 8]");
    expect_op(state, "F.dropout(x, p=0.5, training=self.training)", "[1, 5, 4, 6]");
    expect_op(state, "F.adaptive_avg_pool2d(x, (1, 1))", "[1, 5, 1, 1]");
    expect_op(state, "F.max_pool2d(x, 2)", "[1, 5, 2, 3]");
    expect_op(state, "F.softmax(x, dim=1)", "[1, 5, 4, 6]");
}

static void ops_errors_are_pytorchs(void **state)
{
    expect_op_error(state, "torch.cat([x, x[:, :, :3]], 1)", PROBE_ERROR, 16,
                    "Sizes of tensors must match except in dimension 1. Expected size 4 but got size 3 for tensor number 1 in the list.");
    expect_op_error(state, "x + x[:, :, :, :5]", PROBE_ERROR, 16,
                    "The size of tensor a (6) must match the size of tensor b (5) at non-singleton dimension 3");
    expect_op_error(state, "torch.stack([x, m])", PROBE_ERROR, 16,
                    "stack expects each tensor to be equal size, but got [1, 5, 4, 6] at entry 0 and [1, 5, 1, 1] at entry 1");
    expect_op_error(state, "x.chunk(0, 1)", PROBE_ERROR, 16, "chunk expects `chunks` to be greater than 0, got: 0");
    expect_op_error(state, "x.chunk(2, 4)", PROBE_ERROR, 16,
                    "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
    expect_op_error(state, "x.view(-1, 7)", PROBE_ERROR, 16, "shape '[-1, 7]' is invalid for input of size 120");
    expect_op_error(state, "x.permute(0, 1)", PROBE_ERROR, 16,
                    "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                    "desired ordering of dimensions i.e. input.dim() = 4 is not equal to len(dims) = 2");
    expect_op_error(state, "x.squeeze(4)", PROBE_ERROR, 16,
                    "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
    /* what needs the values: probe's own refusal, at the line */
    expect_op_error(state, "x.item()", PROBE_INVALID, 16, "this needs the tensor's values: probe has shapes, not data");
    expect_op_error(state, "x if x.sum() > 0 else x", PROBE_INVALID, 21,
                    "comparing a tensor needs its values: probe has shapes, not data");
}

/* x.view(-1, 24) passes in PyTorch but makes a batch of 5: a warning */
static void ops_view_that_changes_the_batch_warns(void **state)
{
    pyrun r = run_op(state, "x.view(-1, 24)");
    expect_status(&r, PROBE_OK);
    expect_json_output(&r, "[5, 24]");
    expect_has(r.json, "\"warnings\": [{\"line\": 13, \"col\": 16, \"kind\": \"batch_changed\", \"message\": "
                       "\"this view turns the batch of 1 into a batch of 5: each sample holds 120 values; "
                       "x.view(x.size(0), -1) or torch.flatten(x, 1) keeps the batch (the next Linear then needs "
                       "in_features=120)\"}]");
    py_run_free(&r);
}

/* ---- which model ------------------------------------------------------------ */

/* A's and B's outputs say which ran; Loss (two inputs) is never chosen.
 * expect_model appends the top-level lines after it. */
static const char MODELS[] =
    "# input: 1x1x3\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class A(nn.Module):\n"
    "    def __init__(self, n=2):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(3, n)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "class B(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(3, 7)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "class Loss(nn.Module):\n"
    "    def forward(self, a, b):\n"
    "        return a\n";

static void expect_model(void **state, const char *tail, const char *spec, const char *want)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", MODELS, tail);
    pyrun r = py_run(state, text, 1, 3, spec);
    expect_status(&r, PROBE_OK);
    expect_has(r.json, "\"input\": [1, 1, 1, 3]");
    expect_json_output(&r, want);
    py_run_free(&r);
}

static void model_chosen_as_modelpy_says(void **state)
{
    /* no instance: the last class no other class names (B, not Loss) */
    expect_model(state, "", NULL, "[1, 1, 1, 7]");
    /* the instance at the top level, the last of several, through .to() */
    expect_model(state, "first = A(5)\n", NULL, "[1, 1, 1, 5]");
    expect_model(state, "device = 'cpu'\nfirst = B()\nmodel = A(n=4).to(device).eval()\n", NULL, "[1, 1, 1, 4]");
    /* a function returning the model */
    expect_model(state, "def ResNet18():\n    return A(n=9)\nnet = ResNet18()\n", NULL, "[1, 1, 1, 9]");
    /* --model: a class (its defaults), a call, over the file's instance */
    expect_model(state, "", "A", "[1, 1, 1, 2]");
    expect_model(state, "net = B()\n", "A(n=3)", "[1, 1, 1, 3]");
    expect_model(state, "", "A(6)", "[1, 1, 1, 6]");
}

static void expect_model_refused(void **state, const char *spec, const char *msg)
{
    pyrun r = py_run(state, MODELS, 1, 3, spec);
    expect_first_error(&r, PROBE_INVALID, 0, 0, msg);
    py_run_free(&r);
}

static void model_spec_refusals(void **state)
{
    expect_model_refused(state, "Loss", "TypeError: --model Loss: that is not an nn.Module whose forward() takes one input");
    expect_model_refused(state, "B(n=2)", "TypeError: B.__init__() got an unexpected keyword argument 'n'");
    expect_model_refused(state, "Nope", "NameError: --model Nope: the file defines no class or function of that name");
}

/* Without '# input:' and without a Conv, the channels are unknown. */
static void model_input_comment_gives_the_channels(void **state)
{
    const char *body = strchr(MODELS, '\n') + 1;
    char text[2048];
    snprintf(text, sizeof text, "# input: 2x1x3\n%s", body);
    pyrun r = py_run(state, text, 1, 3, NULL);
    expect_status(&r, PROBE_OK);
    expect_has(r.json, "\"input\": [1, 2, 1, 3]");
    expect_json_output(&r, "[1, 2, 1, 7]");
    py_run_free(&r);
    r = py_run(state, body, 1, 3, NULL);
    expect_first_error(&r, PROBE_INVALID, 0, 0,
                       "cannot tell the input channels: forward() calls no Conv, BatchNorm, InstanceNorm or GroupNorm "
                       "that declares them before its first error or its end; add a line '# input: CxHxW' above the "
                       "first class or give --input CxHxW");
    py_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nn_containers_and_named_modules),
        cmocka_unit_test(nn_a_layer_called_twice_has_two_rows),
        cmocka_unit_test(repair_names_the_constructor),
        cmocka_unit_test(repair_a_block_built_three_times_once),
        cmocka_unit_test(ops_shapes),
        cmocka_unit_test(ops_functional),
        cmocka_unit_test(ops_errors_are_pytorchs),
        cmocka_unit_test(ops_view_that_changes_the_batch_warns),
        cmocka_unit_test(model_chosen_as_modelpy_says),
        cmocka_unit_test(model_spec_refusals),
        cmocka_unit_test(model_input_comment_gives_the_channels),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
