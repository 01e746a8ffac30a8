/* main.c - the probe command line (prefix: cli_). The only place that
 * prints: results to standard output, diagnostics and errors to standard
 * error. */
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: probe --net NET.cfg [--hw HxW] [options]\n"
    "\n"
    "Runs a meta tensor through the layers of NET.cfg and says what PyTorch\n"
    "would: the in_features the first Linear needs, every declared size that\n"
    "must change, or the layer the input is too small for.\n"
    "\n"
    "  --net FILE      the net.cfg to probe ('-' reads standard input); repeatable\n"
    "  --hw HxW        input height and width, e.g. 32x32; repeatable\n"
    "  --input CxHxW   input channels, height and width\n"
    "  --strict        no implicit flatten before the first Linear\n"
    "  --json          one JSON object per result (JSON Lines)\n"
    "  --help          this text\n"
    "  --version       the version\n"
    "\n"
    "Exit codes: 0 every result ok, 1 a shape problem (mismatch, too_small,\n"
    "error), 2 an invalid config or bad usage.\n";

typedef struct cli_size { int64_t a, b, c; } cli_size;

typedef struct cli {
    const char **nets;
    int nnets;
    cli_size *hws;
    int nhws;
    int64_t channels;
    bool has_input;
    cli_size input;
    bool json, strict;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "probe: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'probe --help' for more information.\n");
    return PROBE_EXIT_INVALID;
}

/* One positive integer of a size; false on anything else. */
static bool parse_dim(const char **s, int64_t *out)
{
    const char *p = *s;
    if (*p < '0' || *p > '9') return false;
    int64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v)) return false;
        p++;
    }
    if (v <= 0) return false;
    *s = p;
    *out = v;
    return true;
}

/* "HxW" (n = 2) or "CxHxW" (n = 3) */
static bool parse_size(const char *s, int n, cli_size *out)
{
    int64_t v[3];
    for (int i = 0; i < n; i++) {
        if (i && *s != 'x' && *s != 'X') return false;
        if (i) s++;
        if (!parse_dim(&s, &v[i])) return false;
    }
    if (*s) return false;
    out->a = v[0];
    out->b = v[1];
    out->c = n == 3 ? v[2] : 0;
    return true;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            if (cap > (size_t)1 << 30) { free(buf); errno = EFBIG; return NULL; }
            char *p = realloc(buf, cap * 2);
            if (!p) { free(buf); return NULL; }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) { free(buf); return NULL; }
    *len = n;
    return buf;
}

static char *read_net(const char *path, size_t *len)
{
    if (!strcmp(path, "-")) return read_all(stdin, len);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = read_all(f, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return buf;
}

static int parse_args(int argc, char **argv, cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        bool takes = !strcmp(a, "--net") || !strcmp(a, "--hw") || !strcmp(a, "--input");
        if (takes) {
            if (i + 1 >= argc) return usage_error("%s needs a value", a);
            val = argv[++i];
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            exit(PROBE_EXIT_OK);
        } else if (!strcmp(a, "--version")) {
            printf("probe %s\n", PROBE_VERSION);
            exit(PROBE_EXIT_OK);
        } else if (!strcmp(a, "--net")) {
            c->nets[c->nnets++] = val;
        } else if (!strcmp(a, "--hw")) {
            if (!parse_size(val, 2, &c->hws[c->nhws]))
                return usage_error("--hw '%s': expected HxW, two positive integers such as 32x32", val);
            c->nhws++;
        } else if (!strcmp(a, "--input")) {
            if (!parse_size(val, 3, &c->input))
                return usage_error("--input '%s': expected CxHxW, three positive integers such as 3x32x32", val);
            c->has_input = true;
        } else if (!strcmp(a, "--json")) {
            c->json = true;
        } else if (!strcmp(a, "--strict")) {
            c->strict = true;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    if (c->nnets == 0) return usage_error("%s", "no net given: use --net NET.cfg");
    return -1;
}

/* Probes one net at one size and prints the result. Returns the exit code. */
static int probe_one(const cli *c, probe_net *net, const cli_size *hw)
{
    probe_options opt = probe_options_default();
    opt.strict = c->strict;
    if (c->has_input) {
        opt.channels = c->input.a;
        opt.h = c->input.b;
        opt.w = c->input.c;
    }
    if (hw) {
        opt.h = hw->a;
        opt.w = hw->b;
    }
    probe_result *res = probe_run(net, &opt);
    if (!res) {
        fprintf(stderr, "probe: error: out of memory\n");
        return PROBE_EXIT_INVALID;
    }
    char *diag = probe_result_diagnostics(res);
    if (diag) fputs(diag, stderr);
    free(diag);
    char *text = c->json ? probe_result_json(res) : probe_result_table(res);
    if (text) {
        fputs(text, stdout);
        if (c->json) fputc('\n', stdout);
    }
    free(text);
    int code = probe_status_exit(probe_result_status(res));
    probe_result_free(res);
    return code;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    c.nets = calloc((size_t)argc, sizeof *c.nets);
    c.hws = calloc((size_t)argc, sizeof *c.hws);
    if (!c.nets || !c.hws) return PROBE_EXIT_INVALID;
    int code = parse_args(argc, argv, &c);
    if (code >= 0) {
        free(c.nets);
        free(c.hws);
        return code;
    }
    probe_registry *reg = probe_registry_new();
    if (!reg) {
        fprintf(stderr, "probe: error: cannot set up the layer registry\n");
        return PROBE_EXIT_INVALID;
    }
    int worst = PROBE_EXIT_OK;
    for (int i = 0; i < c.nnets; i++) {
        size_t len = 0;
        char *text = read_net(c.nets[i], &len);
        if (!text) {
            fprintf(stderr, "probe: error: cannot read '%s': %s\n", c.nets[i], strerror(errno));
            worst = PROBE_EXIT_INVALID;
            continue;
        }
        probe_net *net = probe_net_parse(reg, strcmp(c.nets[i], "-") ? c.nets[i] : "<stdin>", text, len);
        free(text);
        if (!net) {
            fprintf(stderr, "probe: error: out of memory reading '%s'\n", c.nets[i]);
            worst = PROBE_EXIT_INVALID;
            continue;
        }
        for (int k = 0; k < (c.nhws ? c.nhws : 1); k++) {
            int rc = probe_one(&c, net, c.nhws ? &c.hws[k] : NULL);
            if (rc > worst) worst = rc;
        }
        probe_net_free(net);
    }
    probe_registry_free(reg);
    free(c.nets);
    free(c.hws);
    return worst;
}
