/* test_py_threads.c - runs of one model file's net share what __init__
 * built and only read it: four threads running the same net at once, at
 * two sizes each (one that passes, one with a mismatch repaired), give
 * the answers one thread gives alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probe.h"

/* a block class, a list made in __init__ read in forward(), a functional,
 * a residual add, torch.cat and a view: every kind of value a run reads */
static const char MODEL[] =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Block(nn.Module):\n"
    "    def __init__(self, c):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(c, c, 3, padding=1)\n"
    "    def forward(self, x):\n"
    "        return F.relu(self.conv(x)) + x\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.stem = nn.Conv2d(3, 8, 3, padding=1)\n"
    "        self.blocks = nn.ModuleList([Block(8) for _ in range(3)])\n"
    "        self.widths = [8, 16]\n"
    "        self.fc = nn.Linear(16 * 4 * 4, 10)\n"
    "    def forward(self, x):\n"
    "        x = self.stem(x)\n"
    "        for b in self.blocks:\n"
    "            x = b(x)\n"
    "        x = torch.cat([x, x], dim=1)\n"
    "        x = F.adaptive_avg_pool2d(x, 4) if x.size(2) > 8 else F.max_pool2d(x, 2)\n"
    "        return self.fc(x.view(x.size(0), -1))\n"
    "net = Net()\n";

enum { ROUNDS = 25, THREADS = 4 };
static const int64_t SIZES[2] = { 32, 6 };

typedef struct shared {
    probe_net *net;
    char *answers[THREADS][ROUNDS][2];
} shared;

typedef struct worker { shared *s; int id; } worker;

static char *answer(probe_net *net, int64_t size)
{
    probe_result *res = probe_run(net, &(probe_options){ .h = size, .w = size });
    char *json = res ? probe_result_json(res) : NULL;
    probe_result_free(res);
    return json;
}

static void *work(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < 2; k++) w->s->answers[w->id][r][k] = answer(w->s->net, SIZES[k]);
    return NULL;
}

static void threads_give_the_answers_of_one(void **state)
{
    (void)state;
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    shared s = { probe_net_parse(reg, "m.py", MODEL, sizeof MODEL - 1), { { { 0 } } } };
    assert_non_null(s.net);
    char *alone[2] = { answer(s.net, SIZES[0]), answer(s.net, SIZES[1]) };
    assert_non_null(alone[0]);
    assert_non_null(alone[1]);
    /* the two sizes differ: one passes, one has its Linear repaired */
    assert_non_null(strstr(alone[0], "\"status\": \"ok\""));
    assert_non_null(strstr(alone[1], "\"status\": \"mismatch\""));
    pthread_t t[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){ &s, i };
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++)
        for (int r = 0; r < ROUNDS; r++)
            for (int k = 0; k < 2; k++) {
                assert_non_null(s.answers[i][r][k]);
                assert_string_equal(s.answers[i][r][k], alone[k]);
                free(s.answers[i][r][k]);
            }
    free(alone[0]);
    free(alone[1]);
    probe_net_free(s.net);
    probe_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_give_the_answers_of_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
