/* cli_sizes.c - --min-hw and --sweep: questions about many sizes of one
 * net, answered with quick runs. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The largest size --min-hw tries. */
enum { MIN_HW_LIMIT = 65536 };

static void print_json_str(const char *s)
{
    char *q = probe_json_quote(s);
    if (q) fputs(q, stdout);
    free(q);
}

/* Which side --min-hw searches: square, or the '?' of --hw 224x? */
static void min_hw_sides(const cli *c, int64_t *fixed_h, int64_t *fixed_w)
{
    *fixed_h = *fixed_w = 0;
    if (c->nhws) {
        *fixed_h = c->hws[0].h;
        *fixed_w = c->hws[0].w;
        if (*fixed_h && *fixed_w) *fixed_h = *fixed_w = 0;   /* a full size: search squares */
    }
}

probe_exit cli_min_hw(const cli *c, const probe_net *net, const probe_options *base)
{
    int64_t fh, fw;
    min_hw_sides(c, &fh, &fw);
    probe_accepts_info info;
    if (probe_accepts(net, base, 1, MIN_HW_LIMIT, fh, fw, &info) != 0) {
        fprintf(stderr, "probe: error: out of memory\n");
        return PROBE_EXIT_INVALID;
    }
    const char *name = probe_net_name(net);
    int64_t min = info.n ? info.ranges[0].lo : 0;
    probe_accepts_free(&info);
    probe_result *below = NULL;
    probe_options at = *base;
    at.h = fh ? fh : (min > 1 ? min - 1 : 1);
    at.w = fw ? fw : (min > 1 ? min - 1 : 1);
    if (min != 1) below = probe_run(net, &at);
    if (below && probe_result_status(below) == PROBE_INVALID) {
        char *diag = probe_result_diagnostics(below);
        if (diag) fputs(diag, stderr);
        free(diag);
        probe_result_free(below);
        return PROBE_EXIT_INVALID;
    }
    int64_t mh = fh ? fh : min, mw = fw ? fw : min;
    probe_error_info e = { PROBE_OK, 0, 0, NULL, NULL, NULL };
    if (below && probe_result_error_count(below)) e = probe_result_error(below, probe_result_error_count(below) - 1);
    if (c->format == CLI_JSON) {
        fputs("{\"net\": ", stdout);
        print_json_str(name);
        if (min) printf(", \"min_hw\": [%lld, %lld]", (long long)mh, (long long)mw);
        else fputs(", \"min_hw\": null", stdout);
        if (below && e.message) {
            printf(", \"refused_below\": {\"hw\": [%lld, %lld], \"line\": %d, \"layer\": ", (long long)at.h, (long long)at.w, e.line);
            print_json_str(e.layer ? e.layer : "");
            printf(", \"kind\": \"%s\", \"message\": ", probe_status_name(e.kind));
            print_json_str(e.message);
            fputc('}', stdout);
        }
        fputs("}\n", stdout);
    } else if (min) {
        printf("%s: the smallest input that passes is %lldx%lld\n", name, (long long)mh, (long long)mw);
        if (below && e.message)
            printf("  at %lldx%lld, %s at line %d refuses it: %s\n", (long long)at.h, (long long)at.w,
                   e.layer ? e.layer : "the net", e.line, e.message);
    } else {
        printf("%s: no input up to %dx%d passes as written\n", name, MIN_HW_LIMIT, MIN_HW_LIMIT);
        if (below && e.message) printf("  at %lldx%lld: %s\n", (long long)at.h, (long long)at.w, e.message);
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

static void print_sweep_row(const cli *c, const sweep_row *r, bool first)
{
    if (c->format == CLI_JSON) {
        printf("%s{\"lo\": %lld, \"hi\": %lld, \"status\": \"%s\", \"in_features\": ", first ? "" : ", ",
               (long long)r->lo, (long long)r->hi, probe_status_name(r->status));
        if (r->in_features >= 0) printf("%lld}", (long long)r->in_features);
        else fputs("null}", stdout);
        return;
    }
    char sizes[64];
    if (r->lo == r->hi) snprintf(sizes, sizeof sizes, "%lldx%lld", (long long)r->lo, (long long)r->lo);
    else snprintf(sizes, sizeof sizes, "%lldx%lld..%lldx%lld", (long long)r->lo, (long long)r->lo, (long long)r->hi, (long long)r->hi);
    printf("%-24s %-10s ", sizes, probe_status_name(r->status));
    if (r->in_features >= 0) printf("%lld\n", (long long)r->in_features);
    else puts("-");
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
static void sweep_stopped(const cli *c, const probe_net *net, int64_t last)
{
    fprintf(stderr, "probe: error: --sweep %lld..%lld: stopped after %lldx%lld (%lld sizes): "
            "%s has %zu layers and a sweep makes at most %d layer calls; sweep a narrower range (%lld..%lld goes on from there)\n",
            (long long)c->sweep_lo, (long long)c->sweep_hi, (long long)last, (long long)last,
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
    if (c->format == CLI_JSON) {
        fputs("{\"net\": ", stdout);
        print_json_str(probe_net_name(net));
        fputs(", \"sweep\": [", stdout);
    } else {
        printf("%s\n%-24s %-10s %s\n", probe_net_name(net), "size", "status", "in_features");
    }
    for (int64_t s = c->sweep_lo; s <= last && s > 0; s++) {
        probe_options o = *base;
        o.h = o.w = s;
        int64_t f;
        probe_status st = probe_check(net, &o, &f);
        if (st == PROBE_INVALID) worst = PROBE_EXIT_INVALID;
        any_ok |= st == PROBE_OK;
        if (have && st == cur.status && f == cur.in_features) {
            cur.hi = s;
        } else {
            if (have) { print_sweep_row(c, &cur, first); first = false; }
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
    if (have) print_sweep_row(c, &cur, first);
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
        sweep_stopped(c, net, last);
        return PROBE_EXIT_INVALID;
    }
    return any_ok ? PROBE_EXIT_OK : PROBE_EXIT_SHAPE;
}
