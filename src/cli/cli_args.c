/* cli_args.c - the command line's arguments: options, sizes, globs. */
#include "cli/cli.h"

#include <errno.h>
#include <glob.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: probe --net NET.cfg|MODEL.py [--hw HxW] [options]\n"
    "\n"
    "Runs a meta tensor through the layers of NET.cfg, or through the forward()\n"
    "of the model in MODEL.py, and says what PyTorch would: the in_features the\n"
    "first Linear needs, every declared size that must change, or the layer the\n"
    "input is too small for. Without --hw (and no 'input:' line) it finds the\n"
    "square sizes that pass.\n"
    "\n"
    "input\n"
    "  --net FILE        a net.cfg, print(model) text or model .py file ('-':\n"
    "                    standard input; a quoted glob such as 'models/*.py' is\n"
    "                    expanded); repeatable\n"
    "  --model SPEC      which model of a .py file: a class ('Net') or a call\n"
    "                    ('Net(num_classes=100)'); default: as MODELPY.md says\n"
    "  --hw HxW[,HxW]    input height and width, e.g. 32x32 (a length, 8000, for\n"
    "                    1-D nets; DxHxW, 16x112x112, for 3-D); repeatable\n"
    "  --input CxHxW     input channels and sizes (CxL, CxDxHxW likewise)\n"
    "  --strict          no implicit flatten before the first Linear\n"
    "  --plugin LIB.so   load custom layers from a shared library, named by its\n"
    "                    path (a bare name is in the current directory); repeatable\n"
    "answers\n"
    "  --min-hw          the smallest square input that passes (--hw 224x? fixes\n"
    "                    one side), and the layer that refuses anything smaller\n"
    "  --sweep LO..HI    one row per run of square sizes with the same answer\n"
    "  --explain         each layer's formula with the numbers put in\n"
    "  --trick           the forum trick's transcript, run for real\n"
    "  --summary         parameters, mult-adds and memory, as torchinfo counts\n"
    "  --svg FILE        the shape flow as a picture (SVG), written to FILE ('-':\n"
    "                    standard output, instead of the table); with --sweep,\n"
    "                    a chart of in_features against the size. One net, one\n"
    "                    size; anything but a regular file is refused\n"
    "  --formula         each layer's output size and in_features as a formula\n"
    "                    of the input's H and W, and where it holds\n"
    "mending\n"
    "  --fix             rewrite each size that must change, in place\n"
    "  --diff            print the --fix changes as a unified diff instead\n"
    "output\n"
    "  --json            one JSON object per result (JSON Lines)\n"
    "  --format=FORMAT   text (default), json, or github (Actions annotations)\n"
    "  --quiet           print only problems\n"
    "  --help            this text\n"
    "  --version         the version\n"
    "\n"
    "Exit codes: 0 every result ok, 1 a shape problem (mismatch, too_small,\n"
    "error), 2 an invalid config or bad usage. Colour only on a terminal, and\n"
    "never when NO_COLOR is set.\n";

probe_exit cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("probe: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'probe --help' for more information.\n", stderr);
    return PROBE_EXIT_INVALID;
}

/* Stops the parse with an exit code (help, the version, a usage error). */
static bool stop(cli *c, probe_exit code)
{
    c->stop = code;
    return false;
}

/* One positive integer, or '?' when allowed (0); false on anything else,
 * with *too_large set when it does not fit in int64. */
static bool parse_dim(const char **s, int64_t *out, bool question_ok, bool *too_large)
{
    const char *p = *s;
    if (question_ok && *p == '?') { *s = p + 1; *out = 0; return true; }
    if (*p < '0' || *p > '9') return false;
    int64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v)) {
            *too_large = true;
            return false;
        }
        p++;
    }
    if (v <= 0) return false;
    *s = p;
    *out = v;
    return true;
}

/* dims := dim {'x' dim}, exactly n of them, up to `end` */
static bool parse_dims(const char *s, const char *end, int n, int64_t *out, bool question_ok, bool *too_large)
{
    *too_large = false;
    for (int i = 0; i < n; i++) {
        if (i) {
            if (s >= end || (*s != 'x' && *s != 'X')) return false;
            s++;
        }
        if (s >= end || !parse_dim(&s, &out[i], question_ok, too_large) || s > end) return false;
    }
    return s == end;
}

/* How many 'x'-joined dims s[0, end) holds: 1 + its x's. */
static int count_dims(const char *s, const char *end)
{
    int n = 1;
    for (; s < end; s++) n += *s == 'x' || *s == 'X';
    return n;
}

/* Appends one size to c->hws, growing it as needed: any number of --hw,
 * each a list of any length, in any order. */
static bool push_hw(cli *c, const cli_size *size)
{
    if (c->nhws == c->hws_cap) {
        int cap = c->hws_cap ? c->hws_cap * 2 : 8;
        if (cap <= c->hws_cap) return false;
        cli_size *p = realloc(c->hws, (size_t)cap * sizeof *p);
        if (!p) return false;
        c->hws = p;
        c->hws_cap = cap;
    }
    c->hws[c->nhws++] = *size;
    return true;
}

/* hw_list := size {',' size}     size := L | H 'x' W | D 'x' H 'x' W */
static bool add_hw_list(cli *c, const char *val)
{
    const char *s = val;
    for (;;) {
        const char *comma = strchr(s, ',');
        const char *end = comma ? comma : s + strlen(s);
        int64_t d[3] = { 0, 0, 0 };
        int n = count_dims(s, end);
        bool too_large = false, ok = n <= 3 && parse_dims(s, end, n, d, true, &too_large);
        if (!ok && too_large)
            return stop(c, cli_usage_error("--hw '%s': number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)", val));
        bool all_question = ok && !d[0] && (n < 2 || !d[1]) && (n < 3 || !d[2]);
        if (!ok || all_question)
            return stop(c, cli_usage_error("--hw '%s': expected L, HxW or DxHxW, positive integers such as 32x32 (a list: 224x224,320x320)", val));
        cli_size size = { 0, 0, 0, n };
        if (n == 1) size.w = d[0];
        if (n == 2) { size.h = d[0]; size.w = d[1]; }
        if (n == 3) { size.d = d[0]; size.h = d[1]; size.w = d[2]; }
        if ((!d[0] || (n > 1 && !d[1]) || (n > 2 && !d[2])) && !c->question_hw) c->question_hw = val;
        if (!push_hw(c, &size)) return stop(c, cli_usage_error("%s", "out of memory"));
        if (!comma) return true;
        s = comma + 1;
    }
}

/* An input size as --hw writes it: "8000", "224x224", "16x112x112". */
const char *cli_size_text(char *buf, size_t cap, int rank, int64_t d, int64_t h, int64_t w)
{
    if (rank == 1) snprintf(buf, cap, "%lld", (long long)w);
    else if (rank == 3) snprintf(buf, cap, "%lldx%lldx%lld", (long long)d, (long long)h, (long long)w);
    else snprintf(buf, cap, "%lldx%lld", (long long)h, (long long)w);
    return buf;
}

static bool has_glob_chars(const char *s) { return strpbrk(s, "*?[") != NULL; }

static bool add_net(cli *c, const char *pattern)
{
    struct stat st;
    if (!strcmp(pattern, "-") || !has_glob_chars(pattern) || stat(pattern, &st) == 0) {
        char **p = realloc(c->nets, (size_t)(c->nnets + 1) * sizeof *p);
        if (!p || !(p[c->nnets] = strdup(pattern))) return stop(c, cli_usage_error("%s", "out of memory"));
        c->nets = p;
        c->nnets++;
        return true;
    }
    glob_t g;
    int rc = glob(pattern, 0, NULL, &g);
    if (rc == GLOB_NOMATCH) {
        globfree(&g);
        return stop(c, cli_usage_error("--net '%s': no file matches", pattern));
    }
    if (rc != 0) {
        globfree(&g);
        return stop(c, cli_usage_error("--net '%s': cannot expand the pattern", pattern));
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char **p = realloc(c->nets, (size_t)(c->nnets + 1) * sizeof *p);
        if (!p || !(p[c->nnets] = strdup(g.gl_pathv[i]))) {
            globfree(&g);
            return stop(c, cli_usage_error("%s", "out of memory"));
        }
        c->nets = p;
        c->nnets++;
    }
    globfree(&g);
    return true;
}

static bool parse_sweep(cli *c, const char *val)
{
    const char *dots = strstr(val, "..");
    int64_t lo, hi;
    bool too_large;
    if (!dots || !parse_dims(val, dots, 1, &lo, false, &too_large) ||
        !parse_dims(dots + 2, dots + strlen(dots), 1, &hi, false, &too_large) || hi < lo)
        return stop(c, cli_usage_error("--sweep '%s': expected LO..HI, two positive sizes such as 16..512", val));
    if (hi - lo >= 1000000)
        return stop(c, cli_usage_error("--sweep '%s': at most 1000000 sizes in one sweep", val));
    c->sweep = true;
    c->sweep_lo = lo;
    c->sweep_hi = hi;
    return true;
}

static bool color_wanted(int fd)
{
    const char *no = getenv("NO_COLOR");
    if (no && *no) return false;
    const char *term = getenv("TERM");
    if (term && !strcmp(term, "dumb")) return false;
    return isatty(fd);
}

/* Options that take a value, in either --opt VALUE or --opt=VALUE form. */
static const char *const valued[] = { "--net", "--hw", "--input", "--sweep", "--format", "--plugin", "--model", "--svg", NULL };

static bool apply(cli *c, const char *opt, const char *val)
{
    if (!strcmp(opt, "--net")) return add_net(c, val);
    if (!strcmp(opt, "--hw")) return add_hw_list(c, val);
    if (!strcmp(opt, "--input")) {
        bool too_large = false;
        int n = count_dims(val, val + strlen(val));
        bool ok = n >= 2 && n <= 4 && parse_dims(val, val + strlen(val), n, c->input, false, &too_large);
        if (!ok && too_large)
            return stop(c, cli_usage_error("--input '%s': number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)", val));
        if (!ok)
            return stop(c, cli_usage_error("--input '%s': expected CxL, CxHxW or CxDxHxW, positive integers such as 3x32x32", val));
        c->input_rank = n - 1;
        c->has_input = true;
        return true;
    }
    if (!strcmp(opt, "--sweep")) return parse_sweep(c, val);
    if (!strcmp(opt, "--svg")) { c->svg = val; return true; }
    if (!strcmp(opt, "--plugin")) { c->plugins[c->nplugins++] = val; return true; }
    if (!strcmp(opt, "--model")) {
        if (!*val) return stop(c, cli_usage_error("%s", "--model '': give a class of the file, e.g. --model Net"));
        c->model = val;
        return true;
    }
    if (!strcmp(val, "text")) c->format = CLI_TEXT;
    else if (!strcmp(val, "json")) c->format = CLI_JSON;
    else if (!strcmp(val, "github")) c->format = CLI_GITHUB;
    else return stop(c, cli_usage_error("--format '%s': expected text, json or github", val));
    return true;
}

static bool apply_flag(cli *c, const char *a)
{
    static const struct { const char *name; size_t off; } flags[] = {
        { "--strict", offsetof(cli, strict) }, { "--quiet", offsetof(cli, quiet) },
        { "--explain", offsetof(cli, explain) }, { "--trick", offsetof(cli, trick) },
        { "--summary", offsetof(cli, summary) }, { "--min-hw", offsetof(cli, min_hw) },
        { "--fix", offsetof(cli, fix) }, { "--diff", offsetof(cli, diff) },
        { "--formula", offsetof(cli, formula) },
    };
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
        fputs(usage_text, stdout);
        return stop(c, PROBE_EXIT_OK);
    }
    if (!strcmp(a, "--version")) {
        printf("probe %s\n", PROBE_VERSION);
        return stop(c, PROBE_EXIT_OK);
    }
    if (!strcmp(a, "--json")) { c->format = CLI_JSON; return true; }
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (!strcmp(a, flags[i].name)) {
            *(bool *)((char *)c + flags[i].off) = true;
            return true;
        }
    }
    return stop(c, cli_usage_error("unknown option '%s'", a));
}

/* --svg draws one run, or one sweep: one net at one size. */
static bool svg_usage(cli *c)
{
    if (c->nnets > 1 || c->nhws > 1)
        return stop(c, cli_usage_error("--svg '%s': a picture is of one run, and %s were given: give one --net and "
                                       "at most one --hw (--sweep LO..HI charts many sizes)",
                                       c->svg, c->nnets > 1 ? "several nets" : "several sizes"));
    if (c->min_hw)
        return stop(c, cli_usage_error("--svg '%s': --min-hw draws nothing; run --svg with the size it finds (--hw)", c->svg));
    return true;
}

bool cli_parse_args(int argc, char **argv, cli *c, probe_exit *code)
{
    memset(c, 0, sizeof *c);
    bool go_on = (c->plugins = calloc((size_t)argc + 1, sizeof *c->plugins)) != NULL ||
                 stop(c, cli_usage_error("%s", "out of memory"));
    for (int i = 1; i < argc && go_on; i++) {
        const char *a = argv[i];
        bool matched = false;
        for (const char *const *v = valued; *v && !matched; v++) {
            size_t n = strlen(*v);
            if (!strncmp(a, *v, n) && (a[n] == '\0' || a[n] == '=')) {
                matched = true;
                const char *val = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
                go_on = val ? apply(c, *v, val) : stop(c, cli_usage_error("%s needs a value", *v));
            }
        }
        if (!matched) go_on = apply_flag(c, a);
    }
    if (go_on && c->nnets == 0) go_on = stop(c, cli_usage_error("%s", "no net given: use --net NET.cfg"));
    if (go_on && c->fix && c->diff)
        go_on = stop(c, cli_usage_error("%s", "--fix and --diff: give one (--diff shows what --fix would write)"));
    if (go_on && c->formula) {
        const char *other = c->min_hw ? "--min-hw" : c->sweep ? "--sweep" : c->fix ? "--fix" : c->diff ? "--diff"
                          : c->trick ? "--trick" : c->explain ? "--explain" : c->summary ? "--summary"
                          : c->svg ? "--svg" : NULL;
        if (other) go_on = stop(c, cli_usage_error("--formula and %s: give one", other));
        else if (c->nhws > 1)
            go_on = stop(c, cli_usage_error("%s", "--formula takes one --hw at most: the size it is shown at"));
    }
    if (go_on && c->question_hw && !c->min_hw)
        go_on = stop(c, cli_usage_error("--hw '%s': a '?' side goes with --min-hw", c->question_hw));
    if (go_on && c->svg) go_on = svg_usage(c);
    c->color_out = c->format == CLI_TEXT && color_wanted(STDOUT_FILENO);
    c->color_err = color_wanted(STDERR_FILENO);
    *code = go_on ? PROBE_EXIT_OK : c->stop;
    return go_on;
}

void cli_free(cli *c)
{
    for (int i = 0; i < c->nnets; i++) free(c->nets[i]);
    free(c->nets);
    free(c->hws);
    free(c->plugins);
}
