/* corpus_runner.c - checks probe's verdicts against PyTorch's on the corpus.
 *
 * usage: corpus_runner PROBE DIR [DIR...]
 *
 * For each DIR/NAME.cfg, or DIR/NAME.py (a model file), with its
 * DIR/NAME.json (PyTorch's verdict; "hw" is the input size), in file name
 * order, runs `PROBE --net DIR/NAME.cfg --hw HxW --json` (L or DxHxW for
 * 1-D and 3-D nets) and compares the
 * first line of its output with the verdict exactly as
 * /work/shared/tools/corpus-check (Python) does, so the two
 * agree on every count while `make test` needs no Python. Prints the first
 * SHOW_MAX differences and a summary per directory, then the totals as the
 * last line. Exit status: 0 all passed, 1 some failed, 2 usage or I/O error.
 *
 * The probe runs without a shell (paths are never interpreted), with stdin
 * and stderr on /dev/null, in its own process group so that a hung probe,
 * children included, is killed after TIMEOUT_S and counted as a failure.
 */
#include "json_mini.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SHOW_MAX
#define SHOW_MAX 10  /* differences shown per directory; -DSHOW_MAX=N to see more */
#endif
#ifndef TIMEOUT_S
#define TIMEOUT_S 20 /* seconds per case, as corpus-check */
#endif
#define OUT_MAX ((size_t)64 << 20) /* stdout kept per run; the rest is drained and dropped */

typedef const json_value *jv;

static void die(const char *what)
{
    fprintf(stderr, "corpus_runner: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* ---- growable strings (always NUL-terminated once touched) ---- */

typedef struct { char *s; size_t len, cap; } str;

static void str_add(str *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len <= n)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            die("realloc");
        b->s = ns, b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void str_cat(str *b, const char *s) { str_add(b, s, strlen(s)); }

static void str_printf(str *b, const char *f, ...)
{
    va_list ap, again;
    va_start(ap, f);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, f, ap);
    char *t = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!t)
        die("str_printf");
    vsnprintf(t, (size_t)n + 1, f, again);
    str_add(b, t, (size_t)n);
    free(t);
    va_end(again);
    va_end(ap);
}

/* ---- Python's repr(), for messages and for corpus-check's sort keys ---- */

static void py_repr(str *b, jv v, bool plain, bool tuple);

/* repr() of a str: single quotes unless only double ones avoid escapes. */
static void py_quote(str *b, const char *s, size_t n)
{
    char q = memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
    str_add(b, &q, 1);
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '\\' || c == (unsigned char)q)
            str_printf(b, "\\%c", c);
        else if (c == '\n' || c == '\r' || c == '\t')
            str_cat(b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
        else if (c < 0x20 || c == 0x7f)
            str_printf(b, "\\x%02x", c);
        else
            str_add(b, s + k, 1);
    }
    str_add(b, &q, 1);
}

/* repr() of a float: the shortest form that reads back, with Python's
 * ".0" on whole numbers (approximate for huge and tiny magnitudes). */
static void py_float(str *b, double x)
{
    char t[40];
    for (int prec = 1; prec <= 17; prec++)
        if (snprintf(t, sizeof t, "%.*g", prec, x), strtod(t, NULL) == x)
            break;
    str_cat(b, t);
    if (!strpbrk(t, ".en")) /* "inf" and "nan" take no ".0" either */
        str_cat(b, ".0");
}

/* A list, or a tuple (as norm_fix makes of have/need), with repr items. */
static void py_seq(str *b, jv v, bool tuple)
{
    size_t n = json_len(v);
    str_cat(b, tuple ? "(" : "[");
    for (size_t k = 0; k < n; k++)
        str_cat(b, k ? ", " : ""), py_repr(b, json_item(v, k), false, false);
    str_cat(b, tuple ? (n == 1 ? ",)" : ")") : "]");
}

static void py_dict(str *b, jv v)
{
    str_cat(b, "{");
    for (size_t k = 0, n; k < json_len(v); k++) {
        const char *key = json_key(v, k, &n);
        str_cat(b, k ? ", " : "");
        py_quote(b, key, n);
        str_cat(b, ": ");
        py_repr(b, json_member(v, k), false, false);
    }
    str_cat(b, "}");
}

/* Appends repr(v), or str(v) if plain (which differs for strings only).
 * NULL, a missing field, is None, as dict.get() gives. */
static void py_repr(str *b, jv v, bool plain, bool tuple)
{
    bool t;
    int64_t i;
    double f;
    size_t n;
    const char *s = json_string(v, &n);
    if (json_bool(v, &t))
        str_cat(b, t ? "True" : "False");
    else if (json_int(v, &i))
        str_printf(b, "%" PRId64, i);
    else if (json_float(v, &f))
        py_float(b, f);
    else if (s)
        plain ? str_add(b, s, n) : py_quote(b, s, n);
    else if (json_kind_of(v) == JSON_ARRAY)
        py_seq(b, v, tuple);
    else if (json_kind_of(v) == JSON_OBJECT)
        py_dict(b, v);
    else
        str_cat(b, "None");
}

/* Appends f to b with %v for str() of a json value, %r for its repr(),
 * %s for a C string and %u for a size_t: corpus-check's f-strings. */
static void fmt(str *b, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    for (; *f; f++) {
        char c = *f == '%' && f[1] ? *++f : 0;
        if (c == 'v' || c == 'r')
            py_repr(b, va_arg(ap, jv), c == 'v', false);
        else if (c == 's')
            str_cat(b, va_arg(ap, const char *));
        else if (c == 'u')
            str_printf(b, "%zu", va_arg(ap, size_t));
        else
            str_add(b, f, 1);
    }
    va_end(ap);
}

/* ---- Python's == on decoded JSON ---- */

static bool py_eq(jv a, jv b);

/* bool and int are both Python ints (True == 1). */
static bool as_int(jv v, int64_t *i)
{
    bool t;
    return json_int(v, i) || (json_bool(v, &t) && ((*i = t), true));
}

/* int == float compares exact values in Python, never rounded ones. */
static bool num_eq(jv a, jv b)
{
    int64_t ia, ib;
    double fa, fb;
    bool a_int = as_int(a, &ia), b_int = as_int(b, &ib);
    if (a_int && b_int)
        return ia == ib;
    if (!a_int && !b_int)
        return json_float(a, &fa) && json_float(b, &fb) && fa == fb;
    fa = a_int ? (json_float(b, &fb), fb) : (json_float(a, &fa), fa);
    ib = a_int ? ia : ib;
    return fa >= -0x1p63 && fa < 0x1p63 && fa == floor(fa) && (int64_t)fa == ib;
}

/* Dicts are equal when they have the same keys with equal values. With
 * duplicate keys json_getn() sees the last one, as json.loads keeps it. */
static bool dict_eq(jv a, jv b)
{
    size_t n;
    for (size_t k = 0; k < json_len(a); k++) {
        const char *key = json_key(a, k, &n);
        jv other = json_getn(b, key, n);
        if (!other || !py_eq(json_getn(a, key, n), other))
            return false;
    }
    for (size_t k = 0; k < json_len(b); k++) {
        const char *key = json_key(b, k, &n);
        if (!json_getn(a, key, n))
            return false;
    }
    return true;
}

static bool py_eq(jv a, jv b)
{
    json_kind ka = json_kind_of(a), kb = json_kind_of(b);
    size_t na, nb;
    const char *sa = json_string(a, &na), *sb = json_string(b, &nb);
    if (ka >= JSON_BOOL && ka <= JSON_FLOAT && kb >= JSON_BOOL && kb <= JSON_FLOAT)
        return num_eq(a, b);
    if (ka != kb)
        return false;
    if (ka == JSON_STRING)
        return na == nb && !memcmp(sa, sb, na);
    if (ka == JSON_OBJECT)
        return dict_eq(a, b);
    if (json_len(a) != json_len(b))
        return false;
    for (size_t k = 0; k < json_len(a); k++)
        if (!py_eq(json_item(a, k), json_item(b, k)))
            return false;
    return true; /* equal arrays, or both null */
}

/* ---- the comparison, step by step as corpus-check's compare() ---- */

/* A list field of probe's result: missing means [] (dict.get's default);
 * anything but a list would crash corpus-check, so it fails the case. */
static bool list_ok(jv v, const char *field, str *d)
{
    if (!v || json_kind_of(v) == JSON_ARRAY)
        return true;
    return fmt(d, "%s: want a list, got %r", field, v), false;
}

/* For "invalid" only the line of the first error counts. */
static bool cmp_invalid(jv ew, jv eg, str *d)
{
    jv lw = json_get(json_item(ew, 0), "line"), lg = json_get(json_item(eg, 0), "line");
    if (json_kind_of(lw) != JSON_NULL && !py_eq(lw, lg))
        return fmt(d, "invalid: want error at line %v, got line %v", lw, lg), false;
    return true;
}

/* The errors' messages as a Python list, for the count mismatch. */
static void add_messages(str *d, jv errs)
{
    str_cat(d, "[");
    for (size_t k = 0; k < json_len(errs); k++)
        fmt(d, k ? ", %r" : "%r", json_get(json_item(errs, k), "message"));
    str_cat(d, "]");
}

/* Errors one by one: line, kind and the message exactly. */
static bool cmp_errors(jv ew, jv eg, str *d)
{
    static const char *const keys[] = {"line", "kind"};
    if (json_len(eg) != json_len(ew)) {
        fmt(d, "errors: want %u (", json_len(ew)), add_messages(d, ew);
        fmt(d, "), got %u (", json_len(eg)), add_messages(d, eg);
        return str_cat(d, ")"), false;
    }
    for (size_t k = 0; k < json_len(ew); k++) {
        jv w = json_item(ew, k), g = json_item(eg, k), mw = json_get(w, "message");
        for (int j = 0; j < 2; j++) {
            jv a = json_get(w, keys[j]), b = json_get(g, keys[j]);
            if (!py_eq(a, b))
                return fmt(d, "error %s: want %r, got %r (%v)", keys[j], a, b, mw), false;
        }
        if (!py_eq(mw, json_get(g, "message")))
            return fmt(d, "message at line %v:\n    want: %v\n    got:  %v",
                       json_get(w, "line"), mw, json_get(g, "message")), false;
    }
    return true;
}

/* A fix normalized as norm_fix does, with its repr as the sort key. */
typedef struct { str key; jv fix; } fix_key;

static int by_key(const void *x, const void *y)
{
    const str *a = &((const fix_key *)x)->key, *b = &((const fix_key *)y)->key;
    int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* sorted(map(norm_fix, fixes), key=repr), keeping each fix for py_eq. */
static fix_key *sorted_fixes(jv fixes)
{
    size_t n = json_len(fixes);
    fix_key *out = calloc(n + 1, sizeof *out);
    if (!out)
        die("calloc");
    for (size_t k = 0; k < n; k++) {
        jv f = out[k].fix = json_item(fixes, k);
        fmt(&out[k].key, "(%r, %r, ", json_get(f, "line"), json_get(f, "field"));
        py_repr(&out[k].key, json_get(f, "have"), false, true);
        str_cat(&out[k].key, ", ");
        py_repr(&out[k].key, json_get(f, "need"), false, true);
        str_cat(&out[k].key, ")");
    }
    qsort(out, n, sizeof *out, by_key);
    return out;
}

static bool fix_eq(jv a, jv b)
{
    static const char *const keys[] = {"line", "field", "have", "need"};
    for (int j = 0; j < 4; j++)
        if (!py_eq(json_get(a, keys[j]), json_get(b, keys[j])))
            return false;
    return true;
}

static void free_fixes(fix_key *f, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(f[k].key.s);
    free(f);
}

static void add_fixes(str *d, const fix_key *f, size_t n)
{
    str_cat(d, "[");
    for (size_t k = 0; k < n; k++)
        fmt(d, k ? ", %s" : "%s", f[k].key.s);
    str_cat(d, "]");
}

/* Fixes as a multiset: both sorted by repr, then compared in order. */
static bool cmp_fixes(jv fw, jv fg, str *d)
{
    size_t n = json_len(fw), ng = json_len(fg);
    fix_key *w = sorted_fixes(fw), *g = sorted_fixes(fg);
    bool same = n == ng;
    for (size_t k = 0; same && k < n; k++)
        same = fix_eq(w[k].fix, g[k].fix);
    if (!same) {
        str_cat(d, "fixes: want "), add_fixes(d, w, n);
        str_cat(d, ", got "), add_fixes(d, g, ng);
    }
    free_fixes(w, n), free_fixes(g, ng);
    return same;
}

/* Layers as the list of (line, output). */
static bool cmp_layers(jv lw, jv lg, str *d)
{
    size_t nw = json_len(lw), ng = json_len(lg);
    for (size_t k = 0; k < nw && k < ng; k++) {
        jv a = json_item(lw, k), b = json_item(lg, k);
        jv al = json_get(a, "line"), ao = json_get(a, "output");
        jv bl = json_get(b, "line"), bo = json_get(b, "output");
        if (!py_eq(al, bl) || !py_eq(ao, bo))
            return fmt(d, "layer %u: want line %v -> %v, got line %v -> %v",
                       k, al, ao, bl, bo), false;
    }
    if (nw != ng)
        return fmt(d, "layers: want %u, got %u", nw, ng), false;
    return true;
}

/* True if got matches want; otherwise the first difference is in d.
 * A model file (python) is not compared on implicit_flatten or layers:
 * its verdict's lines are the calls of the file, not one line a layer.
 * As corpus-check, only the fields a verdict has are compared. */
static bool compare(jv want, jv got, bool python, str *d)
{
    /* output only where the verdict has one (the .py corpus), as
     * corpus-check's `"output" in want` */
    static const char *const scalars[] = {"in_features", "output", "implicit_flatten"};
    jv st = json_get(want, "status"), ew = json_get(want, "errors");
    jv eg = json_get(got, "errors"), in = json_get(want, "input");
    size_t n;
    const char *s = json_string(st, &n);
    if (!py_eq(st, json_get(got, "status")))
        return fmt(d, "status: want %v, got %v", st, json_get(got, "status")), false;
    if (s && n == 7 && !memcmp(s, "invalid", 7))
        return cmp_invalid(ew, eg, d);
    if (!py_eq(in, json_get(got, "input")))
        return fmt(d, "input: want %v, got %v", in, json_get(got, "input")), false;
    if (!list_ok(eg, "errors", d) || !cmp_errors(ew, eg, d))
        return false;
    for (int j = 0; j < (python ? 2 : 3); j++) {
        jv a = json_get(want, scalars[j]), b = json_get(got, scalars[j]);
        /* output and implicit_flatten only where the verdict has them (the
         * zoo's verdicts have neither implicit_flatten nor layers) */
        if (j >= 1 && !a)
            continue;
        if (!py_eq(a, b))
            return fmt(d, "%s: want %v, got %v", scalars[j], a, b), false;
    }
    jv fg = json_get(got, "fixes"), lg = json_get(got, "layers");
    if (!list_ok(fg, "fixes", d) || !cmp_fixes(json_get(want, "fixes"), fg, d))
        return false;
    jv lw = json_get(want, "layers");
    return python || !lw || (list_ok(lg, "layers", d) && cmp_layers(lw, lg, d));
}

/* ---- running probe ---- */

typedef struct {
    str out;        /* stdout, up to OUT_MAX */
    int status;     /* as waitpid() reports it */
    bool timed_out;
} run_result;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* In the child: stdout to the pipe, stdin and stderr to /dev/null, a
 * process group of its own so a timeout can kill what it started too. */
static _Noreturn void exec_child(int out_fd, char *const argv[])
{
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    setpgid(0, 0);
    if (null_fd >= 0 && dup2(out_fd, 1) >= 0 && dup2(null_fd, 0) >= 0 && dup2(null_fd, 2) >= 0)
        execvp(argv[0], argv);
    _exit(127);
}

/* Reads fd to EOF into out; false if the deadline passes first. Output
 * beyond OUT_MAX is read but dropped, so the child never blocks on a full
 * pipe and a runaway probe cannot exhaust memory. */
static bool drain(int fd, str *out, double deadline)
{
    char chunk[1 << 14];
    for (double left; (left = deadline - now()) > 0;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        ssize_t n = r > 0 ? read(fd, chunk, sizeof chunk) : 0;
        if ((r < 0 || n < 0) && errno != EINTR)
            die("reading probe's output");
        if (r > 0 && n == 0)
            return true;
        if (n > 0 && out->len < OUT_MAX)
            str_add(out, chunk, (size_t)n < OUT_MAX - out->len ? (size_t)n : OUT_MAX - out->len);
    }
    return false;
}

/* Waits for the child; false if the deadline passes first. Polled, since
 * a probe may close its stdout and still hang. */
static bool reap(pid_t pid, int *status, double deadline)
{
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR)
            die("waitpid");
        if (now() >= deadline)
            return false;
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
}

static void run_probe(char *const argv[], run_result *r)
{
    int fds[2];
    if (pipe(fds) < 0)
        die("pipe");
    /* Close-on-exec on both ends: the child keeps only its dup2'd stdout,
     * so EOF means every process holding the pipe has finished or closed it. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC), fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        exec_child(fds[1], argv);
    setpgid(pid, pid); /* also here, so kill(-pid) works whoever runs first */
    close(fds[1]);
    double deadline = now() + TIMEOUT_S;
    r->timed_out = !drain(fds[0], &r->out, deadline) || !reap(pid, &r->status, deadline);
    close(fds[0]);
    if (r->timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &r->status, 0);
    }
}

/* ---- probe's answer as corpus-check reads it ---- */

/* str.isspace() and str.splitlines() boundaries, ASCII part: probe writes
 * ASCII, and only Unicode spaces such as U+00A0 are left out here. */
static bool py_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }
static bool py_break(char c) { return (c >= '\n' && c <= '\r') || (c >= 0x1c && c <= 0x1e); }

/* json.loads(stdout.strip().splitlines()[0]) as an object the caller
 * frees, or NULL with corpus-check's reason in d. */
static json_value *parse_output(const run_result *r, str *d)
{
    char err[128];
    const char *s = r->out.s, *end = s + r->out.len, *eol;
    int code = WIFSIGNALED(r->status) ? -WTERMSIG(r->status) : WEXITSTATUS(r->status);
    if (r->timed_out)
        return fmt(d, "timed out"), NULL;
    if (!json_utf8_valid(s, r->out.len)) /* text=True decodes all of it */
        return fmt(d, "output is not JSON: not UTF-8"), NULL;
    while (s < end && py_space(*s))
        s++;
    for (eol = s; eol < end && !py_break(*eol);)
        eol++;
    json_value *got = s < end ? json_parse(s, (size_t)(eol - s), err, sizeof err) : NULL;
    if (s < end && !got)
        return fmt(d, "output is not JSON: %s", err), NULL;
    if (!got)
        return str_printf(d, "no JSON on stdout (exit %d)", code), NULL;
    /* corpus-check crashes on a non-object; an empty one fails at status */
    if (json_kind_of(got) != JSON_OBJECT)
        return fmt(d, "output is not a JSON object"), json_free(got), NULL;
    return got;
}

/* ---- cases and directories ---- */

/* A model file: NAME.py (any other case is a NAME.cfg). */
static bool is_py(const char *file)
{
    size_t len = strlen(file);
    return len >= 3 && !strcmp(file + len - 3, ".py");
}

/* The whole file as a NUL-terminated string, or false. */
static bool read_file(const char *path, str *out)
{
    char chunk[1 << 14];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    str_add(out, "", 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        str_add(out, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

/* PyTorch's verdict for path, or NULL with the reason in d. */
static json_value *read_want(const char *path, str *d)
{
    char err[128];
    str text = {0};
    json_value *want = NULL;
    if (!read_file(path, &text))
        fmt(d, "cannot read %s: %s", path, strerror(errno));
    else if (!(want = json_parse(text.s, text.len, err, sizeof err)))
        fmt(d, "%s is not JSON: %s", path, err);
    free(text.s);
    return want;
}

/* Runs case DIR/FILE (NAME.cfg or NAME.py); true if it passed. Shows the
 * difference while fewer than SHOW_MAX have been shown. */
static bool run_case(const char *probe, const char *dir, const char *file, int *shown)
{
    const char *sep = *dir && dir[strlen(dir) - 1] == '/' ? "" : "/"; /* as os.path.join */
    size_t stem = strlen(file) - (is_py(file) ? 3 : 4);
    str cfg = {0}, json = {0}, hw = {0}, d = {0};
    run_result r = {{0}, 0, false};
    json_value *got = NULL;
    bool ok = false;
    fmt(&cfg, "%s%s%s", dir, sep, file), fmt(&json, "%s%s", dir, sep);
    str_add(&json, file, stem), str_cat(&json, ".json");
    json_value *want = read_want(json.s, &d);
    jv size = json_get(want, "hw");
    size_t rank = json_kind_of(size) == JSON_ARRAY ? json_len(size) : 0;
    if (want && (rank < 1 || rank > 3))
        fmt(&d, "%s has no \"hw\": [L], [H, W] or [D, H, W]", json.s);
    else if (want) {
        /* --hw L, HxW or DxHxW, as corpus-check passes them */
        if (rank == 1) fmt(&hw, "%v", json_item(size, 0));
        else if (rank == 2) fmt(&hw, "%vx%v", json_item(size, 0), json_item(size, 1));
        else fmt(&hw, "%vx%vx%v", json_item(size, 0), json_item(size, 1), json_item(size, 2));
        str_add(&r.out, "", 0);
        run_probe((char *const[]){(char *)probe, "--net", cfg.s, "--hw", hw.s, "--json", NULL}, &r);
        ok = (got = parse_output(&r, &d)) && compare(want, got, is_py(file), &d);
    }
    if (!ok && (*shown)++ < SHOW_MAX)
        printf("%s at %s: %s\n", cfg.s, hw.s ? hw.s : "?", d.s);
    json_free(want), json_free(got);
    free(cfg.s), free(json.s), free(hw.s), free(d.s), free(r.out.s);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each NAME.cfg and NAME.py in dir, sorted by byte (= code point, as
 * Python's sorted() of the file names), as a NULL-terminated array the
 * caller frees. */
static char **list_cases(const char *dir, size_t *n)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    if (!dp)
        return NULL;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (!is_py(e->d_name) && (len < 4 || strcmp(e->d_name + len - 4, ".cfg")))
            continue;
        if (*n + 1 >= cap && !(names = realloc(names, (cap = cap * 2 + 16) * sizeof *names)))
            die("realloc");
        if (!(names[(*n)++] = strdup(e->d_name)))
            die("strdup");
    }
    closedir(dp);
    if (names)
        qsort(names, *n, sizeof *names, by_name);
    return names ? names : calloc(1, sizeof *names);
}

/* Runs every case of dir and prints its summary; false if dir is
 * unreadable or empty (a corpus that vanished must not pass). */
static bool run_dir(const char *probe, const char *dir, size_t *passed, size_t *failed)
{
    size_t n, ok = 0;
    int shown = 0;
    char **names = list_cases(dir, &n);
    if (!names || !n) {
        fprintf(stderr, "corpus_runner: %s: %s\n", dir, names ? "no .cfg or .py files" : strerror(errno));
        free(names);
        return false;
    }
    for (size_t k = 0; k < n; k++)
        ok += run_case(probe, dir, names[k], &shown), free(names[k]);
    free(names);
    printf("%s: %zu passed, %zu failed\n", dir, ok, n - ok);
    fflush(stdout);
    *passed += ok, *failed += n - ok;
    return true;
}

int main(int argc, char **argv)
{
    size_t passed = 0, failed = 0;
    bool dirs_ok = true;
    if (argc < 3) {
        fprintf(stderr, "usage: corpus_runner PROBE DIR [DIR...]\n");
        return 2;
    }
    if (strchr(argv[1], '/') && access(argv[1], X_OK) != 0)
        die(argv[1]);
    for (int k = 2; k < argc; k++)
        dirs_ok &= run_dir(argv[1], argv[k], &passed, &failed);
    printf("%zu passed, %zu failed\n", passed, failed);
    return !dirs_ok ? 2 : failed ? 1 : 0;
}
