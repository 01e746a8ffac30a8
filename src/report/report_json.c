/* report_json.c - the JSON result of PROBE.md, on one line. */
#include "run/result.h"

#include <string.h>

/* A JSON string: quotes, backslashes and control characters escaped.
 * UTF-8 passes through; any other byte becomes U+FFFD, since JSON is
 * UTF-8 and not all that goes in is (a file name is bytes: "r\xE9seau"). */
static void json_strn(sb *out, const char *s, size_t n)
{
    sb_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s, *end = p + n; p < end; p++) {
        if (*p >= 0x80) {
            size_t len = util_utf8_len((const char *)p, (size_t)(end - p));
            if (len) {
                sb_putn(out, (const char *)p, len);
                p += len - 1;
            } else {
                sb_puts(out, "\xEF\xBF\xBD");
            }
            continue;
        }
        switch (*p) {
        case '"': sb_puts(out, "\\\""); break;
        case '\\': sb_puts(out, "\\\\"); break;
        case '\n': sb_puts(out, "\\n"); break;
        case '\r': sb_puts(out, "\\r"); break;
        case '\t': sb_puts(out, "\\t"); break;
        case '\b': sb_puts(out, "\\b"); break;
        case '\f': sb_puts(out, "\\f"); break;
        default:
            if (*p < 0x20 || *p == 0x7f) sb_printf(out, "\\u%04x", *p);
            else sb_putc(out, (char)*p);
        }
    }
    sb_putc(out, '"');
}

static void json_str(sb *out, const char *s) { json_strn(out, s, strlen(s)); }

void report_json_str(sb *out, const char *s) { json_str(out, s); }


static void json_ints_or_int(sb *out, bool is_ints, int64_t v, const probe_ints *vs)
{
    if (is_ints) sb_put_dims(out, vs->v, vs->n < 0 ? 0 : vs->n);
    else sb_printf(out, "%lld", (long long)v);
}

static void json_errors(sb *out, const probe_result *res)
{
    sb_puts(out, "\"errors\": [");
    for (size_t i = 0; i < res->errors.len; i++) {
        const run_error *e = &VEC_AT(res->errors, run_error, i);
        sb_printf(out, "%s{\"line\": %u, \"col\": %u, ", i ? ", " : "", e->d.at.line, e->d.at.col);
        if (e->d.layer) {
            sb_puts(out, "\"layer\": ");
            json_str(out, e->d.layer);
            sb_puts(out, ", ");
        }
        sb_printf(out, "\"kind\": \"%s\", \"message\": ", probe_status_name(e->d.kind));
        json_str(out, e->d.message);
        sb_putc(out, '}');
    }
    sb_puts(out, "]");
}

static void json_fixes(sb *out, const probe_result *res)
{
    sb_puts(out, "\"fixes\": [");
    for (size_t i = 0; i < res->fixes.len; i++) {
        const run_fix *f = &VEC_AT(res->fixes, run_fix, i);
        src_span at = layer_span(res->net, f->ly, f->param);
        sb_printf(out, "%s{\"line\": %u, \"col\": %u, \"field\": ", i ? ", " : "", f->ly->name_span.line, at.col);
        json_str(out, f->ly->op->params[f->param].name);
        /* LayerNorm(512): a size written as one int is reported as one */
        bool bare = f->is_ints && !f->have_null && !f->have_ints.tuple && f->have_ints.n == 1 && f->need_ints.n == 1;
        sb_puts(out, ", \"have\": ");
        if (f->have_null) sb_puts(out, "null");
        else if (bare) sb_printf(out, "%lld", (long long)f->have_ints.v[0]);
        else json_ints_or_int(out, f->is_ints, f->have, &f->have_ints);
        sb_puts(out, ", \"need\": ");
        if (bare) sb_printf(out, "%lld", (long long)f->need_ints.v[0]);
        else json_ints_or_int(out, f->is_ints, f->need, &f->need_ints);
        sb_putc(out, '}');
    }
    sb_puts(out, "]");
}

/* ", \"warnings\": [...]" (PROBE.md): what PyTorch lets pass but is almost
 * surely a bug; a model file's result always has the member */
static void json_warnings(sb *out, const probe_result *res)
{
    sb_puts(out, ", \"warnings\": [");
    for (size_t i = 0; i < res->warnings.len; i++) {
        const run_warning *w = &VEC_AT(res->warnings, run_warning, i);
        sb_printf(out, "%s{\"line\": %u, \"col\": %u, \"kind\": ", i ? ", " : "", w->d.at.line, w->d.at.col);
        json_str(out, w->kind);
        sb_puts(out, ", \"message\": ");
        json_str(out, w->d.message);
        sb_putc(out, '}');
    }
    sb_putc(out, ']');
}

static void json_layers(sb *out, const probe_result *res)
{
    sb_puts(out, "\"layers\": [");
    bool first = true;
    for (size_t i = 0; i < res->rows.len; i++) {
        if (!exec_row_shown(res, i)) continue;
        const trace_row *r = exec_row(res, i);
        const layer *ly = exec_row_layer(res, i);
        const probe_tensor *t = exec_row_out(res, i);
        sb_printf(out, "%s{\"line\": %u, \"type\": ", first ? "" : ", ", exec_row_line(res, i));
        first = false;
        json_str(out, ly->op->name);
        size_t n;
        const char *label = layer_label(res->net, ly, &n);
        if (label) {
            sb_puts(out, ", \"label\": ");
            json_strn(out, label, n);
        }
        sb_puts(out, ", \"output\": ");
        sb_put_dims(out, t->dim, t->ndim);
        sb_printf(out, ", \"params\": %lld, \"mult_adds\": %lld", (long long)r->params,
                  (long long)report_mult_adds(res, i));
        sb_putc(out, '}');
        sb_spill(out, REPORT_SPILL);
    }
    sb_puts(out, "]");
}

/* A size S of the rank as the JSON's hw: [S], [S, S] or [S, S, S]. */
static void json_hw(sb *out, int rank, int64_t s)
{
    sb_putc(out, '[');
    for (int i = 0; i < (rank >= 1 && rank <= 3 ? rank : 2); i++) sb_printf(out, "%s%lld", i ? ", " : "", (long long)s);
    sb_putc(out, ']');
}

/* "accepts": [[lo, hi], ...] sizes; "nearest" when none pass */
static void json_accepts(sb *out, const probe_accepts_info *a, int rank)
{
    sb_puts(out, ", \"accepts\": [");
    for (size_t i = 0; i < a->n; i++)
        sb_printf(out, "%s[%lld, %lld]", i ? ", " : "", (long long)a->ranges[i].lo, (long long)a->ranges[i].hi);
    sb_putc(out, ']');
    if (a->n || (a->below_in < 0 && a->above_in < 0)) return;
    sb_puts(out, ", \"nearest\": [");
    if (a->below_in >= 0) {
        sb_puts(out, "{\"hw\": ");
        json_hw(out, rank, a->below_size);
        sb_printf(out, ", \"in_features\": %lld}", (long long)a->below_in);
    }
    if (a->above_in >= 0) {
        sb_printf(out, "%s{\"hw\": ", a->below_in >= 0 ? ", " : "");
        json_hw(out, rank, a->above_size);
        sb_printf(out, ", \"in_features\": %lld}", (long long)a->above_in);
    }
    sb_putc(out, ']');
}

char *probe_json_quote(const char *s)
{
    sb out;
    sb_init(&out);
    json_str(&out, s);
    return sb_take(&out);
}

void report_json(sb *out, const probe_result *res)
{
    sb_puts(out, "{\"net\": ");
    json_str(out, res->net->name);
    sb_puts(out, ", \"input\": ");
    if (res->has_input) sb_put_dims(out, res->input.dim, res->input.ndim);
    else sb_puts(out, "null");
    sb_printf(out, ", \"status\": \"%s\", \"in_features\": ", probe_status_name(res->status));
    if (res->in_features >= 0) sb_printf(out, "%lld", (long long)res->in_features);
    else sb_puts(out, "null");
    sb_puts(out, ", \"output\": ");
    if (res->has_output) sb_put_dims(out, res->output.dim, res->output.ndim);
    else sb_puts(out, "null");
    sb_puts(out, ", \"implicit_flatten\": ");
    if (res->implicit_row >= 0) sb_printf(out, "%u", exec_row_layer(res, (size_t)res->implicit_row)->name_span.line);
    else sb_puts(out, "null");
    sb_puts(out, ", ");
    json_errors(out, res);
    sb_puts(out, ", ");
    json_fixes(out, res);
    if (res->net->forward) json_warnings(out, res);
    sb_puts(out, ", ");
    json_layers(out, res);
    if (res->inferred) json_accepts(out, &res->accepts, res->input.ndim - 2);
    else if (res->has_input) report_summary_json(out, res);
    sb_putc(out, '}');
}

char *probe_result_json(const probe_result *res) { return report_whole(report_json, res); }
