/*
 * result.h - what one run found, as the reports read it (prefix: exec_).
 */
#ifndef PROBE_RESULT_H
#define PROBE_RESULT_H

#include "net.h"

typedef struct run_error {
    probe_status kind;
    const layer *ly;            /* NULL for a net-level error */
    src_span at;                /* the argument to change, or the layer */
    char *message;              /* arena-owned */
    int fix;                    /* index into fixes, -1 none */
} run_error;

typedef struct run_fix {
    const layer *ly;
    int param;                  /* index into the op's schema */
    bool have_null;             /* a `?` filled in */
    bool is_ints;
    int64_t have, need;
    probe_ints have_ints, need_ints;
} run_fix;

typedef struct run_row {
    const layer *ly;
    probe_tensor out;
    int64_t params;             /* -1 when the layer did not say */
} run_row;

struct probe_result {
    arena ar;
    const probe_net *net;
    probe_options opt;
    probe_status status;
    bool has_input;
    int64_t input[4];
    int64_t in_features;        /* -1: no Linear reached */
    const layer *flatten_before;  /* the Linear the probe flattened before */
    probe_tensor flatten_from;
    vec errors;                 /* of run_error */
    vec fixes;                  /* of run_fix */
    vec rows;                   /* of run_row */
};

/* The corrected call for a fix, statement text with the value replaced
 * (whitespace runs folded). Arena-owned by res. */
char *exec_fixed_call(probe_result *res, const run_fix *fx);

/* Formats a fix's need (or have) value as it would be written. */
void exec_format_ints(sb *out, const probe_ints *v, bool tuple);

#endif
