/* report_svg.c - the shape flow of one run as a picture (probe_result_svg).
 *
 * A node a cell of a grid that wraps every SVG_COLS cells: the input, a
 * box per trace row, a join (`+`, torch.cat) of a model file's run, and
 * the call the first error stopped. A tensor [1, C, H, W] is drawn as a
 * box whose face is log H high and log W wide and whose depth is log C,
 * so that 3x224x224 and 512x7x7 both read; a flat vector [1, F] is a bar
 * log F high, so the flatten and the Linears show as the narrowing they
 * are. Edges come from the trace: a net.cfg is a chain; a model file's
 * rows and joins say which node made their input (run/result.h, FLOW_*).
 * At most SVG_MAX_NODES nodes are drawn, whatever the size of the net: a
 * note says how many were left out. */
#include "run/result.h"
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    SVG_COLS = 8, SVG_CELL_W = 180, SVG_CELL_H = 206, SVG_MARGIN = 20, SVG_HEAD = 96,
    SVG_BASE = 128,             /* a glyph's bottom, from its cell's top */
    SVG_LABEL = 25,             /* code points of a label line */
    SVG_MAX_NODES = PROBE_SVG_MAX_NODES
};

/* Where a drawn node is: its cell, and where edges meet it. */
typedef struct spot {
    int col, line;
    int lx, rx, y;              /* left and right of its glyph, at mid-height */
    int tx, ty;                 /* the top of its glyph */
} spot;

typedef struct glyph { int w, h, d; bool flat; } glyph;

typedef struct flow {
    const probe_result *res;
    size_t rows, joins;         /* the rows and joins drawn */
    size_t nodes;               /* those and the input */
    bool fail;                  /* a node for the error that stopped the run */
    spot *at;                   /* [nodes + 1], by order of drawing */
    uint32_t *row_at, *join_at; /* their index in at */
    sb edges, boxes;
    sb scratch, label, dims;    /* reused by every node */
} flow;

static int lg(int64_t v, double k) { return v > 1 ? (int)(k * log2((double)v)) : 0; }
static int cap(int v, int max) { return v < max ? v : max; }

/* The box of a shape: face log H by log W, depth log C; a bar for a
 * vector. */
static glyph shape_glyph(const probe_tensor *t)
{
    glyph g = { 0, 0, 0, false };
    if (t->ndim <= 2) {
        g.flat = true;
        g.w = 10;
        g.h = cap(10 + lg(t->ndim ? t->dim[t->ndim - 1] : 1, 5.5), 110);
        return g;
    }
    int64_t h = 1;
    for (int i = 2; i < t->ndim - 1; i++) h = util_sat_mul(h, t->dim[i]);
    g.h = t->ndim == 3 ? 10 : cap(8 + lg(h, 6), 96);
    g.w = cap(8 + lg(t->dim[t->ndim - 1], 6), 96);
    g.d = cap(4 + lg(t->dim[1], 5), 60);
    return g;
}

/* Draws the glyph in the cell of spot s and records where edges meet it. */
static void put_glyph(sb *out, spot *s, const glyph *g, const char *fill, const char *stroke)
{
    int dx = g->d * 6 / 10, dy = g->d * 45 / 100;
    int cx = SVG_MARGIN + s->col * SVG_CELL_W + SVG_CELL_W / 2;
    int base = SVG_HEAD + s->line * SVG_CELL_H + SVG_BASE;
    int x0 = cx - (g->w + dx) / 2, y0 = base - g->h;
    const char *sw = strcmp(stroke, "#2b5d8a") ? "2" : "1";
    if (dx)
        sb_printf(out,
                  "<path d=\"M%d,%d l%d,%d h%d l%d,%d z M%d,%d l%d,%d v%d l%d,%d z\" fill=\"%s\" fill-opacity=\"0.6\" "
                  "stroke=\"%s\" stroke-width=\"%s\"/>",
                  x0, y0, dx, -dy, g->w, -dx, dy, x0 + g->w, y0, dx, -dy, g->h, -dx, dy, fill, stroke, sw);
    sb_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
              x0, y0, g->w, g->h, fill, stroke, sw);
    s->lx = x0;
    s->rx = x0 + g->w + dx;
    s->y = y0 + g->h / 2 - dy / 2;
    s->tx = cx;
    s->ty = y0 - dy;
}

/* The i-th node's cell; the error's node takes two. */
static void place(size_t i, spot *s)
{
    s->col = (int)(i % SVG_COLS);
    s->line = (int)(i / SVG_COLS);
}

/* Starts a node: a group, with the whole label as its tooltip. */
static void open_node(flow *f, const char *tip, size_t n)
{
    sb_puts(&f->boxes, "<g><title>");
    svg_put_text(&f->boxes, tip, n, 400);
    sb_puts(&f->boxes, "</title>");
}

/* Up to four lines of text under a node's glyph; NULL skips a line. */
static void put_caption(flow *f, const spot *s, const char *l1, const char *l2, const char *l3, const char *mark,
                        const char *mark_color)
{
    int x = SVG_MARGIN + s->col * SVG_CELL_W + 8;
    int y = SVG_HEAD + s->line * SVG_CELL_H + SVG_BASE + 18;
    const char *lines[4] = { l1, l2, l3, mark };
    for (int k = 0; k < 4; k++) {
        if (!lines[k]) continue;
        const char *fill = k == 0 ? SVG_MUTED : k == 3 ? mark_color : SVG_INK;
        sb_printf(&f->boxes, "<text x=\"%d\" y=\"%d\" fill=\"%s\"%s>", x, y + 14 * k, fill,
                  k >= 2 ? " font-weight=\"bold\"" : "");
        svg_put_str(&f->boxes, lines[k], SVG_LABEL + 2);
        sb_puts(&f->boxes, "</text>");
    }
}

/* An edge from drawn node p to node q: a straight arrow to the next cell,
 * around the wrap to the next line, or an arc over the cells between. */
static void put_edge(flow *f, size_t p, size_t q)
{
    const spot *a = &f->at[p], *b = &f->at[q];
    if (q == p + 1 && a->line == b->line) {
        sb_printf(&f->edges, "<path d=\"M%d,%d L%d,%d\" stroke=\"#444444\" fill=\"none\" marker-end=\"url(#arrow)\"/>\n",
                  a->rx + 2, a->y, b->lx - 3, b->y);
    } else if (q == p + 1) {
        int gap = SVG_HEAD + b->line * SVG_CELL_H + 6;
        sb_printf(&f->edges,
                  "<path d=\"M%d,%d H%d V%d H%d V%d H%d\" stroke=\"#444444\" fill=\"none\" marker-end=\"url(#arrow)\"/>\n",
                  a->rx + 2, a->y, a->rx + 10, gap, b->lx - 10, b->y, b->lx - 3);
    } else if (a->line != b->line) {
        /* down the right margin between the lines' top bands, not across
         * the cells between: a lane of its own for each of a few sources */
        int lane = (int)(p % 4) * 4;
        int right = SVG_MARGIN + SVG_COLS * SVG_CELL_W + 2 + lane;
        int band_a = SVG_HEAD + a->line * SVG_CELL_H + 14 + lane, band_b = SVG_HEAD + b->line * SVG_CELL_H + 14 + lane;
        sb_printf(&f->edges,
                  "<path d=\"M%d,%d V%d H%d V%d H%d V%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\" "
                  "fill=\"none\" marker-end=\"url(#arrowj)\"/>\n",
                  a->tx, a->ty, band_a, right, band_b, b->tx, b->ty - 3, SVG_JOIN);
    } else {
        int lift = 30 + 6 * (int)(q - p < 8 ? q - p : 8);
        sb_printf(&f->edges,
                  "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\" "
                  "fill=\"none\" marker-end=\"url(#arrowj)\"/>\n",
                  a->tx, a->ty, a->tx, a->ty - lift, b->tx, b->ty - lift, b->tx, b->ty - 3, SVG_JOIN);
    }
}

/* The drawn node a flow id names; false when it is not drawn. */
static bool drawn(const flow *f, uint32_t id, size_t *node)
{
    if (id == FLOW_NONE) return false;
    if (id == FLOW_INPUT) { *node = 0; return true; }
    size_t k = id & ~FLOW_JOIN_BIT;
    if (id & FLOW_JOIN_BIT) {
        if (k >= f->joins) return false;
        *node = f->join_at[k];
    } else {
        if (k - 1 >= f->rows) return false;
        *node = f->row_at[k - 1];
    }
    return true;
}

static void edge_from(flow *f, uint32_t id, size_t q)
{
    size_t p;
    if (drawn(f, id, &p) && p < q) put_edge(f, p, q);
}

/* The fixes of row i's layer: "in_features 4096 -> 65536" (and how many
 * more). cursor as report_table's: a chain's fixes come in layer order. */
static const char *fix_mark(flow *f, const layer *ly, size_t *cursor)
{
    size_t n;
    const run_fix *fx = report_layer_fix(f->res, ly, cursor, &n);
    if (!fx) return NULL;
    f->scratch.len = 0;
    sb_printf(&f->scratch, "\xe2\x9c\x8e %s ", fx->ly->op->params[fx->param].name);    /* ✎ */
    if (fx->have_null) sb_puts(&f->scratch, "?");
    else if (fx->is_ints) exec_format_ints(&f->scratch, &fx->have_ints, false);
    else sb_printf(&f->scratch, "%lld", (long long)fx->have);
    sb_puts(&f->scratch, " \xe2\x86\x92 ");    /* → */
    if (fx->is_ints) exec_format_ints(&f->scratch, &fx->need_ints, false);
    else sb_printf(&f->scratch, "%lld", (long long)fx->need);
    if (n > 1) sb_printf(&f->scratch, " (+%zu)", n - 1);
    sb_putc(&f->scratch, '\0');
    return f->scratch.buf;
}

static const char *dims_text(sb *s, const probe_tensor *t)
{
    s->len = 0;
    sb_put_dims(s, t->dim, t->ndim);
    sb_putc(s, '\0');
    return s->buf ? s->buf : "";
}

static void draw_row(flow *f, size_t i, size_t node, size_t *cursor)
{
    const probe_result *res = f->res;
    const layer *ly = exec_row_layer(res, i);
    bool implicit = !exec_row_shown(res, i);
    f->label.len = 0;
    if (implicit) sb_puts(&f->label, "flatten (implicit, before the first Linear)");
    else {
        /* scratch is free until fix_mark below */
        report_put_written(&f->label, &f->scratch, res->net, exec_row(res, i), exec_row_site(res, i), ly, 400);
        while (f->label.len && f->label.buf[f->label.len - 1] == ' ') f->label.len--;
    }
    sb_putc(&f->label, '\0');
    const char *mark = implicit ? NULL : fix_mark(f, ly, cursor);
    char head[64];
    /* numbered as the table numbers them: the implicit flatten is not a row of it */
    size_t shown = res->implicit_row >= 0 && (int64_t)i > res->implicit_row ? i - 1 : i;
    if (implicit) snprintf(head, sizeof head, "line %u  (a note)", exec_row_line(res, i));
    else snprintf(head, sizeof head, "#%zu  line %u", shown, exec_row_line(res, i));
    open_node(f, f->label.buf ? f->label.buf : "", f->label.buf ? strlen(f->label.buf) : 0);
    glyph g = shape_glyph(exec_row_out(res, i));
    put_glyph(&f->boxes, &f->at[node], &g, mark ? "#fff1c9" : g.flat ? "#d9ead3" : "#dbe8f5",
              mark ? SVG_FIXED : g.flat ? "#38761d" : "#2b5d8a");
    put_caption(f, &f->at[node], head, f->label.buf, dims_text(&f->dims, exec_row_out(res, i)), mark, SVG_FIXED);
    sb_puts(&f->boxes, "</g>\n");
    edge_from(f, exec_row_from(res, i), node);
}

static const char *join_symbol(const char *kind)
{
    static const char *const sym[][2] = { { "add", "+" }, { "sub", "\xe2\x88\x92" }, { "mul", "\xc3\x97" },
                                          { "div", "\xc3\xb7" }, { "matmul", "@" } };
    for (size_t k = 0; k < sizeof sym / sizeof sym[0]; k++)
        if (!strcmp(kind, sym[k][0])) return sym[k][1];
    return kind;
}

static void draw_join(flow *f, size_t j, size_t node)
{
    const probe_result *res = f->res;
    const flow_join *jn = &VEC_AT(res->joins, flow_join, j);
    spot *s = &f->at[node];
    int cx = SVG_MARGIN + s->col * SVG_CELL_W + SVG_CELL_W / 2;
    int cy = SVG_HEAD + s->line * SVG_CELL_H + SVG_BASE - 30;
    char head[64], what[64];
    snprintf(head, sizeof head, "join %zu", j);
    snprintf(what, sizeof what, "%s of %u tensors", jn->kind, jn->n);
    open_node(f, what, strlen(what));
    sb_printf(&f->boxes, "<circle cx=\"%d\" cy=\"%d\" r=\"16\" fill=\"#efe6f7\" stroke=\"%s\" stroke-width=\"2\"/>", cx, cy,
              SVG_JOIN);
    sb_printf(&f->boxes, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"%d\" fill=\"%s\" font-weight=\"bold\">",
              cx, cy + 5, strlen(join_symbol(jn->kind)) > 2 ? 10 : 16, SVG_INK);
    svg_put_str(&f->boxes, join_symbol(jn->kind), 8);
    sb_puts(&f->boxes, "</text>");
    *s = (spot){ s->col, s->line, cx - 16, cx + 16, cy, cx, cy - 16 };
    put_caption(f, s, head, what, dims_text(&f->dims, &VEC_AT(res->shapes, probe_tensor, jn->out)), NULL, NULL);
    sb_puts(&f->boxes, "</g>\n");
    for (uint32_t k = 0; k < jn->n; k++) edge_from(f, VEC_AT(res->join_ins, uint32_t, jn->first + k), node);
}

static void draw_input(flow *f)
{
    const probe_result *res = f->res;
    spot *s = &f->at[0];
    place(0, s);
    open_node(f, "the input", 9);
    probe_tensor t = res->input;
    if (!res->has_input) t.ndim = 2;
    glyph g = shape_glyph(&t);
    put_glyph(&f->boxes, s, &g, "#e8e8e8", "#4d4d4d");
    const char *shape = res->has_input ? dims_text(&f->dims, &res->input) : "no size given";
    put_caption(f, s, "input", probe_net_name(res->net), shape, NULL, NULL);
    sb_puts(&f->boxes, "</g>\n");
}

/* The first error that stops the run (a mismatch is repaired instead). */
static const run_error *stopping_error(const probe_result *res)
{
    for (size_t i = 0; i < res->errors.len; i++)
        if (VEC_AT(res->errors, run_error, i).d.kind != PROBE_MISMATCH) return &VEC_AT(res->errors, run_error, i);
    return NULL;
}

/* The error's node: two cells wide, red, and marked in words. */
static void draw_fail(flow *f, size_t node)
{
    const probe_result *res = f->res;
    const run_error *e = stopping_error(res);
    spot *s = &f->at[node];
    int x = SVG_MARGIN + s->col * SVG_CELL_W + 4, y = SVG_HEAD + s->line * SVG_CELL_H + 24;
    const char *msg = diag_message(&e->d);
    int lines = svg_put_wrapped(NULL, msg, 0, 0, 52, 9);
    open_node(f, msg, strlen(msg));
    sb_printf(&f->boxes, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#fde8e7\" stroke=\"%s\" "
              "stroke-width=\"2\"/>", x, y, 2 * SVG_CELL_W - 16, 50 + 15 * lines, SVG_FAIL);
    *s = (spot){ s->col, s->line, x, x + 2 * SVG_CELL_W - 16, y + 40, x + 40, y };
    sb_printf(&f->boxes, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-weight=\"bold\" font-size=\"13\">\xe2\x9c\x96 %s",
              x + 10, y + 20, SVG_FAIL, probe_status_name(e->d.kind));    /* ✖ */
    if (e->d.layer) {
        sb_puts(&f->boxes, ": ");
        svg_put_str(&f->boxes, e->d.layer, 30);
    }
    if (e->d.at.line) sb_printf(&f->boxes, " at line %u", e->d.at.line);
    sb_printf(&f->boxes, "</text><text x=\"%d\" y=\"%d\" fill=\"%s\">", x + 10, y + 40, SVG_INK);
    svg_put_wrapped(&f->boxes, msg, x + 10, 15, 52, 9);
    sb_puts(&f->boxes, "</text></g>\n");
    uint32_t from = res->net->forward ? res->fail_from : f->rows ? FLOW_ROW(f->rows - 1) : FLOW_INPUT;
    if (res->net->forward || f->rows == res->rows.len) edge_from(f, from, node);
}

/* Orders the nodes: the input, then rows and joins as the run made them
 * (a join before the rows made after it), at most SVG_MAX_NODES, then the
 * error's node. False when out of memory. */
static bool lay_out(flow *f)
{
    const probe_result *res = f->res;
    size_t nrows = res->rows.len, njoins = res->joins.len;
    size_t room = SVG_MAX_NODES - 1;
    f->rows = nrows < room ? nrows : room;
    f->joins = njoins < room ? njoins : room;
    f->at = calloc(SVG_MAX_NODES + 3, sizeof *f->at);
    f->row_at = calloc(f->rows + 1, sizeof *f->row_at);
    f->join_at = calloc(f->joins + 1, sizeof *f->join_at);
    if (!f->at || !f->row_at || !f->join_at) return false;
    size_t i = 0, j = 0, node = 1;
    while (node < SVG_MAX_NODES && (i < f->rows || j < f->joins)) {
        if (j < f->joins && (i >= f->rows || VEC_AT(res->joins, flow_join, j).after <= i)) f->join_at[j++] = (uint32_t)node++;
        else f->row_at[i++] = (uint32_t)node++;
    }
    f->rows = i;
    f->joins = j;
    f->nodes = node;
    f->fail = stopping_error(res) != NULL;
    for (size_t k = 0; k < f->nodes; k++) place(k, &f->at[k]);
    if (f->fail) {
        size_t k = f->nodes % SVG_COLS == SVG_COLS - 1 ? f->nodes + 1 : f->nodes;     /* two cells on one line */
        place(k, &f->at[f->nodes]);
    }
    return true;
}

static void put_header(sb *out, const flow *f)
{
    const probe_result *res = f->res;
    sb_printf(out, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">", SVG_MARGIN, SVG_INK);
    svg_put_str(out, probe_net_name(res->net), 80);
    sb_printf(out, ": the shape flow</text>\n<text x=\"%d\" y=\"48\" font-size=\"12\" fill=\"%s\">", SVG_MARGIN, SVG_INK);
    if (res->has_input) {
        sb_puts(out, "input ");
        sb_put_dims(out, res->input.dim, res->input.ndim);
        sb_puts(out, " \xc2\xb7 ");
    }
    sb_printf(out, "verdict: <tspan font-weight=\"bold\" fill=\"%s\">%s</tspan>",
              res->status == PROBE_OK ? "#1e6b2e" : SVG_FAIL, probe_status_name(res->status));
    if (res->in_features >= 0)
        sb_printf(out, " \xc2\xb7 the first Linear needs in_features=%lld", (long long)res->in_features);
    if (!res->has_input) sb_puts(out, " \xc2\xb7 no input size given: give one (--hw HxW) to see the flow");
    sb_printf(out, "</text>\n<text x=\"%d\" y=\"68\" fill=\"%s\">box: height ~ log H, width ~ log W, depth ~ log C "
              "(channels); bar: a vector [N, F], height ~ log F</text>\n", SVG_MARGIN, SVG_MUTED);
    sb_printf(out, "<text x=\"%d\" y=\"84\" fill=\"%s\"><tspan fill=\"%s\">\xe2\x9c\x8e repaired size</tspan>   "
              "<tspan fill=\"%s\">\xe2\x9c\x96 the error that stops the run</tspan>   "
              "<tspan fill=\"%s\">\xe2\x97\x8b join (+, cat), - - - its other input</tspan></text>\n",
              SVG_MARGIN, SVG_MUTED, SVG_FIXED, SVG_FAIL, SVG_JOIN);
}

static void put_desc(sb *d, const flow *f)
{
    const probe_result *res = f->res;
    sb_printf(d, "%zu layer calls", res->rows.len);
    if (res->joins.len) sb_printf(d, " and %zu joins", res->joins.len);
    if (res->has_input) {
        sb_puts(d, " from the input ");
        sb_put_dims(d, res->input.dim, res->input.ndim);
    }
    sb_printf(d, "; verdict: %s", probe_status_name(res->status));
    if (res->in_features >= 0) sb_printf(d, "; the first Linear needs in_features=%lld", (long long)res->in_features);
    if (res->fixes.len) sb_printf(d, "; %zu sizes repaired", res->fixes.len);
    const run_error *e = stopping_error(res);
    if (e) {
        sb_puts(d, "; stopped by: ");
        svg_put_str(d, diag_message(&e->d), 300);
    }
}

static void draw(sb *out, flow *f)
{
    draw_input(f);
    size_t i = 0, j = 0, cursor = 0;
    for (size_t node = 1; node < f->nodes; node++) {
        if (j < f->joins && f->join_at[j] == node) draw_join(f, j++, node);
        else draw_row(f, i++, node, &cursor);
    }
    if (f->fail) draw_fail(f, f->nodes);
    size_t last = f->fail ? f->nodes : f->nodes - 1;
    int lines = f->at[last].line + 1;
    int cols = f->nodes + f->fail < SVG_COLS ? (int)(f->nodes + 2 * f->fail) : SVG_COLS;
    int width = 2 * SVG_MARGIN + (cols < 4 ? 4 : cols) * SVG_CELL_W;
    size_t left = f->res->rows.len - f->rows + f->res->joins.len - f->joins;
    int height = SVG_HEAD + lines * SVG_CELL_H + (left ? 30 : 0);
    sb title, desc;
    sb_init(&title);
    sb_init(&desc);
    sb_puts(&title, "probe: the shape flow of ");
    svg_put_str(&title, probe_net_name(f->res->net), 200);
    put_desc(&desc, f);
    svg_open(out, width, height, title.buf ? title.buf : "", desc.buf ? desc.buf : "");
    sb_free(&title);
    sb_free(&desc);
    sb_printf(out, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
              "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444444\"/></marker>"
              "<marker id=\"arrowj\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
              "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker></defs>\n", SVG_JOIN);
    put_header(out, f);
    sb_puts(out, "<g>\n");
    sb_putn(out, f->edges.buf ? f->edges.buf : "", f->edges.len);
    sb_puts(out, "</g>\n<g>\n");
    sb_putn(out, f->boxes.buf ? f->boxes.buf : "", f->boxes.len);
    sb_puts(out, "</g>\n");
    if (left) {
        sb_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">\xe2\x80\xa6 and ", SVG_MARGIN, height - 12, SVG_INK);
        report_put_count(out, (int64_t)left);
        sb_printf(out, " more calls not drawn: the picture shows the first %d nodes</text>\n", SVG_MAX_NODES);
    }
    sb_puts(out, "</svg>\n");
}

void report_svg(sb *out, const probe_result *res)
{
    flow f;
    memset(&f, 0, sizeof f);
    f.res = res;
    sb_init(&f.edges);
    sb_init(&f.boxes);
    sb_init(&f.scratch);
    sb_init(&f.label);
    sb_init(&f.dims);
    if (lay_out(&f)) draw(out, &f);
    else out->failed = true;
    bool failed = f.edges.failed || f.boxes.failed || f.scratch.failed || f.label.failed || f.dims.failed;
    if (failed) out->failed = true;
    sb_free(&f.edges);
    sb_free(&f.boxes);
    sb_free(&f.scratch);
    sb_free(&f.label);
    sb_free(&f.dims);
    free(f.at);
    free(f.row_at);
    free(f.join_at);
}

char *probe_result_svg(const probe_result *res) { return report_whole(report_svg, res); }
