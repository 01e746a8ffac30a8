/* report_summary.c - a torchinfo-style summary: parameters and mult-adds
 * per layer and in total, and the memory estimate.
 *
 * torchinfo's conventions, followed here so the numbers can be compared:
 * - mult-adds of a layer with weights: for a convolution (OPF_CONV_MACS:
 *   torchinfo tells one by "Conv" in its class name) params x N x H_out x W_out, the channels being already in
 *   the weight count; for any other layer params x N. Layers without
 *   weights count 0.
 * - every parameter is trainable (probe knows of no frozen ones); buffers
 *   such as BatchNorm's running statistics are not parameters.
 * - sizes are float32 (4 bytes) and MB is 10^6 bytes: input size is the
 *   input tensor; forward/backward pass size is twice (values and their
 *   gradients) the outputs of the layers that have parameters; params
 *   size the parameters; the estimated total is their sum. */
#include "run/result.h"

#include <stdio.h>
#include <string.h>

static int64_t numel(const probe_tensor *t)
{
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++)
        if (__builtin_mul_overflow(n, t->dim[i], &n)) return INT64_MAX;
    return n;
}

int64_t report_mult_adds(const probe_result *res, size_t i)
{
    int64_t params = exec_row(res, i)->params;
    const probe_tensor *out = exec_row_out(res, i);
    if (params <= 0) return 0;
    int64_t batch = out->ndim ? out->dim[0] : 1;
    if (exec_row_layer(res, i)->op->flags & OPF_CONV_MACS) {
        int64_t spatial = 1;
        for (int k = 2; k < out->ndim; k++) spatial = util_sat_mul(spatial, out->dim[k]);
        return util_sat_mul(params, util_sat_mul(batch, spatial));
    }
    return util_sat_mul(params, batch);
}


/* torchinfo's automatic units: "(M): 714.68", "(MB): 0.60" */
static void put_scaled(sb *out, const char *label, double v, bool bytes)
{
    static const struct { double f; const char *u; } units[] = {
        { 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "K" },
    };
    const char *u = "";
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (v >= units[i].f) { v /= units[i].f; u = units[i].u; break; }
    }
    if (bytes && !*u) sb_printf(out, "%s (B): %.2f\n", label, v);
    else if (*u) sb_printf(out, "%s (%s%s): %.2f\n", label, u, bytes ? "B" : "", v);
    else sb_printf(out, "%s: %.0f\n", label, v);
}

/* The input tensor's bytes as float32, the batch of one left out as
 * torchinfo leaves it. */
static double input_bytes_of(const probe_result *res)
{
    if (!res->has_input) return 0;
    double bytes = 4.0;
    for (int i = 1; i < res->input.ndim; i++) bytes *= (double)res->input.dim[i];
    return bytes;
}

typedef struct totals {
    int64_t params, mult_adds, output_values;
} totals;

static totals sum_rows(const probe_result *res)
{
    totals t = { 0, 0, 0 };
    for (size_t i = 0; i < res->rows.len; i++) {
        const trace_row *r = exec_row(res, i);
        if (r->params > 0) {
            t.params = util_sat_add(t.params, r->params);
            t.output_values = util_sat_add(t.output_values, numel(exec_row_out(res, i)));
        }
        t.mult_adds = util_sat_add(t.mult_adds, report_mult_adds(res, i));
    }
    return t;
}

void report_summary(sb *out, const probe_result *res)
{
    sb cell;
    sb_init(&cell);
    const char *rule = "==========================================================================================\n";
    sb_puts(out, rule);
    sb_printf(out, "%-28s %5s  %-22s %14s %16s\n", "Layer (type)", "line", "Output Shape", "Param #", "Mult-Adds");
    sb_puts(out, rule);
    for (size_t i = 0; i < res->rows.len; i++) {
        if (!exec_row_shown(res, i)) continue;
        const trace_row *r = exec_row(res, i);
        const layer *ly = exec_row_layer(res, i);
        const probe_tensor *t = exec_row_out(res, i);
        char name[29];
        size_t n;
        const char *label = layer_label(res->net, ly, &n);
        if (label)
            snprintf(name, sizeof name, "%.*s (%s)", (int)n, label, ly->op->name);
        else
            snprintf(name, sizeof name, "%s", ly->op->name);
        sb_printf(out, "%-28s %5u  ", name, exec_row_line(res, i));
        cell.len = 0;
        sb_put_dims(&cell, t->dim, t->ndim);
        sb_printf(out, "%-22s ", cell.buf);
        cell.len = 0;
        report_put_count(&cell, r->params > 0 ? r->params : 0);
        sb_printf(out, "%14s ", cell.buf);
        cell.len = 0;
        report_put_count(&cell, report_mult_adds(res, i));
        sb_printf(out, "%16s\n", cell.buf);
        sb_spill(out, REPORT_SPILL);
    }
    totals t = sum_rows(res);
    sb_puts(out, rule);
    cell.len = 0;
    report_put_count(&cell, t.params);
    sb_printf(out, "Total params: %s\nTrainable params: %s\nNon-trainable params: 0\n", cell.buf, cell.buf);
    put_scaled(out, "Total mult-adds", (double)t.mult_adds, false);
    sb_puts(out, rule);
    double input_bytes = input_bytes_of(res);
    double pass_bytes = 2.0 * 4.0 * (double)t.output_values;
    double param_bytes = 4.0 * (double)t.params;
    sb_printf(out, "Input size (MB): %.2f\n", input_bytes / 1e6);
    sb_printf(out, "Forward/backward pass size (MB): %.2f\n", pass_bytes / 1e6);
    sb_printf(out, "Params size (MB): %.2f\n", param_bytes / 1e6);
    sb_printf(out, "Estimated Total Size (MB): %.2f\n", (input_bytes + pass_bytes + param_bytes) / 1e6);
    sb_puts(out, rule);
    if (res->status != PROBE_OK)
        sb_printf(out, "(the run stopped or repaired sizes: %s; the figures are for the layers shown)\n",
                  probe_status_name(res->status));
    sb_free(&cell);
}

char *probe_result_summary(const probe_result *res) { return report_whole(report_summary, res); }

void report_summary_json(sb *out, const probe_result *res)
{
    totals t = sum_rows(res);
    double input_bytes = input_bytes_of(res);
    sb_printf(out, ", \"summary\": {\"total_params\": %lld, \"trainable_params\": %lld, \"non_trainable_params\": 0, "
                   "\"total_mult_adds\": %lld, \"input_bytes\": %.0f, \"forward_backward_bytes\": %.0f, "
                   "\"params_bytes\": %.0f}",
              (long long)t.params, (long long)t.params, (long long)t.mult_adds, input_bytes,
              8.0 * (double)t.output_values, 4.0 * (double)t.params);
}
