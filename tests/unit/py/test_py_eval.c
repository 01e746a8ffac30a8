/* test_py_eval.c - the evaluator of model files as Python: scopes,
 * calls, classes, control flow, values, and the errors it raises with
 * their place. Each model is a C string run through the public API; most
 * compute numbers and return torch.zeros(1, ...) of them, so the JSON's
 * "output" shows what Python would have computed (each checked against
 * CPython 3.11 and torch 1.13). Tensor operations and the choice of the
 * model are in test_py_torch.c. */
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

/* ---- scopes ---------------------------------------------------------------- */

/* locals shadow globals (shadow() -> 7, x stays 5); a nested def and a
 * lambda read their enclosing function's variables (outer(2) -> 13 + 20);
 * a comprehension's variable does not leak (i stays 3); `global` makes
 * bump() change the module's count (2, then 4). */
static const char SCOPES[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "x = 5\n"
    "count = 0\n"
    "def bump():\n"
    "    global count\n"
    "    count += 2\n"
    "    return count\n"
    "def outer(n):\n"
    "    base = 10\n"
    "    def add(k):\n"
    "        return base + k + n\n"
    "    mul = lambda k: k * base\n"
    "    return add(1) + mul(2)\n"
    "def shadow():\n"
    "    x = 7\n"
    "    return x\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        bump()\n"
    "        self.n = bump()\n"
    "    def forward(self, t):\n"
    "        i = 3\n"
    "        sq = [i * i for i in range(5)]\n"
    "        return torch.zeros(1, i, shadow(), x, outer(2), len(sq), sq[4], self.n)\n";

static void scopes_locals_globals_closures(void **state)
{
    expect_output(state, SCOPES, 1, 1, "[1, 3, 7, 5, 33, 5, 16, 4]");
}

/* forward() may only read globals: setting one is refused at the name */
static const char SETS_GLOBAL[] =
    "# input: 1x1x1\n"
    "import torch.nn as nn\n"
    "count = 0\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        global count\n"
    "        count += 1\n"
    "        return x\n";

static void scopes_forward_setting_a_global_is_located(void **state)
{
    expect_error(state, SETS_GLOBAL, 1, 1, PROBE_INVALID, 7, 9,
                 "forward() sets the global 'count': probe follows globals set at the top level");
}

/* ---- calls ----------------------------------------------------------------- */

/* positional, keyword, *args, **kwargs, keyword-only; b=mk() is evaluated
 * once, when dflt is defined (calls has one item, b is 1 every call). */
static const char CALLS[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "calls = []\n"
    "def mk():\n"
    "    calls.append(1)\n"
    "    return len(calls)\n"
    "def dflt(a, b=mk(), *args, c=3, **kw):\n"
    "    return a * 1000 + b * 100 + len(args) * 10 + c + len(kw)\n"
    "def kwonly(a, *, scale=2):\n"
    "    return a * scale\n"
    "def f3(a, b, c):\n"
    "    return a * 100 + b * 10 + c\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.v1 = dflt(1) + dflt(2)\n"
    "        self.v2 = dflt(1, 2, 3, 4, c=5, z=1, y=2)\n"
    "        self.v3 = kwonly(4) + kwonly(1, scale=10)\n"
    "        args = [1, 2]\n"
    "        kws = {\"c\": 3}\n"
    "        self.v4 = f3(*args, **kws) + f3(c=1, b=2, a=3)\n"
    "    def forward(self, x):\n"
    "        return torch.zeros(1, self.v1, self.v2, self.v3, self.v4, len(calls))\n";

static void calls_bind_as_python(void **state)
{
    expect_output(state, CALLS, 1, 1, "[1, 3206, 1227, 18, 444, 1]");
}

/* Line 21, column 31 is the call put in by expect_call_error. */
static const char CALL_TEMPLATE[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "def f3(a, b, c):\n"
    "    return a\n"
    "def kwonly(a, *, scale=2):\n"
    "    return a * scale\n"
    "def kwo(*, u, v):\n"
    "    return u\n"
    "class Blk(nn.Module):\n"
    "    def forward(self, x):\n"
    "        return x\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.blk = Blk()\n"
    "        self.seq = nn.Sequential(nn.ReLU())\n"
    "    def m(self, a):\n"
    "        return a\n"
    "    def forward(self, x):\n"
    "        return torch.zeros(1, %s)\n";

static void expect_call_error(void **state, const char *call, const char *msg)
{
    char text[1024];
    snprintf(text, sizeof text, CALL_TEMPLATE, call);
    expect_error(state, text, 1, 1, PROBE_INVALID, 21, 31, msg);
}

/* Python 3.11's own TypeError texts, methods named by their class */
static void calls_with_wrong_arguments_raise_pythons_type_error(void **state)
{
    expect_call_error(state, "f3(1, 2)", "TypeError: f3() missing 1 required positional argument: 'c'");
    expect_call_error(state, "f3(a=1)", "TypeError: f3() missing 2 required positional arguments: 'b' and 'c'");
    expect_call_error(state, "f3()", "TypeError: f3() missing 3 required positional arguments: 'a', 'b', and 'c'");
    expect_call_error(state, "f3(1, 2, 3, 4)", "TypeError: f3() takes 3 positional arguments but 4 were given");
    expect_call_error(state, "f3(1, 2, c=3, d=4)", "TypeError: f3() got an unexpected keyword argument 'd'");
    expect_call_error(state, "f3(1, 2, 3, a=1)", "TypeError: f3() got multiple values for argument 'a'");
    expect_call_error(state, "kwonly(1, 2)", "TypeError: kwonly() takes 1 positional argument but 2 were given");
    expect_call_error(state, "kwo()", "TypeError: kwo() missing 2 required keyword-only arguments: 'u' and 'v'");
    expect_call_error(state, "self.m(1, 2)", "TypeError: Net.m() takes 2 positional arguments but 3 were given");
    expect_call_error(state, "self.m()", "TypeError: Net.m() missing 1 required positional argument: 'a'");
    expect_call_error(state, "Net.m(1)", "TypeError: Net.m() missing 1 required positional argument: 'a'");
    expect_call_error(state, "self.m(a=1, z=2)", "TypeError: Net.m() got an unexpected keyword argument 'z'");
    expect_call_error(state, "self.blk(x, x).size(1)",
                      "TypeError: Blk.forward() takes 2 positional arguments but 3 were given");
    expect_call_error(state, "self.seq(x, x).size(1)",
                      "TypeError: Sequential.forward() takes 2 positional arguments but 3 were given");
}

/* ---- classes --------------------------------------------------------------- */

/* A helper function making blocks; blocks built with arguments; super()
 * and super(Block, self); Wide overrides forward (no ReLU); the class
 * attribute read as Block.expansion, self.expansion and cls.width;
 * @staticmethod and @classmethod. The in_features declared,
 * self.scale(4) = 8, is what the block's channels (2 * 4) make: ok; the
 * out_features is make(2) = 2 + 8. */
static const char CLASSES[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "def conv_bn(cin, cout, stride=1):\n"
    "    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))\n"
    "class Block(nn.Module):\n"
    "    expansion = 4\n"
    "    def __init__(self, cin, planes, stride=1):\n"
    "        super(Block, self).__init__()\n"
    "        self.body = conv_bn(cin, planes * self.expansion, stride)\n"
    "    def forward(self, x):\n"
    "        return F.relu(self.body(x))\n"
    "class Wide(Block):\n"
    "    def forward(self, x):\n"
    "        return self.body(x) * 2\n"
    "class Net(nn.Module):\n"
    "    width = 8\n"
    "    def __init__(self, num_classes=10):\n"
    "        super().__init__()\n"
    "        self.a = Block(3, 2)\n"
    "        self.b = Wide(2 * Block.expansion, self.width // 4, stride=2)\n"
    "        self.pool = nn.AdaptiveAvgPool2d(1)\n"
    "        self.fc = nn.Linear(self.scale(4), self.make(num_classes))\n"
    "    def scale(self, n):\n"
    "        return n * Net.half(4)\n"
    "    @staticmethod\n"
    "    def half(n):\n"
    "        return n // 2\n"
    "    @classmethod\n"
    "    def make(cls, n):\n"
    "        return n + cls.width\n"
    "    def forward(self, x):\n"
    "        x = self.b(self.a(x))\n"
    "        x = torch.flatten(self.pool(x), 1)\n"
    "        return self.fc(x)\n"
    "net = Net(num_classes=2)\n";

static void classes_blocks_methods_and_inheritance(void **state)
{
    pyrun r = expect_ok(state, CLASSES, 16, 16, 8, "[1, 10]");
    /* a's ReLU ran, b's forward (Wide's) has none */
    assert_int_equal(count_of(r.json, "\"type\": \"ReLU\""), 1);
    assert_int_equal(count_of(r.json, "\"type\": \"Conv2d\""), 2);
    expect_has(r.json, "\"output\": [1, 8, 8, 8]");
    py_run_free(&r);
}

/* A base class's methods called through the class, self given: the
 * function itself, not bound to the class. */
static const char PARENT_CALLS[] =
    "# input: 1x1x1\n"
    "import torch.nn as nn\n"
    "class Base(nn.Module):\n"
    "    def __init__(self, n):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(1, n)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "class Net(Base):\n"
    "    def __init__(self):\n"
    "        Base.__init__(self, 6)\n"
    "    def forward(self, x):\n"
    "        return Base.forward(self, x)\n";

static void classes_base_methods_called_through_the_class(void **state)
{
    expect_output(state, PARENT_CALLS, 1, 1, "[1, 1, 1, 6]");
}

/* ---- control flow ---------------------------------------------------------- */

/* if/elif/else on x.dim(), x.size(1) and x.shape; for over enumerate(zip),
 * dict.items() and a list; while True with continue and break; for-else
 * with and without a break. */
static const char FLOW[] =
    "# input: 3x8x6\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        if x.dim() != 4:\n"
    "            a = 1\n"
    "        elif x.size(1) == 3 and x.shape[2] > x.shape[3]:\n"
    "            a = 2\n"
    "        else:\n"
    "            a = 3\n"
    "        n = 0\n"
    "        for i, (p, q) in enumerate(zip([1, 2, 3], (4, 5))):\n"
    "            n += i + p * q\n"
    "        for k, v in {\"a\": 1, \"b\": 2}.items():\n"
    "            n += v * 100\n"
    "        for c in [10, 20]:\n"
    "            n += c\n"
    "        i = 0\n"
    "        w = 0\n"
    "        while True:\n"
    "            i += 1\n"
    "            if i % 2 == 0:\n"
    "                continue\n"
    "            if i > 7:\n"
    "                break\n"
    "            w += i\n"
    "        for j in range(3):\n"
    "            if j == 5:\n"
    "                break\n"
    "        else:\n"
    "            w += 1000\n"
    "        for j in range(3):\n"
    "            if j == 1:\n"
    "                break\n"
    "        else:\n"
    "            w += 50000\n"
    "        return torch.zeros(1, a, n, w)\n";

static void flow_branches_and_loops(void **state)
{
    expect_output(state, FLOW, 8, 6, "[1, 2, 345, 1016]");
    /* the shape steers the branch: 6x8 takes the else */
    expect_output(state, FLOW, 6, 8, "[1, 3, 345, 1016]");
}

/* ---- values ---------------------------------------------------------------- */

/* floor division and modulo of negatives as Python; **; true division;
 * round half to even; int(True); abs */
static const char INTS[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        a = -7 // 2 + 10\n"
    "        b = -7 % 3\n"
    "        c = 7 % -3 + 5\n"
    "        d = 2 ** 10\n"
    "        e = int(7 / 2 * 2)\n"
    "        f = round(2.5) + round(3.5) + int(True) + abs(-4)\n"
    "        return torch.zeros(1, a, b, c, d, e, f)\n";

static void values_int_arithmetic_as_python(void **state)
{
    expect_output(state, INTS, 1, 1, "[1, 6, 2, 3, 1024, 7, 11]");
}

/* str +, *, join, format, in, ==; None; not */
static const char STRINGS[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        s = \"ab\" + \"c\" * 2\n"
    "        t = \"-\".join([\"x\", \"y\", \"z\"])\n"
    "        u = \"{}:{}\".format(3, \"q\")\n"
    "        n1 = len(s) + len(t) * 10\n"
    "        n2 = len(u) + (\"b\" in s) * 10 + (\"q\" in s) * 100\n"
    "        n3 = len(str(12) + \"ab\") + (None is None) + (not None) * 10\n"
    "        ok = 1 if s == \"abcc\" and t == \"x-y-z\" and u == \"3:q\" else 0\n"
    "        return torch.zeros(1, n1, n2, n3, ok)\n";

static void values_strings(void **state)
{
    expect_output(state, STRINGS, 1, 1, "[1, 54, 13, 15, 1]");
}

/* list and dict methods, tuples, negative indices, slices with steps,
 * unpacking with a star, comprehensions with a condition, nested ones
 * and generator expressions */
static const char CONTAINERS[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        t = (1, 2, 3)\n"
    "        l = [4, 5]\n"
    "        l.append(6)\n"
    "        l.extend([7, 8])\n"
    "        l.insert(0, 3)\n"
    "        p = l.pop()\n"
    "        d = {\"a\": 1, \"b\": 2}\n"
    "        d[\"c\"] = 3\n"
    "        ks = sum(v for k, v in d.items()) + len(list(d.keys())) * 10 + d.get(\"z\", 100)\n"
    "        a, b = t[0], t[-1]\n"
    "        h, *rest = l\n"
    "        s = l[1:3] + l[::-1][:1] + list(t[:-1])\n"
    "        m = [i * j for i in range(1, 4) for j in range(2) if i != 2]\n"
    "        nested = [[j for j in range(i)] for i in range(4)]\n"
    "        return torch.zeros(1, p, ks, a * 10 + b, h * 10 + len(rest), sum(s), sum(m) + 1, sum(len(r) for r in nested))\n";

static void values_containers(void **state)
{
    expect_output(state, CONTAINERS, 1, 1, "[1, 8, 136, 13, 34, 19, 5, 6]");
}

/* min, max, isinstance (a file class, int, nn.Module), setattr in
 * __init__ then getattr/hasattr (with a default), int() of floats and
 * strings, float equality */
static const char BUILTINS[] =
    "# input: 1x1x1\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        setattr(self, \"k\", 3)\n"
    "    def forward(self, x):\n"
    "        a = min(4, 2, 9) + max([1, 7, 3]) * 10\n"
    "        b = isinstance(self, Net) + isinstance(3, int) * 10 + isinstance(self, nn.Module) * 100\n"
    "        c = getattr(self, \"k\") + hasattr(self, \"k\") * 10 + hasattr(self, \"zz\") * 100 + getattr(self, \"zz\", 5) * 1000\n"
    "        e = int(3.9) + int(\"12\") + int(-2.5)\n"
    "        f = 1 if 3.0 == 3 and 0.1 + 0.2 != 0.3 else 0\n"
    "        return torch.zeros(1, a, b, c, e, f + 1)\n";

static void values_builtins(void **state)
{
    expect_output(state, BUILTINS, 1, 1, "[1, 72, 111, 5013, 13, 2]");
}

/* Line 7, column 9 is the statement put in by expect_stmt_error. */
static const char STMT_TEMPLATE[] =
    "# input: 1x1x1\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        a = 1\n"
    "        b = 2\n"
    "        %s\n"
    "        return x\n";

static void expect_stmt_error(void **state, const char *stmt, int col, const char *msg)
{
    char text[1024];
    snprintf(text, sizeof text, STMT_TEMPLATE, stmt);
    expect_error(state, text, 1, 1, PROBE_INVALID, 7, col, msg);
}

static void values_errors_are_pythons(void **state)
{
    expect_stmt_error(state, "a, b = [1, 2, 3]", 9, "ValueError: too many values to unpack (expected 2)");
    expect_stmt_error(state, "a, b, c = (1, 2)", 9, "ValueError: not enough values to unpack (expected 3, got 2)");
    expect_stmt_error(state, "a, *b, c = [1]", 9, "ValueError: not enough values to unpack (expected at least 2, got 1)");
    expect_stmt_error(state, "v = int('x')", 13, "ValueError: invalid literal for int() with base 10: 'x'");
    expect_stmt_error(state, "v = [1, 2][5]", 13, "IndexError: list index out of range");
    expect_stmt_error(state, "v = {'a': 1}['b']", 13, "KeyError: 'b'");
    expect_stmt_error(state, "v = len(5)", 13, "TypeError: object of type 'int' has no len()");
    expect_stmt_error(state, "v = 1 + 'a'", 13, "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
    expect_stmt_error(state, "v = None + 1", 13, "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'");
    expect_stmt_error(state, "v = 3 < 'a'", 13, "TypeError: '<' not supported between instances of 'int' and 'str'");
    expect_stmt_error(state, "v = -7 // 0", 13, "ZeroDivisionError: integer division or modulo by zero");
    expect_stmt_error(state, "v = undefined + 1", 13, "NameError: name 'undefined' is not defined");
    expect_stmt_error(state, "v = self.fc3(x)", 13, "AttributeError: 'Net' object has no attribute 'fc3'");
    /* probe's ints are 64-bit: what would not fit is its own error */
    expect_stmt_error(state, "v = 2 ** 64", 13,
                      "OverflowError: this integer does not fit in 64 bits: probe's integers are signed 64-bit, and no tensor size is larger");
    expect_stmt_error(state, "v = 9223372036854775807 + 1", 13,
                      "OverflowError: this integer does not fit in 64 bits: probe's integers are signed 64-bit, and no tensor size is larger");
}

/* ---- what probe refuses, and its limits ------------------------------------ */

static void refused_calls_are_errors_at_their_line(void **state)
{
#define REFUSED(f) "probe never runs " f "(): it reads the model, it does not execute the file; take the call out of the model's code"
    expect_stmt_error(state, "v = open('weights.txt')", 13, REFUSED("open"));
    expect_stmt_error(state, "exec('a = 2')", 9, REFUSED("exec"));
    expect_stmt_error(state, "v = eval('1')", 13, REFUSED("eval"));
#undef REFUSED
}

static const char ENDLESS[] =
    "# input: 1x1x1\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        n = 0\n"
    "        while True:\n"
    "            n += 1\n"
    "        self.fc = nn.Linear(1, 2)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n";

static const char ENDLESS_RECURSION[] =
    "# input: 1x1x1\n"
    "import torch.nn as nn\n"
    "def f(n):\n"
    "    return f(n + 1)\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(1, f(0))\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n";

static void limits_are_errors_at_their_line(void **state)
{
    expect_error(state, ENDLESS, 1, 1, PROBE_INVALID, 8, 13,
                 "RuntimeError: the model file runs more than 5000000 steps here: an endless loop? (probe's limit on one evaluation)");
    expect_error(state, ENDLESS_RECURSION, 1, 1, PROBE_INVALID, 4, 12,
                 "RecursionError: maximum recursion depth exceeded (probe's limit: 200 nested calls)");
    expect_stmt_error(state, "v = [0] * 2000000", 13, "MemoryError: a list of 1 x 2000000 items: probe's limit is 1000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scopes_locals_globals_closures),
        cmocka_unit_test(scopes_forward_setting_a_global_is_located),
        cmocka_unit_test(calls_bind_as_python),
        cmocka_unit_test(calls_with_wrong_arguments_raise_pythons_type_error),
        cmocka_unit_test(classes_blocks_methods_and_inheritance),
        cmocka_unit_test(classes_base_methods_called_through_the_class),
        cmocka_unit_test(flow_branches_and_loops),
        cmocka_unit_test(values_int_arithmetic_as_python),
        cmocka_unit_test(values_strings),
        cmocka_unit_test(values_containers),
        cmocka_unit_test(values_builtins),
        cmocka_unit_test(values_errors_are_pythons),
        cmocka_unit_test(refused_calls_are_errors_at_their_line),
        cmocka_unit_test(limits_are_errors_at_their_line),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
