/*
 * net.h - a parsed and bound net.cfg (prefix: net_, bind_): the layers in
 * flow order, each with its op and its arguments converted to the C values
 * the op's shape function takes.
 */
#ifndef PROBE_NET_H
#define PROBE_NET_H

#include "parse.h"
#include "registry.h"

/* How a size is to be found instead of read. */
typedef enum infer_kind {
    INFER_NONE = 0,
    INFER_QUESTION,         /* `?` in the file: reported as a fix to fill in */
    INFER_LAZY              /* a Lazy layer: inferred, nothing to change */
} infer_kind;

typedef struct layer {
    const op *op;
    const stmt *st;
    cval *vals;             /* one per schema parameter (PT_ANY unused) */
    src_span *spans;        /* where each parameter's value is written */
    bool *given;            /* written in the file (not a default) */
    infer_kind *infer;
} layer;

/* A located message, for an invalid config. */
typedef struct net_error {
    src_span at;
    const char *layer;      /* NULL for a syntax error */
    char message[600];
} net_error;

struct probe_net {
    arena ar;
    const probe_registry *reg;
    char *name;
    char *text;
    size_t len;
    layer *layers;
    size_t nlayers;
    const stmt *stmts;      /* every statement, containers included */
    size_t nstmts;
    bool has_input;
    int64_t input[3];
    src_span input_span;
    bool invalid;
    net_error error;
    int unclosed;           /* containers the end of the file closed */
    src_span unclosed_at;
};

/* Binds one layer statement; false with *err when PyTorch would refuse it
 * whatever the input. */
bool bind_layer(probe_net *net, const stmt *st, layer *out, net_error *err);

/* The parameter index of `name` in o's schema, or -1. */
int bind_param_index(const op *o, const char *name);

/* How Python code names the layer: "model.classifier[1]", "model.fc1".
 * Writes into out (cap bytes). */
void net_python_path(const probe_net *net, const layer *ly, char *out, size_t cap);

/* The C arguments of a layer call, from per-parameter values. */
void bind_c_args(const op *o, const cval *vals, cval *out);

#endif
