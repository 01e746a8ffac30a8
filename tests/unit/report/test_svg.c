/* test_svg.c - the pictures (probe_result_svg, probe_sweep_svg): each is
 * well-formed XML (a small checker below: tags balanced, attributes
 * quoted, entities known, UTF-8 valid, no control bytes), text from the
 * file escaped whatever its bytes, the repaired size and the error marked
 * in words, a residual model file drawn with its join, and the picture
 * bounded for a net of a hundred thousand layers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"
#include "report/svg.h"

/* ---- a small XML checker ------------------------------------------------------ */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.';
}

/* An entity at s ('&'): its length, 0 when not one XML knows. */
static size_t entity(const char *s)
{
    static const char *const known[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
    for (size_t k = 0; k < 5; k++)
        if (!strncmp(s, known[k], strlen(known[k]))) return strlen(known[k]);
    if (s[1] != '#') return 0;
    size_t i = 2;
    while (s[i] >= '0' && s[i] <= '9') i++;
    return i > 2 && s[i] == ';' ? i + 1 : 0;
}

/* Character data up to the next '<': entities valid, no '>' needed. */
static const char *text_run(const char *p, const char *why[])
{
    for (; *p && *p != '<'; p++)
        if (*p == '&' && !entity(p)) { *why = "a bare &"; return NULL; }
    return p;
}

/* A start or end tag at p ('<'), pushed on or popped off the stack. */
static const char *tag(const char *p, char stack[][32], int *depth, const char *why[])
{
    bool end = p[1] == '/';
    const char *n = p + 1 + end;
    size_t len = 0;
    while (name_char(n[len])) len++;
    if (!len || len >= 32) { *why = "a bad tag name"; return NULL; }
    p = n + len;
    if (end) {
        if (!*depth || strncmp(stack[*depth - 1], n, len) || stack[*depth - 1][len]) { *why = "an unbalanced end tag"; return NULL; }
        (*depth)--;
        while (*p == ' ') p++;
        if (*p != '>') { *why = "junk in an end tag"; return NULL; }
        return p + 1;
    }
    for (;;) {
        while (*p == ' ' || *p == '\n') p++;
        if (*p == '>' || (p[0] == '/' && p[1] == '>')) break;
        size_t a = 0;
        while (name_char(p[a])) a++;
        if (!a || p[a] != '=' || (p[a + 1] != '"' && p[a + 1] != '\'')) { *why = "an unquoted attribute"; return NULL; }
        char q = p[a + 1];
        p += a + 2;
        for (; *p && *p != q; p++) {
            if (*p == '<') { *why = "a < in an attribute"; return NULL; }
            if (*p == '&' && !entity(p)) { *why = "a bare & in an attribute"; return NULL; }
        }
        if (!*p) { *why = "an attribute without its end"; return NULL; }
        p++;
    }
    if (*p == '/') return p + 2;
    if (*depth >= 64) { *why = "too deep"; return NULL; }
    memcpy(stack[*depth], n, len);
    stack[(*depth)++][len] = '\0';
    return p + 1;
}

/* NULL when doc is well-formed XML with one root, else why not. */
static const char *xml_fault(const char *doc)
{
    for (const unsigned char *u = (const unsigned char *)doc; *u; u++) {
        if (*u < 0x20 && *u != '\n' && *u != '\t' && *u != '\r') return "a control byte";
        if (*u >= 0x80) {
            size_t len = util_utf8_len((const char *)u, strlen((const char *)u));
            if (!len) return "bytes that are not UTF-8";
            u += len - 1;
        }
    }
    if (strncmp(doc, "<?xml ", 6)) return "no XML declaration";
    const char *p = strstr(doc, "?>"), *why = NULL;
    char stack[64][32];
    int depth = 0, roots = 0;
    for (p += 2; p && *p;) {
        if (*p != '<') { p = text_run(p, &why); continue; }
        if (!strncmp(p, "<!--", 4)) { p = strstr(p, "-->"); p = p ? p + 3 : NULL; continue; }
        if (!depth && p[1] != '/') roots++;
        p = tag(p, stack, &depth, &why);
    }
    if (why) return why;
    if (depth) return "an element not closed";
    return roots == 1 ? NULL : "not one root element";
}

static void expect_xml(const char *doc)
{
    assert_non_null(doc);
    const char *why = xml_fault(doc);
    if (why) print_error("not well-formed: %s\n", why);
    assert_null(why);
    assert_non_null(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""));
    assert_non_null(strstr(doc, "viewBox=\"0 0 "));
    assert_non_null(strstr(doc, "<title id=\"title\">"));
    assert_non_null(strstr(doc, "<desc id=\"desc\">"));
    assert_null(strstr(doc, "<script"));
    assert_null(strstr(doc, "href"));
}

static void the_checker_finds_faults(void **state)
{
    (void)state;
    assert_null(xml_fault("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t &amp; u</a>\n"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a><b></a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a x=1></a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a>&nbsp;</a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a>x & y</a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a x=\"<\"></a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a>\x01</a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a>\xff</a>"));
    assert_non_null(xml_fault("<?xml version=\"1.0\"?>\n<a></a><b></b>"));
}

/* ---- the pictures ----------------------------------------------------------------- */

typedef struct drawn {
    probe_net *net;
    probe_result *res;
    char *svg;
} drawn;

static drawn draw(void **state, const char *name, const char *text, size_t len, int64_t hw)
{
    drawn d;
    d.net = probe_net_parse(*state, name, text, len);
    assert_non_null(d.net);
    probe_options opt = probe_options_default();
    opt.h = opt.w = hw;
    d.res = probe_run(d.net, &opt);
    assert_non_null(d.res);
    d.svg = probe_result_svg(d.res);
    expect_xml(d.svg);
    return d;
}

static void drawn_free(drawn *d)
{
    free(d->svg);
    probe_result_free(d->res);
    probe_net_free(d->net);
}

static int count_of(const char *text, const char *part)
{
    int n = 0;
    for (const char *p = strstr(text, part); p; p = strstr(p + 1, part)) n++;
    return n;
}

/* The forum's net at 32x32: the Linear repaired, said in words. */
static void the_repaired_size_is_marked(void **state)
{
    const char *cfg = "input: 128x32x32\nnn.Conv2d(128, 256, 3, padding=1)\nnn.MaxPool2d(2, 2)\nnn.Linear(4096, 1024)\n";
    drawn d = draw(state, "forum.cfg", cfg, strlen(cfg), 0);
    assert_non_null(strstr(d.svg, "\xe2\x9c\x8e in_features 4096 \xe2\x86\x92 65536"));
    assert_non_null(strstr(d.svg, "verdict: <tspan font-weight=\"bold\" fill=\"#b3261e\">mismatch</tspan>"));
    assert_non_null(strstr(d.svg, "[1, 256, 16, 16]"));
    assert_non_null(strstr(d.svg, "flatten (implicit"));
    /* the input and 4 rows (the flatten included): a chain of 4 arrows */
    assert_int_equal(count_of(d.svg, "<g><title>"), 5);
    assert_int_equal(count_of(d.svg, "marker-end=\"url(#arrow)\""), 4);
    drawn_free(&d);
}

/* The pool the input is too small for: a box of its own, kind, layer,
 * line and PyTorch's message in words, not colour alone. */
static void the_error_is_marked(void **state)
{
    const char *cfg = "input: 3x4x4\nnn.Conv2d(3, 8, 3)\nnn.MaxPool2d(4)\n";
    drawn d = draw(state, "small.cfg", cfg, strlen(cfg), 0);
    assert_int_equal(probe_result_status(d.res), PROBE_TOO_SMALL);
    assert_non_null(strstr(d.svg, "\xe2\x9c\x96 too_small: MaxPool2d at line 3"));
    assert_non_null(strstr(d.svg, "Output size is too small"));
    assert_int_equal(count_of(d.svg, "marker-end=\"url(#arrow)\""), 2);
    drawn_free(&d);
}

/* Bytes a file's name may hold: escaped, replaced; any text cut. */
static void hostile_text_is_escaped(void **state)
{
    const char name[] = "a<b>&\"c'\x01\x7f\xff\xc3(\xef\xbf\xbe.cfg";
    const char *cfg = "(conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n";
    drawn d = draw(state, name, cfg, strlen(cfg), 8);
    assert_non_null(strstr(d.svg, "a&lt;b&gt;&amp;&quot;c&#39;\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"));
    drawn_free(&d);
    sb out;
    sb_init(&out);
    svg_put_text(&out, "<&>\t\n\x80z", 7, 0);
    sb_putc(&out, '\0');
    assert_string_equal(out.buf, "&lt;&amp;&gt;  \xef\xbf\xbdz");
    out.len = 0;
    svg_put_str(&out, "abcdef", 4);
    sb_putc(&out, '\0');
    assert_string_equal(out.buf, "abc\xe2\x80\xa6");
    sb_free(&out);
}

/* A residual block of a model file: the add is a node with two inputs,
 * the shortcut an arc; the view passes the add on to the Linear. */
static void a_residual_model_file_is_a_graph(void **state)
{
    const char *py =
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = nn.Conv2d(3, 8,  # <&'\"> \xc3\xa9\n"
        "                           3, padding=1)\n"
        "        self.b = nn.Conv2d(8, 8, 3, padding=1)\n"
        "        self.fc = nn.Linear(8 * 4 * 4, 10)\n"
        "    def forward(self, x):\n"
        "        y = self.a(x)\n"
        "        z = self.b(y) + y\n"
        "        return self.fc(z.view(z.size(0), -1))\n";
    drawn d = draw(state, "res.py", py, strlen(py), 4);
    assert_int_equal(probe_result_status(d.res), PROBE_OK);
    assert_non_null(strstr(d.svg, "<title>add of 2 tensors</title>"));
    /* input->a, a->b, b->add (next cells), add->fc: arrows; a->add: the arc */
    assert_int_equal(count_of(d.svg, "marker-end=\"url(#arrow)\""), 4);
    assert_int_equal(count_of(d.svg, "marker-end=\"url(#arrowj)\""), 1);
    assert_non_null(strstr(d.svg, "self.b -&gt; nn.Conv2d"));
    /* the call as written, a comment in it included: escaped */
    assert_non_null(strstr(d.svg, "<title>self.a -&gt; nn.Conv2d(3, 8, # &lt;&amp;&#39;&quot;&gt; \xc3\xa9 3, padding=1)</title>"));
    drawn_free(&d);
}

/* A hundred thousand layers: the first PROBE_SVG_MAX_NODES are drawn,
 * the rest counted; the picture stays small. */
static void a_huge_net_is_bounded(void **state)
{
    size_t layers = 100000;
    sb cfg;
    sb_init(&cfg);
    sb_puts(&cfg, "input: 4x8x8\n");
    for (size_t i = 0; i < layers; i++) sb_puts(&cfg, "nn.ReLU()\n");
    drawn d = draw(state, "huge.cfg", cfg.buf, cfg.len, 0);
    assert_int_equal(count_of(d.svg, "<g><title>"), PROBE_SVG_MAX_NODES);
    assert_non_null(strstr(d.svg, "\xe2\x80\xa6 and 99,401 more calls not drawn"));
    assert_true(strlen(d.svg) < 1000 * PROBE_SVG_MAX_NODES);
    drawn_free(&d);
    sb_free(&cfg);
}

/* The sweep's chart: axes, bands and a legend in words; bounded for a
 * million runs. */
static void the_sweep_chart(void **state)
{
    (void)state;
    const probe_sweep_run runs[] = {
        { 1, 7, PROBE_TOO_SMALL, -1 }, { 8, 9, PROBE_OK, 4096 }, { 10, 11, PROBE_MISMATCH, 6400 },
        { 12, 13, PROBE_MISMATCH, 9216 },
    };
    char *svg = probe_sweep_svg("f<&>.cfg", 2, runs, 4);
    expect_xml(svg);
    assert_non_null(strstr(svg, "f&lt;&amp;&gt;.cfg: in_features against the input size"));
    assert_non_null(strstr(svg, "input size S (a square S x S)"));
    assert_non_null(strstr(svg, "in_features of the first Linear"));
    assert_non_null(strstr(svg, "<tspan font-weight=\"bold\">ok</tspan>: 8x8 to 9x9"));
    assert_non_null(strstr(svg, "<tspan font-weight=\"bold\">too_small</tspan>: 1x1 to 7x7"));
    assert_non_null(strstr(svg, "<tspan font-weight=\"bold\">mismatch</tspan>: 10x10 to 13x13"));
    assert_int_equal(count_of(svg, "<path fill=\"none\" stroke=\"#1f4e79\""), 1);
    free(svg);
    assert_null(probe_sweep_svg("x", 2, runs, 0));
    size_t n = 1000000;
    probe_sweep_run *many = malloc(n * sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i < n; i++)
        many[i] = (probe_sweep_run){ (int64_t)i + 1, (int64_t)i + 1, i % 2 ? PROBE_OK : PROBE_MISMATCH, (int64_t)i * 3 };
    svg = probe_sweep_svg(NULL, 1, many, n);
    expect_xml(svg);
    assert_true(strlen(svg) < 200000);
    assert_non_null(strstr(svg, "input length L"));
    free(svg);
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_checker_finds_faults),
        cmocka_unit_test(the_repaired_size_is_marked),
        cmocka_unit_test(the_error_is_marked),
        cmocka_unit_test(hostile_text_is_escaped),
        cmocka_unit_test(a_residual_model_file_is_a_graph),
        cmocka_unit_test(a_huge_net_is_bounded),
        cmocka_unit_test(the_sweep_chart),
    };
    return cmocka_run_group_tests_name("svg", tests, setup_registry, free_registry);
}
