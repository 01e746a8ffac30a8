/* test_sizes.c - which input sizes a net accepts. The search without a
 * size relies on shapes being monotone in the input size: checked here
 * against a size-by-size scan on every net of the corpus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "fixtures.h"

#include "probe.h"

static probe_net *parse(void **state, const char *text)
{
    probe_net *net = probe_net_parse(*state, "t.cfg", text, strlen(text));
    assert_non_null(net);
    return net;
}

static const char block3[] =
    "nn.Conv2d(128, 256, 3, padding=1)\nnn.ReLU()\nnn.Conv2d(256, 256, 3, padding=1)\n"
    "nn.MaxPool2d(2, 2)\nnn.Linear(4096, 1024)\n";

static void the_forum_answer(void **state)
{
    probe_net *net = parse(state, block3);
    probe_options opt = probe_options_default();
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, 4096, 0, 0, &a), 0);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.ranges[0].lo, 8);
    assert_int_equal(a.ranges[0].hi, 9);
    assert_int_equal(a.declared, 4096);
    assert_false(a.exhaustive);
    /* binary searches, not 4096 runs */
    assert_true(a.runs < 64);
    probe_accepts_free(&a);
    probe_net_free(net);
}

static void nearest_when_none_pass(void **state)
{
    probe_net *net = parse(state, "nn.Conv2d(128, 256, 3, padding=1)\nnn.MaxPool2d(2, 2)\nnn.Linear(4000, 10)\n");
    probe_options opt = probe_options_default();
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, 4096, 0, 0, &a), 0);
    assert_int_equal(a.n, 0);
    /* 256 * 3 * 3 = 2304 at 7x7 (or 6x6), 256 * 4 * 4 = 4096 at 8x8 */
    assert_int_equal(a.below_in, 2304);
    assert_int_equal(a.below_size, 7);
    assert_int_equal(a.above_in, 4096);
    assert_int_equal(a.above_size, 8);
    probe_accepts_free(&a);
    probe_net_free(net);
}

static void adaptive_pool_accepts_every_size_from_its_smallest(void **state)
{
    probe_net *net = parse(state, "nn.Conv2d(3, 8, 5)\nnn.MaxPool2d(2)\nnn.AdaptiveAvgPool2d(3)\nnn.Linear(72, 10)\n");
    probe_options opt = probe_options_default();
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, 4096, 0, 0, &a), 0);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.ranges[0].lo, 6);      /* 6 - 4 = 2, pooled to 1 */
    assert_int_equal(a.ranges[0].hi, 4096);
    probe_accepts_free(&a);
    /* one side fixed: 40 x W */
    assert_int_equal(probe_accepts(net, &opt, 1, 100, 40, 0, &a), 0);
    assert_int_equal(a.ranges[0].lo, 6);
    probe_accepts_free(&a);
    probe_net_free(net);
}

static void divisibility_is_tried_size_by_size(void **state)
{
    probe_net *net = parse(state, "input: 4x8x8\nnn.PixelUnshuffle(2)\nnn.AdaptiveAvgPool2d(1)\nnn.Linear(16, 2)\n");
    probe_options opt = probe_options_default();
    opt.channels = 4;
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, 9, 0, 0, &a), 0);
    assert_true(a.exhaustive);
    assert_int_equal(a.n, 4);                 /* 2, 4, 6, 8 */
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.ranges[i].lo, 2 * (int64_t)(i + 1));
        assert_int_equal(a.ranges[i].hi, 2 * (int64_t)(i + 1));
    }
    probe_accepts_free(&a);
    probe_net_free(net);
}

/* Trying every size of a huge net would take minutes: a work limit
 * stops it, and says where. */
static void exhaustive_search_has_a_work_limit(void **state)
{
    size_t n = 100000, cap = n * 10 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "nn.Conv2d(4, 4, 1)\nnn.PixelUnshuffle(2)\n");
    for (size_t i = 0; i < n; i++) len += (size_t)snprintf(text + len, cap - len, "nn.ReLU()\n");
    probe_net *net = probe_net_parse(*state, "big.cfg", text, len);
    free(text);
    probe_options opt = probe_options_default();
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, 4096, 0, 0, &a), 0);
    assert_true(a.exhaustive);
    /* 20,000,000 layer calls / 100,002 layers: sizes 1..199 */
    assert_int_equal(a.stopped_at, 199);
    assert_int_equal(a.ranges[a.n - 1].hi, 198);
    probe_accepts_free(&a);
    probe_net_free(net);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

/* The search's ranges are those of trying every size from 1 to hi; the
 * search's own report is made in every form. */
static void agrees_with_a_scan(void **state, const char *path, int64_t hi)
{
    char *text;
    size_t len = 0;
    assert_non_null(text = slurp(path, &len));
    probe_net *net = probe_net_parse(*state, path, text, len);
    free(text);
    assert_non_null(net);
    probe_options opt = probe_options_default();
    probe_accepts_info a;
    assert_int_equal(probe_accepts(net, &opt, 1, hi, 0, 0, &a), 0);
    size_t k = 0;
    for (int64_t s = 1; s <= hi; s++) {
        opt.h = opt.w = s;
        bool ok = probe_check(net, &opt, NULL) == PROBE_OK;
        bool in = k < a.n && s >= a.ranges[k].lo && s <= a.ranges[k].hi;
        if (ok != in) fail_msg("%s at %lldx%lld: scan says %s, the search %s", path, (long long)s, (long long)s,
                               ok ? "ok" : "not ok", in ? "accepts" : "does not");
        if (k < a.n && s == a.ranges[k].hi) k++;
    }
    probe_accepts_free(&a);
    probe_result *res = probe_run(net, NULL);
    assert_non_null(res);
    char *texts[] = { probe_result_table(res), probe_result_json(res), probe_result_diagnostics(res),
                      probe_result_explain(res), probe_result_summary(res) };
    for (size_t k2 = 0; k2 < sizeof texts / sizeof texts[0]; k2++) {
        assert_non_null(texts[k2]);
        free(texts[k2]);
    }
    probe_result_free(res);
    probe_net_free(net);
}

/* agrees_with_a_scan on every file of dir whose name ends in ext; returns
 * how many. */
static int scan_dir(void **state, const char *dirname, const char *ext, int64_t hi)
{
    int nets = 0;
    DIR *dir = opendir(dirname);
    if (!dir) fail_msg("cannot open %s (run from the repository root)", dirname);
    struct dirent *e;
    size_t elen = strlen(ext);
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        if (n < elen || strcmp(e->d_name + n - elen, ext)) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dirname, e->d_name);
        agrees_with_a_scan(state, path, hi);
        nets++;
    }
    closedir(dir);
    return nets;
}

/* The monotone search agrees with trying every size, on every net.cfg of
 * the corpus. */
static void search_agrees_with_a_scan_on_the_corpus(void **state)
{
    int nets = scan_dir(state, "tests/corpus/random", ".cfg", 160) + scan_dir(state, "tests/corpus/repr", ".cfg", 160) +
               scan_dir(state, "tests/corpus/classic", ".cfg", 160);
    assert_int_equal(nets, 391);
}

/* And on every model file: a forward() may check sizes that no layer
 * declares -- x.view(-1, 16 * 5 * 5), torch.cat of a U-Net's skips,
 * F.pixel_unshuffle -- which the run tells the search of (the search had
 * answered "no square size" for the tutorial's Net with its view). */
static void search_agrees_with_a_scan_on_model_files(void **state)
{
    assert_int_equal(scan_dir(state, "tests/corpus/python", ".py", 96), 264);
    assert_int_equal(scan_dir(state, "tests/unit/run/data", ".py", 96), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_forum_answer),
        cmocka_unit_test(nearest_when_none_pass),
        cmocka_unit_test(adaptive_pool_accepts_every_size_from_its_smallest),
        cmocka_unit_test(divisibility_is_tried_size_by_size),
        cmocka_unit_test(exhaustive_search_has_a_work_limit),
        cmocka_unit_test(search_agrees_with_a_scan_on_the_corpus),
        cmocka_unit_test(search_agrees_with_a_scan_on_model_files),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
