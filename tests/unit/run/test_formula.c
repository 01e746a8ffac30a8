/* test_formula.c - --formula: the fit of one size's form (run/fit.h), and
 * the formulas of whole nets read back as a program reads them (the JSON's
 * Python expressions, evaluated here) and compared with runs at every size
 * of a range in their domain, on every net of the corpus. */
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
#include "py_int_expr.h"
#include "json_mini.h"

#include "probe.h"
#include "run/fit.h"
#include "run/result.h"
#include "run/formula.h"

/* ---- the form of one size ---------------------------------------------- */

/* PyTorch's pooling size, ceil_mode's last-window rule included
 * (pooling_output_shape in ATen). */
static int64_t pool_out(int64_t x, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode)
{
    int64_t num = x + 2 * p - d * (k - 1) - 1 + (ceil_mode ? s - 1 : 0);
    int64_t out = fit_div(num, s) + 1;
    if (ceil_mode && (out - 1) * s >= x + p) out--;
    return out;
}

typedef int64_t (*size_fn)(int64_t x);

/* Fits f on n sizes from x0, then checks the form far past them. */
static fit_size fit_and_extend(size_fn f, int64_t x0, size_t n, int64_t until)
{
    int64_t *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t k = 0; k < n; k++) v[k] = f(x0 + (int64_t)k);
    fit_size fs;
    bool ok = fit_line(v, n, x0, &fs);
    free(v);
    if (!ok) fail_msg("no form found");
    for (int64_t x = x0; x <= until; x++) {
        int64_t got;
        assert_true(fit_eval(&fs, &x, &got));
        if (got != f(x)) fail_msg("at %lld: the form gives %lld, the layers %lld", (long long)x, (long long)got,
                                  (long long)f(x));
    }
    return fs;
}

static int64_t lenet(int64_t x) { return pool_out(pool_out(x - 4, 2, 2, 0, 1, false) - 4, 2, 2, 0, 1, false); }

static void floor_maps_compose_into_one(void **state)
{
    fit_size f = fit_and_extend(lenet, 16, 96, 5000);
    assert_int_equal(f.c, 1);
    assert_int_equal(f.e, 0);
    assert_int_equal(f.ax[0].m, 1);
    assert_int_equal(f.ax[0].b, -12);
    assert_int_equal(f.ax[0].p, 4);
}

/* kernel 3, stride 2, padding 1, ceil_mode, twice: the last-window rule
 * is a min of two floors with one stride, so one floor again */
static int64_t ceil_pools(int64_t x) { return pool_out(pool_out(x, 3, 2, 1, 1, true), 3, 2, 1, 1, true); }
static int64_t ceil_no_pad(int64_t x) { return pool_out(pool_out(x, 3, 2, 0, 1, true), 2, 2, 0, 1, true); }

static void ceil_mode_pools_have_a_floor_form(void **state)
{
    fit_size f = fit_and_extend(ceil_pools, 1, 96, 5000);
    assert_int_equal(f.ax[0].p, 4);
    fit_and_extend(ceil_no_pad, 3, 96, 5000);
}

/* dilation 2, kernel 3, stride 3: floor((x - 5) / 3) + 1 */
static int64_t dilated(int64_t x) { return pool_out(x, 3, 3, 0, 2, false); }
/* a 2x upsampling after a pool: 2 * floor(x / 2), no single floor */
static int64_t pool_up(int64_t x) { return 2 * pool_out(x, 2, 2, 0, 1, false); }
/* ConvTranspose2d(k=3, s=2, p=1, output_padding=1): (x - 1)*2 - 2 + 2 + 1 + 1 = 2x */
static int64_t transposed(int64_t x) { return (x - 1) * 2 - 2 * 1 + 1 * (3 - 1) + 1 + 1; }
/* floor(x * 1.5): a float scale that is a short fraction */
static int64_t scaled(int64_t x) { return (int64_t)((double)x * 1.5); }

static void dilation_upsampling_transpose_and_scale(void **state)
{
    fit_size f = fit_and_extend(dilated, 5, 96, 3000);
    assert_int_equal(f.ax[0].p, 3);
    assert_int_equal(f.ax[0].b, -2);
    f = fit_and_extend(pool_up, 2, 96, 3000);
    assert_int_equal(f.c, 2);
    assert_int_equal(f.ax[0].p, 2);
    f = fit_and_extend(transposed, 1, 96, 3000);
    assert_int_equal(f.c, 2);
    assert_int_equal(f.ax[0].p, 1);
    f = fit_and_extend(scaled, 1, 96, 3000);
    assert_int_equal(f.ax[0].m, 3);
    assert_int_equal(f.ax[0].p, 2);
}

/* a pool, a 3x upsampling, a pool: floor((3*floor(x / 2) + 1) / 4) steps
 * unevenly within its period of 8 (0 0 1 1 1 1 2 2 | 3 3 4 ...), and no
 * single floor gives it */
static int64_t up_between_pools(int64_t x) { return fit_div(3 * fit_div(x, 2) + 1, 4); }

static void nested_floors_are_a_sum_of_floors(void **state)
{
    fit_size f = fit_and_extend(up_between_pools, 0, 96, 5000);
    assert_int_equal(f.ax[0].p, 8);
    assert_true(f.ax[0].terms >= 2);
}

static void sizes_of_no_floor_form_are_refused(void **state)
{
    int64_t v[96];
    fit_size f;
    for (int k = 0; k < 96; k++) v[k] = (int64_t)k * k;
    assert_false(fit_line(v, 96, 0, &f));           /* grows faster than any floor */
    for (int k = 0; k < 96; k++) v[k] = k % 3 ? 4 : 5;
    assert_false(fit_line(v, 96, 0, &f));           /* periodic, never grows */
    for (int k = 0; k < 96; k++) v[k] = k / 40;
    assert_false(fit_line(v, 96, 0, &f));           /* a period the samples do not hold thrice */
    for (int k = 0; k < 96; k++) v[k] = 7;
    assert_true(fit_line(v, 96, 0, &f));
    int64_t x = 1000, got;
    assert_true(fit_eval(&f, &x, &got));
    assert_int_equal(got, 7);
    assert_false(fit_line(v, 0, 0, &f));
}

/* ---- whole nets --------------------------------------------------------- */

typedef struct parsed {
    probe_formula *f;
    json_value *json;
    const char *in, *domain;    /* NULL when null */
    const char *left_out;       /* sizes that may run outside the domain; NULL: none */
    const json_value *pieces;   /* [{"in_features", "domain"}] or NULL */
} parsed;

static parsed formula_of(probe_net *net, const probe_options *opt)
{
    parsed p;
    p.f = probe_formula_new(net, opt);
    assert_non_null(p.f);
    char *text = probe_formula_json(p.f), err[128];
    assert_non_null(text);
    p.json = json_parse(text, strlen(text), err, sizeof err);
    if (!p.json) fail_msg("%s: %s", err, text);
    free(text);
    p.in = json_string(json_get(p.json, "in_features"), NULL);
    p.domain = json_string(json_get(p.json, "domain"), NULL);
    p.left_out = json_string(json_get(p.json, "left_out"), NULL);
    p.pieces = json_get(p.json, "pieces");
    return p;
}

static void parsed_free(parsed *p)
{
    json_free(p->json);
    probe_formula_free(p->f);
}

static probe_net *net_of(void **state, const char *name, const char *text)
{
    probe_net *net = probe_net_parse(*state, name, text, strlen(text));
    assert_non_null(net);
    return net;
}

static void expect(void **state, const char *text, const char *in, const char *domain)
{
    probe_net *net = net_of(state, "t.cfg", text);
    probe_options opt = probe_options_default();
    parsed p = formula_of(net, &opt);
    if (!p.in || strcmp(p.in, in)) fail_msg("in_features %s, expected %s", p.in ? p.in : "null", in);
    if (!p.domain || strcmp(p.domain, domain)) fail_msg("domain %s, expected %s", p.domain ? p.domain : "null", domain);
    parsed_free(&p);
    probe_net_free(net);
}

static void the_issue_nets(void **state)
{
    expect(state,
           "input: 1x32x32\nnn.Conv2d(1, 6, 5)\nnn.MaxPool2d(2)\nnn.Conv2d(6, 16, 5)\nnn.MaxPool2d(2)\n"
           "nn.Flatten()\nnn.Linear(400, 120)\n",
           "16*((H-12)//4)*((W-12)//4)", "H >= 16 and W >= 16");
    expect(state,
           "nn.Conv2d(128, 256, 3, padding=1)\nnn.ReLU()\nnn.Conv2d(256, 256, 3, padding=1)\n"
           "nn.MaxPool2d(2, 2)\nnn.Linear(4096, 1024)\n",
           "256*(H//2)*(W//2)", "H >= 2 and W >= 2");
    /* an adaptive pool: a constant from the smallest size that runs */
    expect(state, "nn.Conv2d(3, 8, 11, stride=4)\nnn.AdaptiveAvgPool2d(6)\nnn.Flatten()\nnn.Linear(288, 10)\n", "288",
           "H >= 11 and W >= 11");
}

static void each_layer_has_its_form(void **state)
{
    /* ceil_mode, an upsampling, a transposed conv, dilation, a non-square kernel */
    expect(state, "input: 3x40x40\nnn.MaxPool2d(3, 2, ceil_mode=True)\nnn.Upsample(scale_factor=2)\nnn.Linear(120, 5)\n",
           "12*(H//2)*(W//2)", "H >= 2 and W >= 2");
    expect(state,
           "input: 3x40x40\nnn.MaxPool2d(2, ceil_mode=True)\n"
           "nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)\n"
           "nn.Conv2d(4, 4, (3, 5), dilation=2)\nnn.Linear(120, 5)\n",
           "16*((H-3)//2)*((W-7)//2)", "H >= 5 and W >= 9");
}


static void domains_that_are_not_one_box(void **state)
{
    /* PixelUnshuffle wants even sizes: one in two runs */
    expect(state, "input: 3x16x16\nnn.PixelUnshuffle(2)\nnn.Conv2d(12, 8, 3)\nnn.Flatten()\nnn.Linear(10, 5)\n",
           "2*(H-4)*(W-4)", "H >= 6 and W >= 6 and H//2*2 == H and W//2*2 == W");
    const char *text = "input: 3x16x16\nnn.PixelUnshuffle(2)\nnn.Conv2d(12, 8, 3)\nnn.Flatten()\nnn.Linear(10, 5)\n";
    probe_net *net = net_of(state, "t.cfg", text);
    probe_options opt = probe_options_default();
    probe_formula *f = probe_formula_new(net, &opt);
    int64_t at[3] = { 16, 20, 0 }, odd[3] = { 16, 21, 0 }, small[3] = { 4, 20, 0 }, v = 0;
    assert_int_equal(probe_formula_in_features(f, at, &v), 1);
    assert_int_equal(v, 8 * 6 * 8);
    assert_int_equal(probe_formula_in_features(f, odd, &v), 0);
    assert_int_equal(probe_formula_in_features(f, small, &v), 0);
    probe_formula_free(f);
    probe_net_free(net);
    /* InstanceNorm wants more than one element: H and W may not both be
     * at their least */
    expect(state, "input: 3x16x16\nnn.Conv2d(3, 8, 3, stride=3)\nnn.InstanceNorm2d(8)\nnn.Flatten()\nnn.Linear(10, 5)\n",
           "8*(H//3)*(W//3)", "H >= 3 and W >= 6 or H >= 6 and W >= 3");
}

/* Conditions as Python reads them: chained comparisons, %, `in` a tuple,
 * `not`, `and` before `or`. */
static void conditions_read_as_python_reads_them(void **state)
{
    (void)state;
    static const struct { const char *cond; int64_t h; bool holds; } cases[] = {
        { "32 <= H <= 35", 35, true },      { "32 <= H <= 35", 36, false },  { "H == 224 and W == 224", 224, true },
        { "H % 4 in (0, 3)", 7, true },     { "H % 4 in (0, 3)", 9, false }, { "H % 6 in (1,)", 13, true },
        { "not H % 2 == 0", 3, true },      { "H < 0 or H >= 7 and H % 4 == 3", 11, true },
        { "(H-3)//8*8 == H-3", 19, true },  { "-7 % 4 == 1", 0, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t x[2] = { cases[i].h, cases[i].h };
        bool ok;
        if (pyx_cond(cases[i].cond, "HW", x, &ok) != cases[i].holds || !ok)
            fail_msg("%s at H = %lld", cases[i].cond, (long long)cases[i].h);
    }
    bool ok;
    int64_t x[2] = { 1, 1 };
    pyx_cond("H in (1)", "HW", x, &ok);     /* not a tuple */
    assert_false(ok);
    pyx_cond("H % 0 == 1", "HW", x, &ok);
    assert_false(ok);
}

/* Sizes that run at several residues of a period, and a net that runs at
 * one size only: the domain says so, and the formula holds there. */
static void domains_of_residues_and_of_one_size(void **state)
{
    /* a stride-3 conv before a PixelUnshuffle(2): 1..3 of each 6 run, and
     * one formula holds over them */
    expect(state,
           "input: 128x32x32\nnn.Conv2d(128, 16, 4, stride=3, padding=3, groups=4)\nnn.PixelUnshuffle(2)\n"
           "nn.Upsample(scale_factor=2)\nnn.Flatten()\nnn.Linear(10, 64)\n",
           "256*((H+5)//6)*((W+5)//6)", "H >= 1 and W >= 1 and H % 6 in (1, 2, 3) and W % 6 in (1, 2, 3)");
    /* an Unflatten to a fixed shape: 8x8 and no other size */
    expect(state, "input: 3x8x8\nnn.Conv2d(3, 8, 3)\nnn.Flatten()\nnn.Unflatten(1, (8, 6, 6))\nnn.Flatten()\nnn.Linear(288, 10)\n",
           "288", "H == 8 and W == 8");
}

static void nets_without_a_formula_say_why(void **state)
{
    static const char *const nets[] = {
        "nn.Conv2d(3, 8, 3)\nnn.Frobnicate()\n",                       /* invalid */
        "input: 3x16x16\nnn.Conv2d(3, 8, 5000)\nnn.Linear(10, 5)\n",    /* never runs */
    };
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        probe_net *net = net_of(state, "t.cfg", nets[i]);
        probe_options opt = probe_options_default();
        parsed p = formula_of(net, &opt);
        assert_null(p.in);
        assert_null(p.domain);
        assert_non_null(probe_formula_why(p.f));
        assert_non_null(json_string(json_get(p.json, "why"), NULL));
        char *text = probe_formula_text(p.f);
        assert_non_null(strstr(text, "no formula: "));
        free(text);
        int64_t sizes[3] = { 32, 32, 32 }, v = -7;
        assert_int_equal(probe_formula_in_features(p.f, sizes, &v), 0);
        assert_int_equal(v, -7);
        parsed_free(&p);
        probe_net_free(net);
    }
    probe_formula_free(NULL);
}
/* ---- every corpus net: the formula read back agrees with the runs ------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n + 4096 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *b = realloc(buf, cap);
            assert_non_null(b);
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
    } while (got);
    fclose(fp);
    *len = n;
    return buf;
}

/* The nets checked so far, by their text: the zoo's and the model files'
 * cases are one net at several sizes, the same file each time. */
typedef struct tally {
    int nets, with, none, sizes, rows, same;
    int residues, bounded, pieces, left_out;    /* nets of each domain beyond a box */
    char **seen;
    size_t nseen;
} tally;

static bool seen_before(tally *t, const char *text, size_t len)
{
    for (size_t i = 0; i < t->nseen; i++)
        if (strlen(t->seen[i]) == len && !memcmp(t->seen[i], text, len)) return true;
    char **s = realloc(t->seen, (t->nseen + 1) * sizeof *s);
    assert_non_null(s);
    t->seen = s;
    assert_non_null(t->seen[t->nseen] = strndup(text, len));
    t->nseen++;
    return false;
}

static const char *axis_names(int rank) { return rank == 1 ? "L" : rank == 3 ? "DHW" : "HW"; }

static probe_options options_at(int rank, const int64_t *x)
{
    probe_options o = probe_options_default();
    o.rank = rank;
    if (rank == 1) o.w = x[0];
    else if (rank == 2) { o.h = x[0]; o.w = x[1]; }
    else { o.d = x[0]; o.h = x[1]; o.w = x[2]; }
    return o;
}

/* Each layer's output, as the formula writes it, against a full run. */
static int rows_agree(const char *path, const probe_net *net, const json_value *layers, int rank, const int64_t *x)
{
    probe_options o = options_at(rank, x);
    probe_result *res = probe_run(net, &o);
    assert_non_null(res);
    if (res->rows.len != json_len(layers))
        fail_msg("%s: %zu layer calls, the formula has %zu", path, res->rows.len, json_len(layers));
    for (size_t i = 0; i < res->rows.len; i++) {
        const json_value *out = json_get(json_item(layers, i), "output");
        const probe_tensor *t = exec_row_out(res, i);
        if (json_kind_of(out) == JSON_NULL) continue;
        assert_int_equal(json_len(out), t->ndim);
        for (int d = 0; d < t->ndim; d++) {
            bool ok;
            const char *e = json_string(json_item(out, (size_t)d), NULL);
            assert_non_null(e);
            int64_t v = pyx_int(e, axis_names(rank), x, &ok);
            assert_true(ok);
            if (v != t->dim[d])
                fail_msg("%s row %zu dim %d at %lld,%lld: %s gives %lld, the run %lld", path, i, d, (long long)x[0],
                         (long long)x[rank - 1], e, (long long)v, (long long)t->dim[d]);
        }
    }
    probe_result_free(res);
    return 1;
}

/* Whether a run at o ends with an output (a mismatch is repaired and the
 * run goes on; too_small and error stop it), and its in_features. */
static bool runs_to_the_end(const probe_net *net, const probe_options *o, int64_t *in_features)
{
    probe_result res;
    exec_init(&res, net, o);
    res.quick = true;
    exec_run(&res);
    bool ran = res.has_output;
    if (in_features) *in_features = res.in_features;
    exec_release(&res);
    return ran;
}

static void agrees_with(const char *path, const char *in, int64_t want, int64_t have, const int64_t *x)
{
    if (want != have)
        fail_msg("%s at %lld,%lld,%lld: the formula %s gives %lld, the run %lld", path, (long long)x[0],
                 (long long)x[1], (long long)x[2], in, (long long)want, (long long)have);
}

/* The piece whose domain holds x: exactly one does. */
static const char *piece_for(const char *path, const parsed *p, int rank, const int64_t *x)
{
    const char *in = NULL;
    for (size_t i = 0; i < json_len(p->pieces); i++) {
        const json_value *pc = json_item(p->pieces, i);
        bool ok;
        if (!pyx_cond(json_string(json_get(pc, "domain"), NULL), axis_names(rank), x, &ok)) continue;
        assert_true(ok);
        if (in) fail_msg("%s at %lld,%lld: in two pieces", path, (long long)x[0], (long long)x[rank - 1]);
        in = json_string(json_get(pc, "in_features"), NULL);
    }
    if (!in) fail_msg("%s at %lld,%lld: inside the domain %s, in no piece", path, (long long)x[0], (long long)x[rank - 1], p->domain);
    return in;
}

/* At size x (inside the domain): in_features as the run says it. */
static void agrees_at(const char *path, const probe_net *net, const parsed *p, int rank, const int64_t *x)
{
    probe_options o = options_at(rank, x);
    int64_t have = -2, want;
    bool ok = true;
    if (!runs_to_the_end(net, &o, &have))
        fail_msg("%s at %lldx%lld: inside the domain %s, the run stops", path, (long long)x[0],
                 (long long)x[rank - 1], p->domain);
    if (p->pieces) {
        const char *in = piece_for(path, p, rank, x);
        want = pyx_int(in, axis_names(rank), x, &ok);
        assert_true(ok);
        agrees_with(path, in, want, have, x);
        return;
    }
    if (!p->in) {
        if (have != -1) fail_msg("%s: no in_features formula, but the run reaches a Linear", path);
        return;
    }
    want = pyx_int(p->in, axis_names(rank), x, &ok);
    assert_true(ok);
    agrees_with(path, p->in, want, have, x);
}

/* Along axis a (FIT_AXES: all of them) from 1 to top, the others at
 * `held`: inside the domain the formula is the run's; at the size just
 * below where the domain starts, the net does not run (the domain starts
 * at the smallest size that runs, not later). */
static void along(const char *path, const probe_net *net, const parsed *p, int rank, int a, int64_t held,
                  int64_t top, tally *t)
{
    const char *names = axis_names(rank);
    for (int64_t v = 1; v <= top; v++) {
        int64_t x[3] = { held, held, held }, next[3];
        bool ok;
        if (a == FIT_AXES) x[0] = x[1] = x[2] = v;
        else x[a] = v;
        memcpy(next, x, sizeof x);
        for (int k = 0; k < 3; k++) next[k] += (a == FIT_AXES || a == k);
        if (pyx_cond(p->domain, names, x, &ok)) {
            agrees_at(path, net, p, rank, x);
            t->sizes++;
        } else if (pyx_cond(p->domain, names, next, &ok) && !(p->left_out && pyx_cond(p->left_out, names, x, &ok))) {
            probe_options o = options_at(rank, x);
            if (runs_to_the_end(net, &o, NULL))
                fail_msg("%s: the domain %s leaves out %lld, where the net runs", path, p->domain, (long long)v);
        }
        assert_true(ok);
    }
}

/* Which of the domains beyond a box (and a single residue) f has. */
static void count_forms(const probe_formula *f, tally *t)
{
    bool residues = false, bounded = false, left_out = false;
    for (int a = 0; a < f->rank; a++) {
        residues = residues || (f->runs[a] & (f->runs[a] - 1));
        bounded = bounded || f->hi[a];
        left_out = left_out || f->left_out[a];
    }
    t->residues += residues;
    t->bounded += bounded;
    t->left_out += left_out;
    t->pieces += f->npieces > 0;
}

static void check_net(void **state, const char *path, tally *t)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    assert_non_null(text);
    if (seen_before(t, text, len)) {
        t->same++;
        free(text);
        return;
    }
    probe_net *net = probe_net_parse(*state, path, text, len);
    free(text);
    assert_non_null(net);
    probe_options opt = probe_options_default();
    parsed p = formula_of(net, &opt);
    int rank = probe_net_rank(net);
    t->nets++;
    if (!p.domain) {
        const char *why = json_string(json_get(p.json, "why"), NULL);
        if (!why || !*why || !probe_formula_why(p.f)) fail_msg("%s: no formula and no reason", path);
        t->none++;
    } else {
        t->with++;
        count_forms(p.f, t);
        int64_t s0 = 0, x[3];
        bool ok = true;
        for (int64_t s = 1; !s0 && s <= 1000000; s++) {
            x[0] = x[1] = x[2] = s;
            if (pyx_cond(p.domain, axis_names(rank), x, &ok)) s0 = s;
            assert_true(ok);
        }
        assert_true(s0 > 0);
        int64_t range = rank == 1 ? 600 : rank == 3 ? 10 : 40;
        along(path, net, &p, rank, FIT_AXES, 0, s0 + range, t);
        /* the others held at a square inside the domain, a little past its start */
        int64_t held = s0 + 3;
        for (x[0] = x[1] = x[2] = held; held <= s0 + range && !pyx_cond(p.domain, axis_names(rank), x, &ok);
             x[0] = x[1] = x[2] = ++held) {}
        if (held > s0 + range) held = s0;   /* a domain of one size */
        for (int a = 0; rank > 1 && a < rank; a++) along(path, net, &p, rank, a, held, s0 + range, t);
        const json_value *layers = json_get(p.json, "layers");
        for (int64_t s = s0; json_len(layers) && s <= s0 + range; s += range / 3) {
            x[0] = x[1] = x[2] = s;
            if (pyx_cond(p.domain, axis_names(rank), x, &ok)) t->rows += rows_agree(path, net, layers, rank, x);
        }
    }
    parsed_free(&p);
    probe_net_free(net);
}

static void check_dir(void **state, const char *dirname, const char *ext, tally *t)
{
    DIR *dir = opendir(dirname);
    if (!dir) fail_msg("cannot open %s (run from the repository root)", dirname);
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name), m = strlen(ext);
        if (n <= m || strcmp(e->d_name + n - m, ext)) continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dirname, e->d_name);
        check_net(state, path, t);
    }
    closedir(dir);
}

/* A forward() that doubles the channels at one residue of the three that
 * run: no one formula, one a residue, each read back from the JSON and
 * compared with the runs. */
static void a_piecewise_answer_has_a_formula_for_each_residue(void **state)
{
    static const char text[] =
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 1, stride=(3, 1))\n"
        "        self.unshuffle = nn.PixelUnshuffle(2)\n        self.fc = nn.Linear(128, 10)\n\n"
        "    def forward(self, x):\n        h = x.shape[2]\n        x = self.unshuffle(self.conv(x))\n"
        "        if h % 6 == 4:\n            x = torch.cat([x, x], 1)\n        return self.fc(torch.flatten(x, 1))\n";
    probe_net *net = net_of(state, "t.py", text);
    probe_options opt = probe_options_default();
    parsed p = formula_of(net, &opt);
    assert_null(p.in);
    assert_non_null(p.domain);
    assert_string_equal(p.domain, "H >= 4 and W >= 2 and H % 6 in (0, 4, 5) and W//2*2 == W");
    assert_int_equal(json_len(p.pieces), 3);
    assert_string_equal(json_string(json_get(json_item(p.pieces, 0), "domain"), NULL),
                        "H >= 4 and H % 6 == 4 and W >= 2 and W % 2 == 0");
    int sizes = 0;
    for (int64_t h = 1; h <= 40; h++)
        for (int64_t w = 1; w <= 12; w++) {
            int64_t x[3] = { h, w, 0 }, v;
            bool ok;
            if (!pyx_cond(p.domain, "HW", x, &ok)) continue;
            agrees_at("t.py", net, &p, 2, x);
            assert_int_equal(probe_formula_in_features(p.f, x, &v), 1);
            sizes++;
        }
    assert_int_equal(sizes, 19 * 6);    /* H 4..6, 10..12, ..., 34..36, 40; W even */
    char *t = probe_formula_text(p.f);
    assert_non_null(strstr(t, "a formula for each residue"));
    free(t);
    parsed_free(&p);
    probe_net_free(net);
}

static void the_formula_agrees_with_the_runs_on_every_corpus_net(void **state)
{
    static const struct { const char *dir, *ext; } sets[] = {
        { "probes", ".cfg" }, { "probes", ".py" }, { "tests/corpus/classic", ".cfg" },
        { "tests/corpus/repr", ".cfg" }, { "tests/corpus/random", ".cfg" }, { "tests/corpus/nd", ".cfg" },
        { "tests/corpus/zoo", ".cfg" }, { "tests/corpus/python", ".py" },
    };
    tally t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) check_dir(state, sets[i].dir, sets[i].ext, &t);
    print_message("%d nets (%d files the same as one before): %d with a formula, checked at %d sizes and each layer at "
                  "%d; %d without\n", t.nets, t.same, t.with, t.sizes, t.rows, t.none);
    print_message("domains: %d of several residues, %d bounded, %d piecewise, %d leaving a transient out\n", t.residues,
                  t.bounded, t.pieces, t.left_out);
    assert_int_equal(t.nets + t.same, 1052);
    /* each form is read back and checked above on some corpus net */
    assert_true(t.residues > 0 && t.bounded > 0 && t.left_out > 0);
    for (size_t i = 0; i < t.nseen; i++) free(t.seen[i]);
    free(t.seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(floor_maps_compose_into_one),
        cmocka_unit_test(ceil_mode_pools_have_a_floor_form),
        cmocka_unit_test(dilation_upsampling_transpose_and_scale),
        cmocka_unit_test(nested_floors_are_a_sum_of_floors),
        cmocka_unit_test(sizes_of_no_floor_form_are_refused),
        cmocka_unit_test(the_issue_nets),
        cmocka_unit_test(each_layer_has_its_form),
        cmocka_unit_test(domains_that_are_not_one_box),
        cmocka_unit_test(conditions_read_as_python_reads_them),
        cmocka_unit_test(domains_of_residues_and_of_one_size),
        cmocka_unit_test(nets_without_a_formula_say_why),
        cmocka_unit_test(a_piecewise_answer_has_a_formula_for_each_residue),
        cmocka_unit_test(the_formula_agrees_with_the_runs_on_every_corpus_net),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
