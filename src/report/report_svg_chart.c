/* report_svg_chart.c - a sweep as a chart (probe_sweep_svg): in_features
 * against the input size as a step line, the verdict as bands of colour
 * behind it, and a legend that says each verdict's sizes in words (never
 * colour alone). A sweep of a million sizes draws at most a band and a
 * step per pixel column. */
#include "run/result.h"
#include "report/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CH_W = 760, CH_X0 = 90, CH_X1 = 730, CH_Y0 = 70, CH_Y1 = 330, CH_LEGEND = 372, CH_RANGES = 4 };

typedef struct chart {
    const probe_sweep_run *runs;
    size_t n;
    int rank;
    int64_t lo, hi, top;        /* the sizes, and the y axis' top */
} chart;

static const char *band_fill(probe_status s)
{
    switch (s) {
    case PROBE_OK: return "#cfe8c9";
    case PROBE_MISMATCH: return "#fff1c9";
    case PROBE_TOO_SMALL: return "#e3e3e3";
    default: return "#f8d3d0";
    }
}

static int x_of(const chart *c, int64_t size)
{
    double span = (double)(c->hi - c->lo + 1);
    return CH_X0 + (int)((double)(size - c->lo) / span * (CH_X1 - CH_X0) + 0.5);
}

static int y_of(const chart *c, int64_t v)
{
    return CH_Y1 - (int)((double)v / (double)c->top * (CH_Y1 - CH_Y0) + 0.5);
}

/* A step of 1, 2 or 5 times a power of ten that cuts span into about
 * `parts`. */
static int64_t nice_step(int64_t span, int parts)
{
    double raw = (double)span / parts;
    if (raw < 1) return 1;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p < 1.5 ? 1 : raw / p < 3.5 ? 2 : raw / p < 7.5 ? 5 : 10;
    double step = m * p;
    return step > 9e18 ? INT64_MAX / 4 : (int64_t)step;
}

/* The bands, one per verdict run, a pixel column at most once. */
static void put_bands(sb *out, const chart *c)
{
    int done = CH_X0;
    for (size_t i = 0; i < c->n; i++) {
        int x0 = x_of(c, c->runs[i].lo), x1 = x_of(c, c->runs[i].hi + 1);
        if (x0 < done) x0 = done;
        if (x1 <= x0) continue;
        sb_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", x0, CH_Y0, x1 - x0,
                  CH_Y1 - CH_Y0, band_fill(c->runs[i].status));
        done = x1;
    }
}

/* in_features as steps; runs narrower than a pixel fold into the one
 * that moves to the next pixel column, so a million runs make at most a
 * step per column. */
static void put_steps(sb *out, const chart *c)
{
    bool open = false, any = false;
    int last_x = 0, last_y = 0;
    for (size_t i = 0; i < c->n; i++) {
        const probe_sweep_run *r = &c->runs[i];
        if (r->in_features < 0) {
            open = false;
            continue;
        }
        int x0 = x_of(c, r->lo), x1 = x_of(c, r->hi + 1), y = y_of(c, r->in_features);
        if (!open) {
            sb_printf(out, "%s<path fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\" d=\"M%d,%d", any ? "\"/>\n" : "", x0, y);
            open = any = true;
            last_x = x0;
            last_y = y;
        }
        if (x1 <= last_x) continue;
        if (y != last_y) sb_printf(out, " V%d", y);
        sb_printf(out, " H%d", x1);
        last_x = x1;
        last_y = y;
    }
    if (any) sb_puts(out, "\"/>\n");
}

static void put_axes(sb *out, const chart *c)
{
    sb_printf(out, "<path d=\"M%d,%d V%d H%d\" stroke=\"%s\" fill=\"none\"/>\n", CH_X0, CH_Y0, CH_Y1, CH_X1, SVG_INK);
    int64_t step = nice_step(c->hi - c->lo + 1, 6);
    for (int64_t s = (c->lo + step - 1) / step * step; s <= c->hi; s += step) {
        int x = x_of(c, s) + (x_of(c, s + 1) - x_of(c, s)) / 2;
        sb_printf(out, "<path d=\"M%d,%d v5\" stroke=\"%s\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">", x,
                  CH_Y1, SVG_INK, x, CH_Y1 + 18, SVG_INK);
        sb_printf(out, "%lld</text>\n", (long long)s);
        if (s > INT64_MAX - step) break;
    }
    step = nice_step(c->top, 5);
    for (int64_t v = 0; v <= c->top; v += step) {
        int y = y_of(c, v);
        sb_printf(out, "<path d=\"M%d,%d h-5\" stroke=\"%s\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">", CH_X0,
                  y, SVG_INK, CH_X0 - 8, y + 4, SVG_INK);
        sb_printf(out, "%lld</text>\n", (long long)v);
        if (v > INT64_MAX - step) break;
    }
    const char *what = c->rank == 1 ? "input length L" : c->rank == 3 ? "input size S (a cube S x S x S)"
                                                                       : "input size S (a square S x S)";
    sb_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\">%s</text>\n",
              (CH_X0 + CH_X1) / 2, CH_Y1 + 38, SVG_INK, what);
    sb_printf(out, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\" "
              "transform=\"rotate(-90 18 %d)\">in_features of the first Linear</text>\n",
              (CH_Y0 + CH_Y1) / 2, SVG_INK, (CH_Y0 + CH_Y1) / 2);
}

/* A legend line per verdict met: its swatch, its name and its sizes. */
static int put_legend(sb *out, const chart *c)
{
    static const probe_status order[] = { PROBE_OK, PROBE_MISMATCH, PROBE_TOO_SMALL, PROBE_ERROR, PROBE_INVALID };
    int y = CH_LEGEND;
    sb_printf(out, "<path d=\"M%d,%d h14\" stroke=\"#1f4e79\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\" fill=\"%s\">"
              "in_features: what the first Linear needs at each size (none drawn where no Linear is reached)</text>\n",
              CH_X0, y - 4, CH_X0 + 22, y, SVG_INK);
    y += 20;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        size_t shown = 0, total = 0;
        for (size_t i = 0; i < c->n; i++) total += c->runs[i].status == order[k];
        if (!total) continue;
        sb_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"%s\"/>", CH_X0, y - 11,
                  band_fill(order[k]), SVG_MUTED);
        sb_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"%s\"><tspan font-weight=\"bold\">%s</tspan>: ", CH_X0 + 22, y, SVG_INK,
                  probe_status_name(order[k]));
        for (size_t i = 0; i < c->n && shown < CH_RANGES; i++) {
            const probe_sweep_run *r = &c->runs[i];
            if (r->status != order[k]) continue;
            int64_t hi = r->hi;
            while (i + 1 < c->n && c->runs[i + 1].status == order[k]) hi = c->runs[++i].hi;
            sb_puts(out, shown++ ? ", " : "");
            exec_put_size(out, c->rank, r->lo);
            if (hi > r->lo) {
                sb_puts(out, " to ");
                exec_put_size(out, c->rank, hi);
            }
        }
        if (shown == CH_RANGES) sb_puts(out, ", \xe2\x80\xa6");
        sb_puts(out, "</text>\n");
        y += 20;
    }
    return y;
}

static void chart_desc(sb *d, const chart *c, const char *name)
{
    svg_put_str(d, name, 200);
    sb_puts(d, ": in_features of the first Linear at input sizes ");
    exec_put_size(d, c->rank, c->lo);
    sb_puts(d, " to ");
    exec_put_size(d, c->rank, c->hi);
    size_t ok = 0;
    for (size_t i = 0; i < c->n; i++) ok += c->runs[i].status == PROBE_OK;
    sb_printf(d, "; %zu runs of sizes with one answer, %zu of them pass", c->n, ok);
}

char *probe_sweep_svg(const char *name, int rank, const probe_sweep_run *runs, size_t n)
{
    if (!n) return NULL;
    if (!name) name = "<net>";
    chart c = { runs, n, rank, runs[0].lo, runs[n - 1].hi, 1 };
    for (size_t i = 0; i < n; i++)
        if (runs[i].in_features > c.top) c.top = runs[i].in_features;
    int64_t step = nice_step(c.top, 5);
    c.top = c.top / step * step + step;     /* room above the highest step */
    sb body, title, desc, out;
    sb_init(&body);
    sb_init(&title);
    sb_init(&desc);
    sb_init(&out);
    sb_puts(&title, "probe: in_features against the input size for ");
    svg_put_str(&title, name, 200);
    chart_desc(&desc, &c, name);
    sb_printf(&body, "<text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">", SVG_INK);
    svg_put_str(&body, name, 60);
    sb_puts(&body, ": in_features against the input size</text>\n");
    put_bands(&body, &c);
    put_steps(&body, &c);
    put_axes(&body, &c);
    int height = put_legend(&body, &c) + 10;
    svg_open(&out, CH_W, height, title.buf ? title.buf : "", desc.buf ? desc.buf : "");
    sb_putn(&out, body.buf ? body.buf : "", body.len);
    sb_puts(&out, "</svg>\n");
    if (body.failed || title.failed || desc.failed) out.failed = true;
    sb_free(&body);
    sb_free(&title);
    sb_free(&desc);
    return sb_take(&out);
}
