/* cli_sizes.c - --min-hw and --sweep: questions about many sizes of one
 * net, answered with quick runs. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The largest size --min-hw tries: a side of a square or cube, a length. */
enum { MIN_HW_LIMIT = 65536, MIN_LENGTH_LIMIT = 1000000 };

static void print_json_str(const char *s)
{
    char *q = probe_json_quote(s);
    if (q) fputs(q, stdout);
    free(q);
}

/* "8000" -> [8000], "16x112x112" -> [16, 112, 112] */
static void print_json_size(const char *text)
{
    putchar('[');
    for (const char *p = text; *p; p++) fputs(*p == 'x' ? ", " : (char[]){ *p, 0 }, stdout);
    putchar(']');
}

static void print_min_hw_json(const char *name, const char *found, const char *refused, const probe_error_info *e)
{
    fputs("{\"net\": ", stdout);
    print_json_str(name);
    fputs(", \"min_hw\": ", stdout);
    if (found) print_json_size(found);
    else fputs("null", stdout);
    if (refused) {
        fputs(", \"refused_below\": {\"hw\": ", stdout);
        print_json_size(refused);
        printf(", \"line\": %d, \"layer\": ", e->line);
        print_json_str(e->layer ? e->layer : "");
        printf(", \"kind\": \"%s\", \"message\": ", probe_status_name(e->kind));
        print_json_str(e->message);
        fputc('}', stdout);
    }
    fputs("}\n", stdout);
}

/* The rank a question about many sizes asks at: the --hw's, else the net's. */
static int sizes_rank(const cli *c, const probe_net *net)
{
    return c->nhws ? c->hws[0].rank : c->has_input ? c->input_rank : probe_net_rank(net);
}

/* Which sides --min-hw searches: all (a square, a cube, a length), or the
 * '?' of --hw 224x? or 16x?x? (the given sides fixed). */
static void min_hw_sides(const cli *c, probe_options *base, int64_t *fixed_h, int64_t *fixed_w)
{
    *fixed_h = *fixed_w = 0;
    base->d = 0;
    if (!c->nhws) return;
    const cli_size *s = &c->hws[0];
    bool full = s->w && (s->rank < 2 || s->h) && (s->rank < 3 || s->d);
    if (full) return;   /* a full size: search them all alike */
    *fixed_h = s->h;
    *fixed_w = s->w;
    base->d = s->d;
}

probe_exit cli_min_hw(const cli *c, const probe_net *net, const probe_options *base_in)
{
    probe_options base = *base_in;
    base.rank = sizes_rank(c, net);
    int64_t fh, fw;
    min_hw_sides(c, &base, &fh, &fw);
    int64_t limit = base.rank == 1 ? MIN_LENGTH_LIMIT : MIN_HW_LIMIT;
    probe_accepts_info info;
    if (probe_accepts(net, &base, 1, limit, fh, fw, &info) != 0) {
        fprintf(stderr, "probe: error: out of memory\n");
        return PROBE_EXIT_INVALID;
    }
    const char *name = probe_net_name(net);
    int64_t min = info.n ? info.ranges[0].lo : 0;
    probe_accepts_free(&info);
    probe_result *below = NULL;
    probe_options at = base;
    int64_t s = min > 1 ? min - 1 : 1;
    at.h = fh ? fh : s;
    at.w = fw ? fw : s;
    at.d = base.d ? base.d : s;
    if (min != 1) below = probe_run(net, &at);
    if (below && probe_result_status(below) == PROBE_INVALID) {
        char *diag = probe_result_diagnostics(below);
        if (diag) fputs(diag, stderr);
        free(diag);
        probe_result_free(below);
        return PROBE_EXIT_INVALID;
    }
    char found[96], refused[96], top[96];
    cli_size_text(found, sizeof found, base.rank, base.d ? base.d : min, fh ? fh : min, fw ? fw : min);
    cli_size_text(refused, sizeof refused, base.rank, at.d, at.h, at.w);
    cli_size_text(top, sizeof top, base.rank, base.d ? base.d : limit, fh ? fh : limit, fw ? fw : limit);
    probe_error_info e = { PROBE_OK, 0, 0, NULL, NULL, NULL };
    if (below && probe_result_error_count(below)) e = probe_result_error(below, probe_result_error_count(below) - 1);
    if (c->format == CLI_JSON) print_min_hw_json(name, min ? found : NULL, below && e.message ? refused : NULL, &e);
    else if (min) {
        printf("%s: the smallest input that passes is %s\n", name, found);
        if (below && e.message)
            printf("  at %s, %s at line %d refuses it: %s\n", refused, e.layer ? e.layer : "the net", e.line, e.message);
    } else {
        printf("%s: no input up to %s passes as written\n", name, top);
        if (below && e.message) printf("  at %s: %s\n", refused, e.message);
        /* a clip's length is rarely its side: C3D wants 16 frames of 112x112 */
        if (base.rank == 3 && !base.d && !fh && !fw)
            printf("  (cubes were tried: fix the depth and search the rest with --min-hw --hw DEPTHx?x?)\n");
    }
    probe_result_free(below);
    return min ? PROBE_EXIT_OK : PROBE_EXIT_SHAPE;
}

typedef struct sweep_row {
    int64_t lo, hi, in_features;
    probe_status status;
} sweep_row;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_sweep_row(const cli *c, const sweep_row *r, bool first, int rank)
{
    if (c->svg && !strcmp(c->svg, "-")) return;     /* standard output is the chart's */
    if (c->format == CLI_JSON) {
        printf("%s{\"lo\": %lld, \"hi\": %lld, \"status\": \"%s\", \"in_features\": ", first ? "" : ", ",
               (long long)r->lo, (long long)r->hi, probe_status_name(r->status));
        if (r->in_features >= 0) printf("%lld}", (long long)r->in_features);
        else fputs("null}", stdout);
        return;
    }
    char lo[96], hi[96], sizes[200];
    cli_size_text(lo, sizeof lo, rank, r->lo, r->lo, r->lo);
    cli_size_text(hi, sizeof hi, rank, r->hi, r->hi, r->hi);
    if (r->lo == r->hi) snprintf(sizes, sizeof sizes, "%s", lo);
    else snprintf(sizes, sizeof sizes, "%s..%s", lo, hi);
    printf("%-24s %-10s ", sizes, probe_status_name(r->status));
    if (r->in_features >= 0) printf("%lld\n", (long long)r->in_features);
    else puts("-");
}

/* The runs of a sweep, kept for --svg's chart. */
typedef struct chart {
    probe_sweep_run *runs;
    size_t n, cap;
    bool failed;
} chart;

static void chart_add(const cli *c, chart *ch, const sweep_row *r)
{
    if (!c->svg || ch->failed) return;
    if (ch->n == ch->cap) {
        size_t cap = ch->cap ? 2 * ch->cap : 64;
        probe_sweep_run *p = realloc(ch->runs, cap * sizeof *p);
        if (!p) { ch->failed = true; return; }
        ch->runs = p;
        ch->cap = cap;
    }
    ch->runs[ch->n++] = (probe_sweep_run){ r->lo, r->hi, r->status, r->in_features };
}

/* The last size a sweep from lo may try within PROBE_WORK_LIMIT layer
 * calls: a 1,000-layer net is swept over 20,000 sizes, not a million. */
static int64_t sweep_last(const cli *c, const probe_net *net)
{
    int64_t layers = (int64_t)probe_net_layer_count(net);
    int64_t sizes = PROBE_WORK_LIMIT / (layers > 0 ? layers : 1);
    if (sizes < 1) sizes = 1;
    return c->sweep_hi - c->sweep_lo >= sizes ? c->sweep_lo + sizes - 1 : c->sweep_hi;
}

/* After the rows of a sweep the work limit cut short: how far it got and
 * what to do, as a usage error (the range asked for was not covered). */
static void sweep_stopped(const cli *c, const probe_net *net, int64_t last, int rank)
{
    char at[96];
    cli_size_text(at, sizeof at, rank, last, last, last);
    fprintf(stderr, "probe: error: --sweep %lld..%lld: stopped after %s (%lld sizes): "
            "%s has %zu layers and a sweep makes at most %d layer calls; sweep a narrower range (%lld..%lld goes on from there)\n",
            (long long)c->sweep_lo, (long long)c->sweep_hi, at,
            (long long)(last - c->sweep_lo + 1), probe_net_name(net), probe_net_layer_count(net),
            PROBE_WORK_LIMIT, (long long)(last + 1),
            (long long)(c->sweep_hi - last > last - c->sweep_lo ? 2 * last - c->sweep_lo + 1 : c->sweep_hi));
}

probe_exit cli_sweep(const cli *c, const probe_net *net, const probe_options *base)
{
    bool progress = isatty(STDERR_FILENO) && c->format != CLI_JSON;
    double start = now(), shown = start;
    sweep_row cur = { 0, 0, -1, PROBE_OK };
    bool have = false, first = true, any_ok = false;
    probe_exit worst = PROBE_EXIT_OK;
    int64_t last = sweep_last(c, net);
    int rank = sizes_rank(c, net);
    if (c->format == CLI_JSON) {
        fputs("{\"net\": ", stdout);
        print_json_str(probe_net_name(net));
        fputs(", \"sweep\": [", stdout);
    } else if (!c->svg || strcmp(c->svg, "-")) {
        printf("%s\n%-24s %-10s %s\n", probe_net_name(net), "size", "status", "in_features");
    }
    chart ch = { NULL, 0, 0, false };
    probe_exit drawn = PROBE_EXIT_OK;
    for (int64_t s = c->sweep_lo; s <= last && s > 0; s++) {
        probe_options o = *base;
        o.rank = rank;
        o.d = o.h = o.w = s;
        int64_t f;
        probe_status st = probe_check(net, &o, &f);
        if (st == PROBE_INVALID) worst = PROBE_EXIT_INVALID;
        any_ok |= st == PROBE_OK;
        if (have && st == cur.status && f == cur.in_features) {
            cur.hi = s;
        } else {
            if (have) { print_sweep_row(c, &cur, first, rank); first = false; chart_add(c, &ch, &cur); }
            cur = (sweep_row){ s, s, f, st };
            have = true;
        }
        if (progress && (s & 63) == 0 && now() - shown > 0.25) {
            shown = now();
            fprintf(stderr, "\rprobe: sweeping %lld/%lld", (long long)(s - c->sweep_lo + 1), (long long)(last - c->sweep_lo + 1));
        }
        if (s == last) break;    /* s++ would overflow at INT64_MAX */
    }
    if (progress && shown > start) fputs("\r\033[K", stderr);
    if (have) { print_sweep_row(c, &cur, first, rank); chart_add(c, &ch, &cur); }
    if (c->svg) {
        char *svg = ch.failed ? NULL : probe_sweep_svg(probe_net_name(net), rank, ch.runs, ch.n);
        probe_exit code = ch.n || ch.failed ? cli_svg_write(c, c->svg, svg) : PROBE_EXIT_OK;
        free(svg);
        free(ch.runs);
        drawn = code;
    }
    if (c->format == CLI_JSON) {
        if (last < c->sweep_hi) printf("], \"stopped_at\": %lld}\n", (long long)last);
        else fputs("]}\n", stdout);
    }
    if (worst == PROBE_EXIT_INVALID) {
        probe_result *res = probe_run(net, base);
        char *diag = res ? probe_result_diagnostics(res) : NULL;
        if (diag) fputs(diag, stderr);
        free(diag);
        probe_result_free(res);
        return worst;
    }
    if (last < c->sweep_hi) {
        sweep_stopped(c, net, last, rank);
        return PROBE_EXIT_INVALID;
    }
    if (drawn != PROBE_EXIT_OK) return drawn;
    return any_ok ? PROBE_EXIT_OK : PROBE_EXIT_SHAPE;
}
