/* cli_formula.c - --formula: a net's sizes as formulas of the input's,
 * for people, or as the "formula" member of the JSON result. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

/* The JSON result at the size shown, with "formula" as its last member:
 * the result's object is "{...}" on one line, so the member goes in
 * before its closing brace. */
static void print_json(const probe_net *net, const probe_options *opt, const probe_formula *f)
{
    const probe_result *res = probe_formula_result(f);
    probe_result *own = res ? NULL : probe_run(net, opt);
    char *json = probe_result_json(res ? res : own), *member = probe_formula_json(f);
    size_t n = json ? strlen(json) : 0;
    if (!json || !member || !n || json[n - 1] != '}') fputs("probe: error: out of memory\n", stderr);
    else printf("%.*s, \"formula\": %s}\n", (int)(n - 1), json, member);
    free(json);
    free(member);
    probe_result_free(own);
}

/* An invalid net's diagnostics on standard error (text only); true when
 * it is invalid. It is invalid at any size: one run at size 1 says so,
 * where a run without a size would search. */
static bool report_invalid(const cli *c, const probe_net *net, const probe_options *opt)
{
    probe_options one = *opt;
    if (!one.w) {
        one.rank = probe_net_rank(net);
        one.d = one.h = one.w = 1;
    }
    probe_result *res = probe_run(net, &one);
    bool invalid = res && probe_result_status(res) == PROBE_INVALID;
    char *diag = invalid && c->format != CLI_JSON ? probe_result_diagnostics(res) : NULL;
    if (diag) fputs(diag, stderr);
    free(diag);
    probe_result_free(res);
    return invalid;
}

/* Exit code: 0 with a formula, 2 for an invalid net (its diagnostics on
 * standard error), 1 when it has none (it never runs, or not at every
 * size from there on). */
probe_exit cli_formula(const cli *c, const probe_net *net, const probe_options *opt)
{
    probe_formula *f = probe_formula_new(net, opt);
    if (!f) {
        fputs("probe: error: out of memory\n", stderr);
        return PROBE_EXIT_INVALID;
    }
    probe_exit code = probe_formula_why(f) ? PROBE_EXIT_SHAPE : PROBE_EXIT_OK;
    if (!probe_formula_result(f) && report_invalid(c, net, opt)) code = PROBE_EXIT_INVALID;
    if (c->format == CLI_JSON) {
        print_json(net, opt, f);
    } else {
        if (c->nnets > 1) printf("%s\n", probe_net_name(net));
        char *text = probe_formula_text(f);
        if (text) fputs(text, stdout);
        else fputs("probe: error: out of memory\n", stderr);
        free(text);
    }
    probe_formula_free(f);
    return code;
}
