/* report_text.c - what a person reads: the per-layer table with the
 * verdict, and compiler-style diagnostics with a caret and a fix. */
#include "run/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exec_format_ints(sb *out, const probe_ints *v, bool tuple)
{
    int n = v->n < 0 ? 0 : v->n;
    if (tuple && n == 1) { sb_printf(out, "(%lld,)", (long long)v->v[0]); return; }
    if (!tuple) {
        sb_put_dims(out, v->v, n);
        return;
    }
    sb_putc(out, '(');
    sb_put_ints(out, v->v, n, ", ");
    sb_putc(out, ')');
}

void report_put_folded(sb *out, const char *text, size_t from, size_t to)
{
    bool blank = false;
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { blank = true; continue; }
        if (blank && out->len && out->buf[out->len - 1] != '(') sb_putc(out, ' ');
        blank = false;
        sb_putc(out, c);
    }
}

static void put_need(sb *out, const run_fix *fx)
{
    if (fx->is_ints) exec_format_ints(out, &fx->need_ints, false);
    else sb_printf(out, "%lld", (long long)fx->need);
}

char *exec_fixed_call(probe_result *res, const run_fix *fx)
{
    const probe_net *net = res->net;
    const layer *ly = fx->ly;
    if (ly->flags & LAYER_LIBRARY) return NULL;     /* written nowhere in the file */
    src_span at = layer_span(net, ly, fx->param), place = net_fix_span(net, ly, fx->param);
    sb out;
    sb_init(&out);
    if (place.off != at.off) {
        /* written elsewhere (conv_block(1, 12, 2)): that line, mended */
        uint32_t from = place.off, to = place.end;
        while (from > 0 && net->text[from - 1] != '\n') from--;
        while (to < net->len && net->text[to] != '\n' && net->text[to] != '\r') to++;
        while (from < place.off && (net->text[from] == ' ' || net->text[from] == '\t')) from++;
        report_put_folded(&out, net->text, from, place.off);
        put_need(&out, fx);
        report_put_folded(&out, net->text, place.end, to);
        char *line = sb_take(&out);
        char *copy = line ? arena_strndup(&res->ar, line, strlen(line)) : NULL;
        free(line);
        return copy;
    }
    /* a value the file does not write (a Lazy layer's) has nothing to replace */
    bool written = layer_arg(ly, fx->param) != NULL;
    uint32_t from = written ? at.off : ly->end, to = written ? at.end : ly->end;
    report_put_folded(&out, net->text, ly->name_span.off, from);
    put_need(&out, fx);
    report_put_folded(&out, net->text, to, ly->end);
    char *s = sb_take(&out);
    if (!s) return NULL;
    char *copy = arena_strndup(&res->ar, s, strlen(s));
    free(s);
    return copy;
}

probe_error_info probe_result_error(const probe_result *res, size_t i)
{
    const run_error *e = &VEC_AT(res->errors, run_error, i);
    probe_error_info info;
    info.kind = e->d.kind;
    info.line = (int)e->d.at.line;
    info.col = (int)e->d.at.col;
    info.layer = e->d.layer;
    info.message = e->d.message;
    info.fix = NULL;
    if (e->fix >= 0)
        info.fix = exec_fixed_call((probe_result *)res, &VEC_AT(res->fixes, run_fix, (size_t)e->fix));
    return info;
}

/* A message as a terminal should show it: a control byte from the file
 * (a string argument may hold one) is written as \xNN. */
static void put_visible(sb *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) sb_printf(out, "\\x%02x", *p);
        else sb_putc(out, (char)*p);
    }
}

/* The number of code points in text[from, to): columns count them. */
static size_t width(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) n++;
    return n;
}

/* gcc's layout: " 7 | source line", "   |     ^~~~", one line each */
static void put_source(sb *out, const probe_net *net, src_span at)
{
    size_t start, n;
    lex_line_at(net->text, net->len, at.off, &start, &n);
    if (n > 200) return;        /* a huge line helps nobody on a terminal */
    char num[24];
    int w = snprintf(num, sizeof num, "%u", at.line);
    sb_printf(out, " %s | ", num);
    /* control bytes (a NUL among them) would cut or garble the line, and a
     * byte that is no UTF-8 (0x9b is a terminal's CSI) is shown as U+FFFD */
    for (size_t i = start; i < start + n; i++) {
        unsigned char c = (unsigned char)net->text[i];
        size_t cp = c < 0x80 ? 1 : util_utf8_len(net->text + i, start + n - i);
        if (c < 0x20 && c != '\t') sb_puts(out, "\xe2\x90\x80");   /* U+2400, one column wide */
        else if (!cp) sb_puts(out, "\xef\xbf\xbd");
        else if (cp > 1) { sb_putn(out, net->text + i, cp); i += cp - 1; }
        else sb_putc(out, (char)c);
    }
    sb_printf(out, "\n %*s | ", w, "");
    for (size_t i = start; i < at.off && i < start + n; i++)
        if (((unsigned char)net->text[i] & 0xC0) != 0x80) sb_putc(out, net->text[i] == '\t' ? '\t' : ' ');
    sb_putc(out, '^');
    size_t end = at.end < start + n ? at.end : start + n;
    size_t len = end > at.off ? width(net->text, at.off, end) : 1;
    for (size_t i = 1; i < len; i++) sb_putc(out, '~');
    sb_putc(out, '\n');
}

char *probe_result_diagnostics(const probe_result *res)
{
    const probe_net *net = res->net;
    sb out;
    sb_init(&out);
    if (net->unclosed && res->status != PROBE_INVALID)
        sb_printf(&out, "%s:%u:%u: note: %d container%s still open at the end of the file %s closed there\n",
                  net->name, net->unclosed_at.line, net->unclosed_at.col, net->unclosed,
                  net->unclosed == 1 ? "" : "s", net->unclosed == 1 ? "was" : "were");
    for (size_t i = 0; i < net->notes.len; i++) {
        const diag *d = &VEC_AT(net->notes, diag, i);
        sb_printf(&out, "%s:%u:%u: note: %s\n", net->name, d->at.line, d->at.col, diag_message(d));
    }
    for (size_t i = 0; i < res->warnings.len; i++) {
        const run_warning *w = &VEC_AT(res->warnings, run_warning, i);
        sb_printf(&out, "%s:%u:%u: warning: %s\n", net->name, w->d.at.line, w->d.at.col, diag_message(&w->d));
        if (net->len) put_source(&out, net, w->d.at);
    }
    if (res->implicit_row >= 0) {
        const src_span *st = &exec_row_layer(res, (size_t)res->implicit_row)->name_span;
        const probe_tensor *from = exec_row_in(res, (size_t)res->implicit_row);
        const probe_tensor *to = exec_row_out(res, (size_t)res->implicit_row);
        sb_printf(&out, "%s:%u:%u: note: flattened ", net->name, st->line, st->col);
        sb_put_dims(&out, from->dim, from->ndim);
        sb_puts(&out, " to ");
        sb_put_dims(&out, to->dim, to->ndim);
        sb_puts(&out, " before this Linear, as forward()'s x.view(x.size(0), -1) would (--strict: no flatten)\n");
    }
    for (size_t i = 0; i < res->errors.len; i++) {
        const run_error *e = &VEC_AT(res->errors, run_error, i);
        if (e->d.at.line > 0) sb_printf(&out, "%s:%u:%u: error: ", net->name, e->d.at.line, e->d.at.col);
        else sb_printf(&out, "%s: error: ", net->name);
        put_visible(&out, e->d.message);
        sb_putc(&out, '\n');
        if (e->d.at.line > 0 && net->len) put_source(&out, net, e->d.at);
        if (e->fix >= 0) {
            char *fixed = exec_fixed_call((probe_result *)res, &VEC_AT(res->fixes, run_fix, (size_t)e->fix));
            if (fixed) sb_printf(&out, "fix: %s\n", fixed);
        }
    }
    return sb_take(&out);
}

/* ---- the table ---------------------------------------------------------- */

void report_put_count(sb *out, int64_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
    for (int i = 0; i < len; i++) {
        sb_putc(out, digits[i]);
        if (digits[i] != '-' && (len - i - 1) % 3 == 0 && i < len - 1) sb_putc(out, ',');
    }
}

void report_put_written(sb *out, sb *full, const probe_net *net, const trace_row *r, const trace_site *at,
                        const layer *ly, size_t max)
{
    full->len = 0;
    size_t n;
    const char *label = layer_label(net, ly, &n);
    bool run_layer = (r->node & MOD_RUN) == MOD_RUN;
    if (ly->flags & LAYER_LIBRARY) {
        /* built by probe's torchvision library: no line of the file is its own */
        sb_printf(full, "%s in ", ly->op->name);
    } else if (at && at->end > at->off && !run_layer) {
        /* a model file's call: `self.pool -> nn.MaxPool2d(2, 2)` */
        report_put_folded(full, net->text, at->off, at->end);
        sb_puts(full, " -> ");
    } else if (label) {
        sb_putn(full, label, n);
        sb_puts(full, label[0] == '(' ? ": " : " = ");
    }
    report_put_folded(full, net->text, ly->name_span.off, ly->end);
    size_t w = full->buf ? width(full->buf, 0, full->len) : 0;
    size_t pad = w < max ? max - w : 0;
    if (w > max) {
        size_t i = 0, cps = 0;
        while (i < full->len && cps < max - 1) {
            i++;
            while (i < full->len && ((unsigned char)full->buf[i] & 0xC0) == 0x80) i++;
            cps++;
        }
        sb_putn(out, full->buf, i);
        sb_puts(out, "\xe2\x80\xa6");   /* … */
    } else if (full->buf) {
        sb_putn(out, full->buf, full->len);
    }
    if (pad) sb_printf(out, "%*s", (int)pad, "");
}

/* "8x8 to 9x9, 12x12" (lengths, or cubes, at other ranks) */
static void put_accepts(sb *out, const probe_accepts_info *a, int rank)
{
    int64_t max = exec_search_max(rank);
    sb_puts(out, "accepts: ");
    if (!a->n) sb_printf(out, "no %s", rank == 1 ? "length" : rank == 3 ? "cube" : "square size");
    for (size_t i = 0; i < a->n; i++) {
        const probe_range *r = &a->ranges[i];
        if (i) sb_puts(out, ", ");
        exec_put_size(out, rank, r->lo);
        if (r->hi == max && r->hi > r->lo) sb_puts(out, " and every larger size tried");
        else if (r->hi > r->lo) {
            sb_puts(out, " to ");
            exec_put_size(out, rank, r->hi);
        }
    }
    const char *kind = rank == 1 ? "lengths" : rank == 3 ? "cubes" : "square inputs";
    sb_printf(out, " (%s from ", kind);
    exec_put_size(out, rank, 1);
    sb_puts(out, " to ");
    if (a->stopped_at > 0) {
        exec_put_size(out, rank, a->stopped_at);
        sb_puts(out, " tried: this net needs every size tried and is large; give --hw for others)\n");
    } else {
        exec_put_size(out, rank, max);
        sb_puts(out, " tried)\n");
    }
}

static void put_verdict(sb *out, const probe_result *res)
{
    const char *status = probe_status_name(res->status);
    if (res->inferred) put_accepts(out, &res->accepts, res->input.ndim - 2);
    if (res->opt.color)
        sb_printf(out, "verdict: \033[1;%sm%s\033[0m", res->status == PROBE_OK ? "32" : "31", status);
    else
        sb_printf(out, "verdict: %s", status);
    if (res->in_features >= 0)
        sb_printf(out, "; the first Linear needs in_features=%lld", (long long)res->in_features);
    sb_putc(out, '\n');
    for (size_t i = 0; i < res->fixes.len; i++) {
        const run_fix *f = &VEC_AT(res->fixes, run_fix, i);
        sb_printf(out, "  line %u: %s ", f->ly->name_span.line, f->ly->op->params[f->param].name);
        if (f->have_null) sb_puts(out, "? -> ");
        else if (f->is_ints) { exec_format_ints(out, &f->have_ints, false); sb_puts(out, " -> "); }
        else sb_printf(out, "%lld -> ", (long long)f->have);
        put_need(out, f);
        sb_putc(out, '\n');
    }
    for (size_t i = 0; i < res->errors.len; i++) {
        const run_error *e = &VEC_AT(res->errors, run_error, i);
        if (e->d.kind == PROBE_MISMATCH) continue;
        if (!e->ly) continue;   /* said in the diagnostics: no layer to name */
        if (e->d.kind == PROBE_TOO_SMALL)
            sb_printf(out, "  the input is too small for %s at line %u\n", e->ly->op->name, e->ly->name_span.line);
        else
            sb_printf(out, "  %s at line %u stops the run\n", e->ly->op->name, e->ly->name_span.line);
    }
}

const run_fix *report_layer_fix(const probe_result *res, const layer *ly, size_t *cursor, size_t *count)
{
    size_t first = 0, n = 0;
    if (res->net->forward) {
        /* a model file's rows follow forward(), not the layers' order: its fixes are few */
        for (size_t i = 0; i < res->fixes.len && (count || !n); i++)
            if (VEC_AT(res->fixes, run_fix, i).ly == ly && !n++) first = i;
    } else {
        while (*cursor < res->fixes.len && VEC_AT(res->fixes, run_fix, *cursor).ly < ly) (*cursor)++;
        first = *cursor;
        while (first + n < res->fixes.len && VEC_AT(res->fixes, run_fix, first + n).ly == ly && (count || !n)) n++;
    }
    if (count) *count = n;
    return n ? &VEC_AT(res->fixes, run_fix, first) : NULL;
}

void report_table(sb *out, const probe_result *res)
{
    const probe_net *net = res->net;
    if (res->has_input) {
        sb_printf(out, "%s: input ", net->name);
        sb_put_dims(out, res->input.dim, res->input.ndim);
        sb_putc(out, '\n');
    } else if (res->inferred) {
        sb_printf(out, "%s: no input size given: searching for the sizes that pass, with %lld input channels\n",
                  net->name, (long long)res->input.dim[1]);
    } else {
        sb_printf(out, "%s: not run\n", net->name);
    }
    if (res->rows.len) {
        sb_printf(out, "%4s %5s  %-44s %-20s %12s\n", "#", "line", "layer", "output", "params");
        int64_t total = 0;
        bool repaired = false;
        size_t cursor = 0, shown = 0;
        sb cell;
        sb_init(&cell);
        for (size_t i = 0; i < res->rows.len; i++) {
            if (!exec_row_shown(res, i)) continue;      /* the note says it */
            const trace_row *r = exec_row(res, i);
            const layer *ly = exec_row_layer(res, i);
            const probe_tensor *t = exec_row_out(res, i);
            sb_printf(out, "%4zu %5u  ", shown++, exec_row_line(res, i));
            report_put_written(out, &cell, net, r, exec_row_site(res, i), ly, 44);
            sb_putc(out, ' ');
            cell.len = 0;
            sb_put_dims(&cell, t->dim, t->ndim);
            sb_printf(out, "%-20s ", cell.buf ? cell.buf : "");
            cell.len = 0;
            report_put_count(&cell, r->params > 0 ? r->params : 0);
            bool fixed = report_layer_fix(res, ly, &cursor, NULL) != NULL;
            repaired |= fixed;
            sb_printf(out, "%12s%s\n", cell.buf ? cell.buf : "0", fixed ? " *" : "");
            if (r->params > 0 && !__builtin_add_overflow(total, r->params, &total)) {}
            sb_spill(out, REPORT_SPILL);
        }
        sb_free(&cell);
        sb total_s;
        sb_init(&total_s);
        report_put_count(&total_s, total);
        sb_printf(out, "%4s %5s  %-44s %-20s %12s\n", "", "", "total parameters", "", total_s.buf ? total_s.buf : "0");
        sb_free(&total_s);
        if (repaired) sb_puts(out, "* run with the size it needs (see below), as the repaired net would\n");
    }
    put_verdict(out, res);
}

char *probe_result_table(const probe_result *res) { return report_whole(report_table, res); }

char *probe_result_verdict(const probe_result *res) { return report_whole(put_verdict, res); }

char *report_whole(void (*report)(sb *, const probe_result *), const probe_result *res)
{
    sb out;
    sb_init(&out);
    report(&out, res);
    return sb_take(&out);
}

int probe_result_write(const probe_result *res, probe_report which, probe_write_fn write, void *ud)
{
    static void (*const reports[PROBE_REPORT_COUNT])(sb *, const probe_result *) = {
        [PROBE_REPORT_TABLE] = report_table, [PROBE_REPORT_JSON] = report_json,
        [PROBE_REPORT_EXPLAIN] = report_explain, [PROBE_REPORT_SUMMARY] = report_summary,
    };
    if ((unsigned)which >= PROBE_REPORT_COUNT || !write) return -1;
    sb out;
    sb_init(&out);
    out.sink = write;
    out.sink_ud = ud;
    reports[which](&out, res);
    sb_spill(&out, 0);
    int rc = out.sink_rc ? out.sink_rc : out.failed ? -1 : 0;
    sb_free(&out);
    return rc;
}
