/*
 * probe.h - the public interface of libprobe.
 *
 * probe runs a meta tensor (a shape, no data) through a network described in
 * a net.cfg and answers what PyTorch would: which in_features the first
 * Linear needs, every declared size that disagrees with its input, or the
 * layer the input is too small for.
 *
 *   probe_registry *reg = probe_registry_new();
 *   probe_net *net = probe_net_parse(reg, "net.cfg", text, len);
 *   probe_options opt = probe_options_default();
 *   opt.h = 32; opt.w = 32;
 *   probe_result *res = probe_run(net, &opt);
 *   char *json = probe_result_json(res);      // caller frees
 *   ...
 *   free(json); probe_result_free(res); probe_net_free(net);
 *   probe_registry_free(reg);
 *
 * Behind the handles:
 *   - a probe_net is a module tree, as a model's forward() runs it: each
 *     container holds its children in order and says how its forward()
 *     runs them (today a chain: Sequential, a net.cfg, print(model) text);
 *     each leaf is one layer's bound call, its arguments kept with their
 *     place in the source (so --fix can rewrite them); the front end adds
 *     what forward() does that a list of layers does not say (the flatten
 *     before the first Linear). src/model/net.h.
 *   - a probe_result holds the trace of one run: a row per call the run
 *     made, in order (the module called, its input and output shapes, its
 *     parameters on its first call), the errors (each located: file, line,
 *     column, kind, PyTorch's message) and the fixes. Every report below
 *     is made from it. src/run/result.h.
 *
 * The library never prints. Handles are opaque; every *_free accepts NULL
 * and then does nothing. Strings returned as `char *` belong to the caller
 * (free()) and are NULL when out of memory; strings returned as `const
 * char *` belong to the handle they came from and live as long as it. A
 * function taking a handle takes a valid one, never NULL, unless it says
 * otherwise.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>
#include <stdint.h>
#include "probe_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PROBE_VERSION "0.1.0"

/* The process exit codes of the command line, one per verdict class. */
typedef enum probe_exit {
    PROBE_EXIT_OK = 0,      /* every net passes at every size */
    PROBE_EXIT_SHAPE = 1,   /* mismatch, too_small or error */
    PROBE_EXIT_INVALID = 2  /* invalid config or bad usage */
} probe_exit;

/* "ok", "mismatch", "too_small", "error", "invalid"; "error" for a value
 * outside the enum. A static string: never NULL, never freed. */
PROBE_API const char *probe_status_name(probe_status status);
/* The exit code for a verdict: PROBE_EXIT_OK for ok, PROBE_EXIT_INVALID for
 * invalid, PROBE_EXIT_SHAPE for every other status. */
PROBE_API probe_exit probe_status_exit(probe_status status);

/* ---- registry: the layers probe knows ---------------------------------- */

/* A registry holding every built-in layer; NULL when out of memory. The
 * caller frees it with probe_registry_free(), after every net made with it. */
PROBE_API probe_registry *probe_registry_new(void);
/* Frees the registry and unloads (dlclose) the plugins it loaded. NULL: does
 * nothing. */
PROBE_API void probe_registry_free(probe_registry *reg);
/* Why the last probe_register() or probe_registry_load_plugin() failed; ""
 * before any failure. Belongs to the registry, overwritten by the next
 * failure: copy it to keep it. Never NULL. */
PROBE_API const char *probe_registry_error(const probe_registry *reg);
/* Loads a plugin (dlopen) and lets it register its layers. path is a
 * file's path: a name without '/' is a file in the current directory,
 * never looked up on the library search path. 0 on success, else nonzero
 * (out of memory included) with the reason in probe_registry_error(). A
 * plugin whose probe_plugin_init fails stays loaded until the registry is
 * freed. A build without libffi (PROBE_NO_FFI: the WebAssembly build)
 * loads none: it returns nonzero, "plugins are not available in the
 * browser build". */
PROBE_API int probe_registry_load_plugin(probe_registry *reg, const char *path);

/* ---- net: a parsed and bound net.cfg ---------------------------------- */

typedef struct probe_net probe_net;

/*
 * Parses and binds `text` (need not be NUL-terminated). `name` is used in
 * messages ("<net>" when NULL); the net keeps its own copy. Never NULL
 * except when out of memory; a config that is wrong whatever the input is
 * still returned and answers `invalid` when run. The caller frees the net
 * with probe_net_free(). The registry must outlive the net. The net copies
 * text (the caller keeps its own), except a text over the 256 MiB limit,
 * which is refused unread and not copied.
 */
PROBE_API probe_net *probe_net_parse(const probe_registry *reg, const char *name,
                           const char *text, size_t len);
/*
 * probe_net_parse without the copy: the net takes over `text`, a buffer
 * from malloc() holding len bytes (no NUL needed), and frees it with
 * free() when it is freed -- also when this returns NULL. A file of a
 * million layers is then held once, not twice.
 */
PROBE_API probe_net *probe_net_adopt(const probe_registry *reg, const char *name, char *text, size_t len);
/*
 * probe_net_adopt for a model file (MODELPY.md): a `name` ending in ".py"
 * is read as Python by both calls above; this one also says which model
 * to build: `model` is a class or function of the file ("Net") or a call
 * of one ("Net(num_classes=100)"); NULL picks it as MODELPY.md says.
 */
PROBE_API probe_net *probe_net_adopt_model(const probe_registry *reg, const char *name, char *text, size_t len,
                                           const char *model);
/* Frees the net and its text (its copy, or the buffer it adopted). NULL:
 * does nothing. A result run on it may then only be freed. */
PROBE_API void probe_net_free(probe_net *net);
/* The name given to probe_net_parse() or probe_net_adopt(), "<net>" if
 * none. Belongs to the net. */
PROBE_API const char *probe_net_name(const probe_net *net);
/* The text the net was parsed from (its own copy, or the adopted buffer);
 * *len its length, 0 for a text refused as too large. Belongs to the net. */
PROBE_API const char *probe_net_text(const probe_net *net, size_t *len);
/* The number of layers, containers excluded. */
PROBE_API size_t probe_net_layer_count(const probe_net *net);
/* The spatial rank the net's input has when the options do not say: its
 * input line's (input: CxL is 1, CxHxW 2, CxDxHxW 3), else that of the
 * first layer which fixes one (Conv1d: 1, MaxPool3d: 3), else 2. */
PROBE_API int probe_net_rank(const probe_net *net);

/* ---- run ---------------------------------------------------------------- */

typedef struct probe_options {
    int64_t h, w;       /* input height and width; 0: take the input: line */
    int64_t channels;   /* input channels; 0: input: line or first layer */
    int strict;         /* no implicit flatten before the first Linear */
    int explain;        /* keep each layer's formulas (probe_result_explain) */
    int color;          /* ANSI colour in the table's verdict */
    int rank;           /* the input's spatial rank: 1 (the length is w),
                         * 2 (h, w) or 3 (d, h, w); 0: 2 when h and w are
                         * given, else probe_net_rank() */
    int64_t d;          /* input depth, rank 3 */
} probe_options;

/* Every field 0: the size from the input: line, channels from the input:
 * line or the first layer, the implicit flatten on, no explain, no colour,
 * the rank from the input or the layers. */
PROBE_API probe_options probe_options_default(void);

typedef struct probe_result probe_result;

/* Runs one sample [1, C, H, W] through the net; without a size (opt.h and
 * opt.w 0 and no input: line) finds the sizes that pass instead. NULL only
 * when out of memory. The caller frees the result with probe_result_free();
 * the net must outlive it. opt is copied. */
PROBE_API probe_result *probe_run(const probe_net *net, const probe_options *opt);
/* Frees the result and every string it handed out. NULL: does nothing. */
PROBE_API void probe_result_free(probe_result *res);

/* The verdict: the kind of the first error met, PROBE_OK when none. */
PROBE_API probe_status probe_result_status(const probe_result *res);
/* What the first Linear needs; -1 when no Linear was reached. */
PROBE_API int64_t probe_result_in_features(const probe_result *res);
/* 1 with the input shape [1, C, H, W] in dims; 0, dims untouched, when the
 * input could not be settled. */
PROBE_API int probe_result_input(const probe_result *res, int64_t dims[4]);

/* One error met, in order. */
typedef struct probe_error_info {
    probe_status kind;
    int line, col;          /* where to look: the argument to change */
    const char *layer;      /* layer type as written, NULL for syntax */
    const char *message;    /* PyTorch's text, or probe's for `invalid` */
    const char *fix;        /* the corrected call, or NULL */
} probe_error_info;

/* The number of errors met (0 for a net that passes). */
PROBE_API size_t probe_result_error_count(const probe_result *res);
/* The i-th error, i < probe_result_error_count(). Its strings belong to the
 * result. fix is made anew in the result at each call; it is NULL also when
 * out of memory. */
PROBE_API probe_error_info probe_result_error(const probe_result *res, size_t i);

/* ---- sizes: which inputs a net accepts ---------------------------------- */

/* One quick run, nothing kept: the status, and the in_features the first
 * Linear needs (-1: not reached) into *in_features when not NULL. It
 * cannot say it ran out of memory: the run then stops, and the status is
 * what it had found by then. */
PROBE_API probe_status probe_check(const probe_net *net, const probe_options *opt, int64_t *in_features);

typedef struct probe_range { int64_t lo, hi; } probe_range;

/* The most layer calls one question over many sizes may make: trying
 * every size in probe_accepts(), or a caller's sweep (the command line's
 * --sweep). sizes x layers past it stops the question, which then says
 * how far it got; a few seconds of work on one core. */
#define PROBE_WORK_LIMIT 20000000

/* Which sizes pass. ranges is malloc()ed and belongs to the struct: free it
 * with probe_accepts_free(). */
typedef struct probe_accepts_info {
    probe_range *ranges;    /* sizes that pass as written, ascending */
    size_t n;
    int64_t declared;       /* the first Linear's in_features, -1 when found by the run */
    int64_t below_size, below_in;   /* when none pass: the nearest in_features */
    int64_t above_size, above_in;   /* below and above the declared one (-1: none) */
    int exhaustive;         /* every size was tried (layers that are not monotone) */
    int64_t stopped_at;     /* >0: trying every size stopped there (a work limit) */
    int runs;               /* quick runs it took */
} probe_accepts_info;

/*
 * The sizes S in [lo, hi] at which the net passes as written. With fixed_h
 * and fixed_w 0 the input is S x S; with fixed_h > 0 it is fixed_h x S, with
 * fixed_w > 0 S x fixed_w. At rank 1 (opt->rank, or the net's) the input
 * is a length S; at rank 3 it is S x S x S, opt->d > 0 fixing the depth
 * and fixed_h, fixed_w the others as at rank 2. opt gives channels and
 * strict. Returns 0, or -1
 * when out of memory. *out is always filled (ranges holding what was found
 * before memory ran out) and must be freed with probe_accepts_free().
 */
PROBE_API int probe_accepts(const probe_net *net, const probe_options *opt, int64_t lo, int64_t hi,
                  int64_t fixed_h, int64_t fixed_w, probe_accepts_info *out);
/* Frees info->ranges (not info itself) and empties it: after any return of
 * probe_accepts(), -1 included. NULL: does nothing. */
PROBE_API void probe_accepts_free(probe_accepts_info *info);

/* ---- formula: sizes as closed formulas of the input's ------------------- */

typedef struct probe_formula probe_formula;

/*
 * Each layer's output sizes and the first Linear's in_features as closed
 * formulas of the input's sizes (H and W; L at rank 1; D, H and W at rank
 * 3), valid from the smallest size that runs: in_features = 16 *
 * floor((H - 12) / 4) * floor((W - 12) / 4) for H, W >= 16. Found by runs
 * along each input size from that smallest one (the others held at the
 * options' size, or the input line's, when the net runs there; else at
 * the smallest square that runs) and checked against every run made.
 * opt gives the size, channels, strict and rank as for probe_run(). The
 * domain may be a box, several residues of a period (H % 6 in (1, 2, 3)),
 * or a bounded range (H == 224); where no one formula holds over the
 * residues, in_features is piecewise, one formula each. A net with no
 * such formula (invalid, never runs, sizes that run follow no period, a
 * size of no floor form) gets a formula that says why. NULL only
 * when out of memory; the caller frees it with probe_formula_free(); the
 * net must outlive it.
 */
PROBE_API probe_formula *probe_formula_new(const probe_net *net, const probe_options *opt);
/* NULL: does nothing. */
PROBE_API void probe_formula_free(probe_formula *f);
/* The in_features formula (its piece's, when piecewise) at sizes[0..rank)
 * (rank 2: H, W): 1 with *value set, 0 when there is no formula or the
 * size is outside its domain. */
PROBE_API int probe_formula_in_features(const probe_formula *f, const int64_t *sizes, int64_t *value);
/* For people: a line per layer call with its output shape in formulas,
 * then "  in_features = ...      for H, W >= 16", the value at the size
 * shown, and which sizes give a declared in_features; or "  no formula:
 * why". Caller frees; NULL when out of memory. */
PROBE_API char *probe_formula_text(const probe_formula *f);
/* For programs: the "formula" object of PROBE.md on one line,
 * {"in_features": EXPR, "domain": COND, "layers": [{"line", "type",
 * "output": [EXPR, ...]}]}, EXPR a Python integer expression and COND a
 * Python condition; in_features null when no Linear is reached, domain
 * null (and "why") when there is no formula. A piecewise in_features is
 * null with "pieces": [{"in_features": EXPR, "domain": COND}, ...], one
 * piece's COND holding at each size of the domain; "left_out": COND
 * names sizes before the domain's period starts that may run too and are
 * not in it. Caller frees; NULL when out of memory. */
PROBE_API char *probe_formula_json(const probe_formula *f);
/* The run at the size the formulas are shown at (the "at 32x32" of the
 * text); NULL when no size runs. Belongs to f. */
PROBE_API const probe_result *probe_formula_result(const probe_formula *f);
/* Why the net has no formula (it never runs, not every size from there on
 * runs, a size has no floor form); NULL when it has one. Belongs to f. */
PROBE_API const char *probe_formula_why(const probe_formula *f);

/* ---- reports: text for the caller to print ------------------------------ */

/* Each returns a NUL-terminated string the caller frees (free()), NULL
 * when out of memory. */

/* The JSON object of PROBE.md on one line, without a newline. */
PROBE_API char *probe_result_json(const probe_result *res);
/* The per-layer table and the verdict, for a terminal. */
PROBE_API char *probe_result_table(const probe_result *res);
/* Compiler-style diagnostics: "file:line:col: error: msg", the source line,
 * a caret, "fix: ...". Empty string when there is nothing to say. */
PROBE_API char *probe_result_diagnostics(const probe_result *res);
/* Each layer's formula with the numbers put in (run with opt.explain). */
PROBE_API char *probe_result_explain(const probe_result *res);
/* A torchinfo-style summary: parameters, mult-adds, memory estimate. */
PROBE_API char *probe_result_summary(const probe_result *res);
/* The forum trick's transcript: the Python it mimics, the deliberately
 * wrong size, PyTorch's error as printed, how N is read, and the forum
 * utility's verdict sentence. Runs the net itself (nothing else is kept):
 * caller frees; NULL when out of memory. */
PROBE_API char *probe_trick(const probe_net *net, const probe_options *opt);
/*
 * The shape flow of the run as a picture: a self-contained SVG 1.1
 * document (no script, no external font or image; a viewBox, a <title>
 * and a <desc>). A box per layer call, sized by its output on a log scale
 * (face: H by W, depth: C; a vector is a bar), labelled with the layer as
 * the table writes it and its output shape; the input first; for a model
 * file the joins (`+`, torch.cat, ...) and the edges of the data flow;
 * each repaired size marked (a glyph and "in_features 4096 -> 65536") and
 * the error that stops the run in a box of its own (its kind and
 * PyTorch's message, in words as well as red). At most
 * PROBE_SVG_MAX_NODES nodes are drawn; a note says how many were left
 * out. Every text from the file is escaped: any bytes make well-formed
 * XML. Caller frees; NULL when out of memory.
 */
#define PROBE_SVG_MAX_NODES 600
PROBE_API char *probe_result_svg(const probe_result *res);

/* A run of sizes of a sweep with the same answer: lo..hi, the verdict and
 * the first Linear's in_features (-1: not reached). */
typedef struct probe_sweep_run {
    int64_t lo, hi;
    probe_status status;
    int64_t in_features;
} probe_sweep_run;
/*
 * A chart of a sweep as an SVG 1.1 document like probe_result_svg()'s:
 * in_features against the input size (labelled axes), the verdict as a
 * band of colour behind it with a legend that names each verdict and its
 * sizes in words. `name` is the net's (escaped; NULL: "<net>"), rank the
 * input's (1: a length, 2: a square S x S, 3: a cube), runs[0, n) in
 * ascending order of size, n >= 1. The chart is bounded whatever n is: a
 * band or a step narrower than a pixel merges with its neighbour. Caller
 * frees; NULL when out of memory or n is 0.
 */
PROBE_API char *probe_sweep_svg(const char *name, int rank, const probe_sweep_run *runs, size_t n);

/* The reports probe_result_write() writes: those with a line per layer. */
typedef enum probe_report {
    PROBE_REPORT_TABLE,     /* probe_result_table() */
    PROBE_REPORT_JSON,      /* probe_result_json() */
    PROBE_REPORT_EXPLAIN,   /* probe_result_explain() */
    PROBE_REPORT_SUMMARY,   /* probe_result_summary() */
    PROBE_REPORT_COUNT
} probe_report;
/* Takes the next n bytes of a report; returns 0, or nonzero to stop. */
typedef int (*probe_write_fn)(void *ud, const char *bytes, size_t n);
/*
 * Writes the same text as the function named for `which`, in pieces of
 * about 64 KiB, through write(ud, bytes, n): a net of a million layers is
 * reported without its report held whole. Returns 0; what write returned
 * when it stopped the report; -1 when out of memory or `which` is unknown.
 */
PROBE_API int probe_result_write(const probe_result *res, probe_report which, probe_write_fn write, void *ud);
/* The verdict lines that end the table, on their own: caller frees; NULL
 * when out of memory. */
PROBE_API char *probe_result_verdict(const probe_result *res);
/* The options a result was run with (a copy). */
PROBE_API probe_options probe_result_options(const probe_result *res);

/*
 * The net's text with the fixes of `results` (runs of one net at several
 * sizes) applied: each size that must change and each `?` reached is
 * replaced by the literal it needs; every other byte is kept. When the
 * file has no input line and the fix changes the layer the next run would
 * read the input channels from, the input line the run used is added
 * (after the leading comments, in the file's line endings), so that the
 * fixed net passes. Returns 0 with *out (caller frees; NULL when nothing
 * changes) and *outlen; 1 with *why (caller frees: "LINE:COL: error: ...",
 * to follow the file's name) when the sizes need different values, and
 * then nothing is to change; -1 when out of memory.
 */
PROBE_API int probe_fix_text(const probe_result *const *results, size_t n, char **out, size_t *outlen, char **why);

/* s as a JSON string, quotes included (for callers writing JSON): caller
 * frees; NULL when out of memory. */
PROBE_API char *probe_json_quote(const char *s);

#ifdef __cplusplus
}
#endif
#endif
