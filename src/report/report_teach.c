/* report_teach.c - texts that show the working: --explain (each layer's
 * formula with the numbers put in) and --trick (the forum trick's own
 * transcript, run for real). */
#include "run/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void put_indented(sb *out, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        sb_puts(out, "        ");
        sb_putn(out, text, n);
        sb_putc(out, '\n');
        text += n + (nl ? 1 : 0);
    }
}

static void put_flatten(sb *out, const probe_tensor *from)
{
    int64_t n = 1;
    sb_puts(out, "line -  forward()'s x.view(x.size(0), -1) before the first Linear (implicit flatten)\n        ");
    for (int i = 1; i < from->ndim; i++) {
        sb_printf(out, "%s%lld", i > 1 ? " * " : "", (long long)from->dim[i]);
        if (__builtin_mul_overflow(n, from->dim[i], &n)) n = INT64_MAX;
    }
    sb_printf(out, " = %lld: ", (long long)n);
    sb_put_dims(out, from->dim, from->ndim);
    sb_printf(out, " -> [%lld, %lld]\n", (long long)from->dim[0], (long long)n);
}

void report_explain(sb *out, const probe_result *res)
{
    const probe_net *net = res->net;
    if (res->has_input) {
        sb_printf(out, "%s with input ", net->name);
        sb_put_dims(out, res->input.dim, res->input.ndim);
        sb_puts(out, ":\n");
    }
    for (size_t i = 0; i < res->rows.len; i++) {
        const layer *ly = exec_row_layer(res, i);
        const probe_tensor *in = exec_row_in(res, i), *t = exec_row_out(res, i);
        const char *explain = exec_row_explain(res, i);
        if (!exec_row_shown(res, i)) {
            put_flatten(out, in);
            continue;
        }
        sb_printf(out, "line %u  ", exec_row_line(res, i));
        report_put_folded(out, net->text, ly->name_span.off, ly->end);
        sb_puts(out, "\n        ");
        sb_put_dims(out, in->dim, in->ndim);
        sb_puts(out, " -> ");
        sb_put_dims(out, t->dim, t->ndim);
        sb_putc(out, '\n');
        if (explain) put_indented(out, explain);
        else if (in->ndim == t->ndim && !memcmp(in->dim, t->dim, sizeof in->dim[0] * (size_t)in->ndim))
            put_indented(out, "element-wise: the shape does not change");
        sb_spill(out, REPORT_SPILL);
    }
    for (size_t i = 0; i < res->errors.len; i++) {
        const run_error *e = &VEC_AT(res->errors, run_error, i);
        if (e->d.kind == PROBE_MISMATCH || !e->ly) continue;
        sb_printf(out, "line %u  ", e->ly->name_span.line);
        report_put_folded(out, net->text, e->ly->name_span.off, e->ly->end);
        sb_putc(out, '\n');
        if (e->explain) put_indented(out, e->explain);
        sb_puts(out, "        -> ");
        sb_puts(out, e->d.message);
        sb_putc(out, '\n');
    }
}

char *probe_result_explain(const probe_result *res) { return report_whole(report_explain, res); }

char *probe_trick(const probe_net *net, const probe_options *opt)
{
    const int64_t wrong = 1;
    probe_result res;
    exec_init(&res, net, opt);
    res.trick_in_features = wrong;
    exec_run(&res);
    sb out;
    sb_init(&out);
    const layer *lin = net_first_linear(net);
    sb_puts(&out, "# The forum trick: feed a dummy image through the net with the first\n"
                  "# Linear's in_features deliberately wrong; PyTorch's error names the right one.\n");
    if (res.has_input) {
        sb_puts(&out, "x = torch.rand(");
        sb_put_ints(&out, res.input.dim, res.input.ndim, ", ");
        int rank = res.input.ndim - 2;
        sb_puts(&out, rank == 1 ? ")   # one dummy signal, C x L\n"
                      : rank == 3 ? ")   # one dummy clip or volume, C x D x H x W\n"
                                  : ")   # one dummy image, C x H x W\n");
    }
    if (lin) {
        int p = bind_param_index(lin->op, "out_features");
        char path[256];
        net_python_path(net, lin, path, sizeof path);
        sb_puts(&out, path);
        sb_printf(&out, " = nn.Linear(%lld, %lld)   # deliberately wrong in_features\n",
                  (long long)wrong, p >= 0 ? (long long)layer_int(lin, p) : 0LL);
    }
    sb_puts(&out, "try:\n    model(x)\nexcept RuntimeError as e:\n    print(e)\n\n");
    const run_error *stop = NULL;
    for (size_t i = 0; i < res.errors.len; i++) {
        const run_error *e = &VEC_AT(res.errors, run_error, i);
        if (e->d.kind != PROBE_MISMATCH) { stop = e; break; }
    }
    if (res.trick_caught) {
        sb_printf(&out, "RuntimeError: %s\n\n", res.trick_message);
        sb_printf(&out, "# mat1 is the flattened input [1, N]: N = %lld is what the Linear receives.\n",
                  (long long)res.trick_need);
        int p = lin->op->features;
        bool matches = p >= 0 && layer_infer(lin, p) == INFER_NONE && layer_int(lin, p) == res.trick_need;
        if (matches) sb_puts(&out, "Image size is compatible with layer sizes.\n");
        else sb_printf(&out, "Linear layer needs to have size: %lld\n", (long long)res.trick_need);
    } else if (stop && (stop->d.kind == PROBE_TOO_SMALL || stop->d.kind == PROBE_INVALID)) {
        sb_printf(&out, "%s: %s\n\n", stop->d.kind == PROBE_INVALID ? "Error" : "RuntimeError", stop->d.message);
        if (stop->d.kind == PROBE_TOO_SMALL) sb_puts(&out, "Image size is too small.\n");
    } else if (stop) {
        sb_printf(&out, "RuntimeError: %s\n\n# the run stopped before the first Linear\n", stop->d.message);
    } else if (!lin) {
        sb_puts(&out, "# no Linear in this net: nothing to read a size from\nImage size is compatible with layer sizes.\n");
    } else {
        sb_puts(&out, "Image size is compatible with layer sizes.\n");
    }
    exec_release(&res);
    return sb_take(&out);
}
