/* cli_main.c - probe's command line run: every net at every size, one result each,
 * the exit code the worst of them, and a one-line tally when there are
 * several. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
    int results, nets;
    int by_status[PROBE_STATUS_COUNT];
    probe_exit worst;
} tally;

static void count(tally *t, probe_status st)
{
    t->results++;
    t->by_status[st]++;
    probe_exit code = probe_status_exit(st);
    if (code > t->worst) t->worst = code;
}

static probe_options options_for(const cli *c, const cli_size *hw)
{
    probe_options opt = probe_options_default();
    opt.strict = c->strict;
    opt.explain = c->explain;
    opt.color = c->color_out;
    if (c->has_input) {
        const int64_t *sz = c->input + 1;
        opt.channels = c->input[0];
        opt.rank = c->input_rank;
        opt.w = sz[c->input_rank - 1];
        if (c->input_rank >= 2) opt.h = sz[c->input_rank - 2];
        if (c->input_rank == 3) opt.d = sz[0];
    }
    if (hw) {
        opt.rank = hw->rank;
        opt.d = hw->d;
        opt.h = hw->h;
        opt.w = hw->w;
    }
    return opt;
}

/* Writes s as data of a workflow command: GitHub reads %, CR and LF as
 * escapes, and in a property (file=) also ':' and ',', which would end it
 * (a file named "x,line=99::y.cfg" would move the annotation). */
static void put_github(const char *s, bool property)
{
    for (; *s; s++) {
        if (*s == '%') fputs("%25", stdout);
        else if (*s == '\r') fputs("%0D", stdout);
        else if (*s == '\n') fputs("%0A", stdout);
        else if (property && *s == ':') fputs("%3A", stdout);
        else if (property && *s == ',') fputs("%2C", stdout);
        else putchar(*s);
    }
}

/* GitHub Actions annotations: one ::error per error, on the diff's line. */
static void print_github(const char *path, const probe_result *res)
{
    for (size_t i = 0; i < probe_result_error_count(res); i++) {
        probe_error_info e = probe_result_error(res, i);
        fputs("::error file=", stdout);
        put_github(path, true);
        printf(",line=%d,col=%d::", e.line > 0 ? e.line : 1, e.col > 0 ? e.col : 1);
        put_github(e.message, false);
        /* the fix is message text too: it may quote a comment */
        if (e.fix) {
            fputs(" (fix: ", stdout);
            put_github(e.fix, false);
            putchar(')');
        }
        putchar('\n');
    }
}

static int write_to(void *file, const char *bytes, size_t n)
{
    return fwrite(bytes, 1, n, file) == n ? 0 : 1;
}

static void print_result(const cli *c, const char *path, const probe_net *net, const probe_result *res)
{
    probe_status st = probe_result_status(res);
    char *text = NULL;
    if (c->format == CLI_GITHUB) {
        print_github(path, res);
        return;
    }
    if (c->format != CLI_JSON) {
        char *diag = probe_result_diagnostics(res);
        if (diag) fputs(diag, stderr);
        free(diag);
    }
    /* --diff's standard output is the patch alone, --svg -'s the picture */
    if ((c->quiet && st == PROBE_OK) || c->diff || (c->svg && !strcmp(c->svg, "-"))) return;
    /* the per-layer reports are written as they are made: a million rows
     * are not held whole */
    if (c->format == CLI_JSON) {
        probe_result_write(res, PROBE_REPORT_JSON, write_to, stdout);
        putchar('\n');
    } else if (c->trick) {
        probe_options opt = probe_result_options(res);
        text = probe_trick(net, &opt);
        if (text) fputs(text, stdout);
    } else if (c->explain || c->summary) {
        probe_result_write(res, c->explain ? PROBE_REPORT_EXPLAIN : PROBE_REPORT_SUMMARY, write_to, stdout);
        text = probe_result_verdict(res);
        if (text) fputs(text, stdout);
    } else {
        probe_result_write(res, PROBE_REPORT_TABLE, write_to, stdout);
    }
    free(text);
}

/* Probes one net at every size; --fix and --diff then mend it. */
static void probe_net_file(const cli *c, probe_registry *reg, const char *path, tally *t)
{
    size_t len = 0;
    /* before the read: a FIFO must not be opened, let alone twice */
    if ((c->fix || c->diff) && cli_fix_target_check(c, path) != PROBE_EXIT_OK) {
        count(t, PROBE_INVALID);
        return;
    }
    char *text = cli_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "probe: error: cannot read '%s': %s\n", path, cli_read_why(errno));
        count(t, PROBE_INVALID);
        return;
    }
    const char *name = strcmp(path, "-") ? path : "<stdin>";
    /* the net takes the buffer over: a huge file is not held twice */
    probe_net *net = probe_net_adopt_model(reg, name, text, len, c->model);
    if (!net) {
        fprintf(stderr, "probe: error: out of memory reading '%s'\n", path);
        count(t, PROBE_INVALID);
        return;
    }
    t->nets++;
    if (c->formula) {
        probe_options opt = options_for(c, c->nhws ? &c->hws[0] : NULL);
        probe_exit code = cli_formula(c, net, &opt);
        count(t, code == PROBE_EXIT_OK ? PROBE_OK : code == PROBE_EXIT_INVALID ? PROBE_INVALID : PROBE_MISMATCH);
    } else if (c->min_hw || c->sweep) {
        probe_options base = options_for(c, NULL);
        probe_exit code = c->min_hw ? cli_min_hw(c, net, &base) : cli_sweep(c, net, &base);
        count(t, code == PROBE_EXIT_OK ? PROBE_OK : code == PROBE_EXIT_INVALID ? PROBE_INVALID : PROBE_MISMATCH);
    } else {
        int nsizes = c->nhws ? c->nhws : 1;
        probe_result **results = calloc((size_t)nsizes, sizeof *results);
        for (int k = 0; results && k < nsizes; k++) {
            probe_options opt = options_for(c, c->nhws ? &c->hws[k] : NULL);
            results[k] = probe_run(net, &opt);
            if (!results[k]) { fprintf(stderr, "probe: error: out of memory\n"); count(t, PROBE_INVALID); continue; }
            print_result(c, name, net, results[k]);
            count(t, probe_result_status(results[k]));
        }
        if (results && results[0] && c->svg) {
            char *svg = probe_result_svg(results[0]);
            probe_exit code = cli_svg_write(c, c->svg, svg);
            free(svg);
            if (code > t->worst) t->worst = code;
        }
        if (results && (c->fix || c->diff)) {
            const char *src = probe_net_text(net, &len);
            probe_exit code = cli_fix(c, path, src, len, (const probe_result *const *)results, (size_t)nsizes);
            if (code > t->worst) t->worst = code;
        }
        for (int k = 0; results && k < nsizes; k++) probe_result_free(results[k]);
        free(results);
    }
    probe_net_free(net);
}

static void print_tally(const cli *c, const tally *t)
{
    static const char *const words[PROBE_STATUS_COUNT] = {
        [PROBE_OK] = "ok", [PROBE_MISMATCH] = "mismatch", [PROBE_TOO_SMALL] = "too small",
        [PROBE_ERROR] = "error", [PROBE_INVALID] = "invalid",
    };
    int sizes = c->nhws ? c->nhws : 1;
    FILE *out = c->format == CLI_JSON ? stderr : stdout;
    fprintf(out, "%d net%s x %d size%s:", c->nnets, c->nnets == 1 ? "" : "s", sizes, sizes == 1 ? "" : "s");
    bool first = true;
    for (int s = 0; s < PROBE_STATUS_COUNT; s++) {
        if (!t->by_status[s] && s != PROBE_OK) continue;
        fprintf(out, "%s %d %s", first ? "" : ",", t->by_status[s], words[s]);
        first = false;
    }
    fputc('\n', out);
}

int cli_main(int argc, char **argv)
{
    cli c;
    probe_exit code;
    if (!cli_parse_args(argc, argv, &c, &code)) {
        cli_free(&c);
        return code;
    }
    probe_registry *reg = probe_registry_new();
    if (!reg) {
        fprintf(stderr, "probe: error: cannot set up the layer registry\n");
        cli_free(&c);
        return PROBE_EXIT_INVALID;
    }
    for (int i = 0; i < c.nplugins; i++) {
        if (probe_registry_load_plugin(reg, c.plugins[i]) != 0) {
            fprintf(stderr, "probe: error: --plugin: %s\n", probe_registry_error(reg));
            probe_registry_free(reg);
            cli_free(&c);
            return PROBE_EXIT_INVALID;
        }
    }
    /* before any run: a picture is never written over a directory or a FIFO */
    if (c.svg && cli_svg_check(&c, c.svg) != PROBE_EXIT_OK) {
        probe_registry_free(reg);
        cli_free(&c);
        return PROBE_EXIT_INVALID;
    }
    tally t;
    memset(&t, 0, sizeof t);
    for (int i = 0; i < c.nnets; i++) probe_net_file(&c, reg, c.nets[i], &t);
    if (t.results > 1 && !c.min_hw && !c.sweep && !c.formula) print_tally(&c, &t);
    fflush(stdout);
    probe_registry_free(reg);
    cli_free(&c);
    return t.worst;
}
