/*
 * result.h - what one run found, as the reports read it (prefix: exec_,
 * trace_).
 *
 * The run walks the module tree (model/net.h); every layer call goes
 * through one function, run_call() (run/call.c), which appends one row to
 * the trace: the module called, its input and output shapes, its
 * parameters on its first call. The errors and fixes the run met sit
 * beside it. Reports read the trace, the errors and the fixes -- not the
 * executor's state -- so a module called twice, the implicit flatten, or
 * (later) a functional call are rows like any other.
 */
#ifndef PROBE_RESULT_H
#define PROBE_RESULT_H

#include "model/net.h"
#include "base/hash.h"

typedef struct run_error {
    diag d;                     /* where (the argument to change, or the layer),
                                 * the kind, the layer's type (also for an
                                 * invalid one; NULL for syntax), PyTorch's
                                 * message (in the result's arena) */
    const layer *ly;            /* NULL for a net-level error */
    char *explain;              /* the failing layer's formulas, or NULL */
    int fix;                    /* index into fixes, -1 none */
} run_error;

typedef struct run_warning {
    diag d;                     /* where, and the message (in the result's arena) */
    const char *kind;           /* "batch_changed" */
} run_warning;

typedef struct run_fix {
    const layer *ly;
    int param;                  /* index into the op's schema */
    bool have_null;             /* a `?` filled in, or a Lazy layer's size */
    bool lazy;                  /* a Lazy layer's size: nothing in the file to change */
    bool is_ints;
    int64_t have, need;
    probe_ints have_ints, need_ints;
} run_fix;

/* One call the run made, in the order it made them. A million rows are
 * kept, so each holds indexes to its shapes: most shapes repeat. */
typedef struct trace_row {
    mod_ref node;               /* the module called: net_layer(net, node) */
    uint32_t in, out;           /* its input and output: indexes into shapes */
    uint32_t flags;             /* TRACE_IMPLICIT */
    int64_t params;             /* its parameters on its first call, 0 after */
} trace_row;

/* Where forward() made a row's call: the callee as written (`self.pool`),
 * text[off, end), and its line. Kept beside the rows of a model file's run
 * only: a net.cfg of a million layers pays nothing for it. */
typedef struct trace_site {
    uint32_t line, off, end;
    uint32_t from;              /* the flow node its input came from (FLOW_*) */
} trace_site;

/* The data flow of a model file's run: each tensor knows the node that
 * made it, named by a 32-bit id -- the input, a trace row, or a join (a
 * tensor op of several tensors that is not a layer: `+`, torch.cat).
 * A net.cfg is a chain and records none of it. */
#define FLOW_INPUT 0u                       /* the run's input */
#define FLOW_NONE UINT32_MAX                /* made in forward() (torch.zeros): no producer */
#define FLOW_JOIN_BIT 0x80000000u
#define FLOW_ROW(i) ((uint32_t)(i) + 1u)    /* row i */
#define FLOW_JOIN(j) ((uint32_t)(j) | FLOW_JOIN_BIT)
enum { FLOW_MAX_INS = 8 };                  /* a join records its first 8 inputs */

/* A join: kind ("add", "cat", ...; static), its inputs' producers in
 * join_ins[first, first + n), its output shape, and the rows made before
 * it (where it sits in the order of calls). */
typedef struct flow_join {
    const char *kind;
    uint32_t first, n;
    uint32_t out;               /* index into shapes */
    uint32_t after;             /* rows.len when it was made */
} flow_join;

enum { TRACE_IMPLICIT = 1 };    /* the implicit flatten: a note, not a layer */

struct probe_result {
    arena ar;
    const probe_net *net;
    probe_options opt;
    probe_status status;
    bool has_input;
    probe_tensor input;         /* [1, C, *spatial]: [1, C, H, W] as the options give it */
    int64_t in_features;        /* -1: no Linear reached */
    bool seen_linear;           /* the first Linear was called */
    int64_t implicit_row;       /* the implicit flatten's row, -1: none ran */
    vec errors;                 /* of run_error */
    vec fixes;                  /* of run_fix */
    vec rows;                   /* of trace_row: the trace */
    uint8_t *called;            /* a bit per layer: it has a row (not in quick runs) */
    vec shapes;                 /* of probe_tensor: each distinct output once */
    hash_table shape_index;     /* of shapes, by their sizes */
    vec explains;               /* of char *, one per row: with explain only */
    /* how to run */
    bool quick;                 /* status and in_features only: nothing recorded */
    bool explain;               /* ask each layer for its formulas */
    int64_t trick_in_features;  /* >0: the first Linear's deliberately wrong size */
    /* what the trick saw at the first Linear */
    bool trick_caught;
    char *trick_message;
    int64_t trick_need;
    /* no size given: the sizes that pass, searched instead of one run */
    bool inferred;
    probe_accepts_info accepts;
    /* a model file's run */
    vec run_layers;             /* of layer *: functional calls, bound as forward() made them */
    vec sites;                  /* of trace_site, one per row (a model file's run) */
    src_span site;              /* the callee of the call forward() is making (its row's site) */
    uint32_t flow_in;           /* the producer of the input of the call being made */
    uint32_t fail_from;         /* that of the call the first error stopped */
    vec joins;                  /* of flow_join */
    vec join_ins;               /* of uint32_t: the joins' inputs */
    bool has_output;            /* forward() returned: output is its (first) tensor */
    probe_tensor output;
    vec warnings;               /* of run_warning: what PyTorch lets pass but is a bug */
    bool find_channels;         /* the input channels are not known: the first layer
                                 * that declares them says, and the run stops there */
    int64_t found_channels;     /* what it said; 0: none did */
    bool size_checked;          /* a model file's forward() met a check whose verdict
                                 * is not monotone in the input size (x.view(-1, 400),
                                 * torch.cat, a PixelUnshuffle called as F.*): the
                                 * size search must try every size (run/sizes.c) */
};

/* The sizes the inference tries: squares and cubes up to 4096, lengths up
 * to a million (a second of audio is 16,000 samples). */
enum { EXEC_INFER_MAX = 4096, EXEC_INFER_MAX_LENGTH = 1000000 };
/* How many of the smallest sizes check the binary searches' answer for a
 * forward() that views or joins tensors (run/sizes.c): a size check's
 * failures repeat with the net's total stride, which this covers. */
enum { EXEC_VERIFY_SIZES = 64 };
/* What a layer call of an interpreted forward() costs, in a net.cfg's
 * layer calls, for the work limit of searches that try every size. */
enum { EXEC_PY_CALL_COST = 16 };
/* Whether every layer of the net is monotone in the input size (sizes.c):
 * then it runs from some size on. */
bool exec_monotone(const probe_net *net);
/* The largest size the search tries at a rank. */
int64_t exec_search_max(int rank);
/* A size S of a rank as --hw writes it: "S", "SxS" or "SxSxS". */
void exec_put_size(sb *out, int rank, int64_t s);
/* What a size of the rank is called: "length", "square input", "cube". */
const char *exec_size_kind(int rank);

/* The one way into a shape function: calls the layer `node` on *x (its
 * input, replaced by its output), with the repair of mismatches, the `?`
 * fill, the trick's planted size and the trace row. False when an error
 * stops the run (recorded in res). run/call.c. */
bool run_call(probe_result *res, mod_ref node, probe_tensor *x);
/* The layer a mod_ref names: of the net, or bound by this run. */
const layer *exec_layer(const probe_result *res, mod_ref r);
/* Keeps a layer bound while the net runs (a functional call); its
 * mod_ref in *r. False when out of memory. */
bool exec_add_run_layer(probe_result *res, const layer *ly, mod_ref *r);
/* Records a warning (kind e.g. "batch_changed") at `at`. */
bool exec_add_warning(probe_result *res, src_span at, const char *kind, const char *msg);

/* Runs a container's forward() on *x; false when an error stops the run.
 * run/exec.c. */
bool run_container(probe_result *res, const container *c, probe_tensor *x);
/* Records an error; the first one sets the status. */
run_error *exec_add_error(probe_result *res, probe_status kind, const layer *ly, src_span at, const char *msg);
/* A tensor with more than 2^63-1 elements cannot exist, and no size may
 * be negative; false after the error (ly NULL: the input). */
bool exec_fits(probe_result *res, const layer *ly, const probe_tensor *t);

/* Appends a trace row for a call of `node` from in to out (with its
 * formulas when explaining); false when out of memory. run/trace.c. */
bool trace_add(probe_result *res, mod_ref node, const probe_tensor *in, const probe_tensor *out,
               int64_t params, uint32_t flags, const sb *explain);
/* Records a join of n tensors made by ins[] (kind a static string) with
 * output shape out; its id in *id (FLOW_NONE when the run records no
 * flow). False when out of memory. run/trace.c. */
bool trace_join(probe_result *res, const char *kind, const uint32_t *ins, size_t n, const probe_tensor *out,
                uint32_t *id);
/* The producer of row i's input: FLOW_ROW(i - 1) for a net.cfg's chain. */
uint32_t exec_row_from(const probe_result *res, size_t i);
/* Whether layer ly (of net->layers) was called and passed. */
bool trace_reached(const probe_result *res, const layer *ly);

/* Runs res->net with res->opt into res (created by exec_new). */
void exec_run(probe_result *res);
/* A result ready to run: zeroed, vectors set up. quick results live on the
 * caller's stack and allocate nothing. */
void exec_init(probe_result *res, const probe_net *net, const probe_options *opt);
/* Frees what a result owns, not the result itself. */
void exec_release(probe_result *res);

/* The reports, appended to out; with a sink, spilled every REPORT_SPILL
 * bytes or so. */
enum { REPORT_SPILL = 64 * 1024 };
void report_table(sb *out, const probe_result *res);
void report_json(sb *out, const probe_result *res);
void report_explain(sb *out, const probe_result *res);
void report_summary(sb *out, const probe_result *res);
void report_svg(sb *out, const probe_result *res);
/* A report made whole, as the char * functions of probe.h return it
 * (caller frees; NULL when out of memory). */
char *report_whole(void (*report)(sb *, const probe_result *), const probe_result *res);

/* The corrected call for a fix, statement text with the value replaced
 * (whitespace runs folded). Arena-owned by res. */
char *exec_fixed_call(probe_result *res, const run_fix *fx);

/* Row i of the trace: the layer called, what it took and made, its
 * formulas (NULL unless run with explain). */
const trace_row *exec_row(const probe_result *res, size_t i);
const layer *exec_row_layer(const probe_result *res, size_t i);
const probe_tensor *exec_row_in(const probe_result *res, size_t i);
const probe_tensor *exec_row_out(const probe_result *res, size_t i);
const char *exec_row_explain(const probe_result *res, size_t i);
/* The line row i is reported at: a model file's call in forward(), else
 * the layer's own. */
uint32_t exec_row_line(const probe_result *res, size_t i);
/* Where forward() made row i's call; NULL for a net.cfg's rows. */
const trace_site *exec_row_site(const probe_result *res, size_t i);
/* Whether row i is a layer the source wrote (not the implicit flatten). */
bool exec_row_shown(const probe_result *res, size_t i);

/* torchinfo's mult-adds of row i (report_summary.c). */
int64_t report_mult_adds(const probe_result *res, size_t i);
/* The "summary" member of the JSON result, with its leading ", ". */
void report_summary_json(sb *out, const probe_result *res);

/* Appends text[from, to) with each run of blanks and newlines folded into
 * one space, so that a multi-line call reads as one line. */
void report_put_folded(sb *out, const char *text, size_t from, size_t to);

/* The first fix of layer ly (NULL: none), and in *count (unless NULL)
 * how many it has. The run records a net.cfg's fixes in layer order, and
 * the table and the picture ask in layer order: *cursor (0 at first)
 * moves on, never back, so a million rows with a fix each cost a million
 * steps, not a million squared. report_text.c. */
const run_fix *report_layer_fix(const probe_result *res, const layer *ly, size_t *cursor, size_t *count);

/* Row r's layer as the table writes it, on one line, cut to `max` code
 * points (an ellipsis ends a cut) and padded with blanks to it; `full` is
 * the caller's scratch, so that a million rows reuse one buffer.
 * report_text.c. */
void report_put_written(sb *out, sb *full, const probe_net *net, const trace_row *r, const trace_site *at,
                        const layer *ly, size_t max);
/* s as a JSON string, quotes included. */
void report_json_str(sb *out, const char *s);

/* 1234567 -> "1,234,567" */
void report_put_count(sb *out, int64_t n);

/* Formats a fix's need (or have) value as it would be written. */
void exec_format_ints(sb *out, const probe_ints *v, bool tuple);

#endif
