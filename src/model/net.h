/*
 * net.h - the model: a net as a module tree (prefix: net_, layer_, bind_).
 *
 * A front end (today cfg/build.c, for net.cfg and print(model) text)
 * builds the tree; the executor (run/) walks it and never looks at text.
 *
 *   - A leaf is a `layer`: a bound call of one op. It holds the op, the
 *     arguments the source wrote, each converted to the C value the op's
 *     shape function takes and each with its place in the source (so that
 *     --fix knows what it may rewrite), its label and its span. Defaults
 *     stay with the op.
 *   - A `container` holds children, in order, and a forward kind saying how
 *     its forward() runs them: FORWARD_CHAIN, each child's output the next
 *     one's input (nn.Sequential, a net.cfg, print(model) text). The root
 *     is the net itself.
 *   - A child is named by a mod_ref: a layer, a container, or the one
 *     implicit node, a Flatten that the front end adds before the first
 *     Linear where forward()'s x.view(x.size(0), -1) would be (--strict
 *     skips it; it is not in layers[], so counts and reports of what the
 *     file wrote do not see it).
 *
 * The layers are kept in source order in one array, which is also the
 * order a chain runs them: a million of them cost 56 bytes each, their
 * written arguments 24 bytes each, shared where the same text repeats.
 */
#ifndef PROBE_NET_H
#define PROBE_NET_H

#include "cfg/parse.h"
#include "reg/registry.h"

/* One argument written in the file, bound to its parameter. */
typedef struct bound_arg {
    cval val;
    uint32_t off;           /* where the value is written, from the layer's name: the
                             * same line written twice binds to the same bytes */
    uint32_t len : 24;      /* bind refuses a value over BIND_MAX_VALUE bytes */
    uint32_t param : 6;     /* its index in the op's schema (at most 64 parameters) */
    uint32_t infer : 2;     /* infer_kind */
} bound_arg;

/* The longest value text a bound argument can point to. */
#define BIND_MAX_VALUE ((1u << 24) - 1)

/* Where the nets' bound argument lists are kept while a net is built: one
 * array, and the lists seen lately by hash, so that a line written a
 * million times (print(model) writes every Conv2d of a stage alike) keeps
 * one list. The cache is a fixed size: a net with no repeats costs
 * nothing more. */
enum { BIND_RECENT = 4096, BIND_RECENT_INTS = 256 };
typedef struct arg_store {
    vec args;               /* of bound_arg */
    struct { uint32_t first, n; } recent[BIND_RECENT];
    /* the tuples seen lately (kernel_size=3 is a probe_ints of its own):
     * an argument list that repeats must hold the same pointers to repeat */
    const probe_ints *recent_ints[BIND_RECENT_INTS];
} arg_store;

/* A layer as the run needs it. A million of them are kept, so it holds
 * only what the file wrote: the defaults stay with the op, the label and
 * the line and column of each argument are read back from the text. */
typedef struct layer {
    const op *op;
    union {
        bound_arg *args;    /* the arguments written, in schema order, in net->args */
        size_t first_arg;   /* while the net is built: their index there */
    };
    src_span name_span;     /* the name as written, prefixes included */
    uint32_t end;           /* the call is text[name_span.off, end) */
    uint32_t label_off;     /* the label is text[label_off, +label_len) */
    uint32_t label_len;     /* 0: none */
    uint32_t parent;        /* 1 + its container's index in net->containers; 0: top level */
    uint32_t child;         /* how many children its container had before it */
    uint8_t nargs;
    uint8_t flags;          /* LAYER_LIBRARY */
} layer;

/* A layer that probe's torchvision library built (models.resnet18() in a
 * model file): its span is the call into the library, its arguments are
 * written nowhere in the file, and --fix leaves it alone. */
enum { LAYER_LIBRARY = 1 };

/* How a container's forward() runs its children. */
typedef enum forward_kind {
    FORWARD_CHAIN = 0,      /* one after another: Sequential, net.cfg, print text */
    FORWARD_PYTHON,         /* a class of a model file: its forward() is Python,
                             * run by the front end (net->forward) */
    FORWARD_NONE            /* ModuleList, ModuleDict: holds modules, is not called */
} forward_kind;

/* A child in the tree: a layer, a container, or the implicit node. */
typedef uint32_t mod_ref;
#define MOD_LAYER     0x80000000u   /* | index into net->layers */
#define MOD_IMPLICIT  0x40000000u   /* net->implicit */
#define MOD_INDEX(r)  ((r) & 0x3fffffffu)   /* a container: 1 + its index */
/* both bits: a layer bound while the net ran (a functional call in a
 * Python forward()), kept by the run: exec_layer(res, r) */
#define MOD_RUN       (MOD_LAYER | MOD_IMPLICIT)

/* A container (Sequential, ModuleList, a model's class...) and the root. */
typedef struct container {
    const char *name;       /* its class as written; NULL for the root */
    src_span name_span;
    uint32_t label_off, label_len;
    uint32_t parent, child; /* as a layer's */
    uint32_t first_kid, nkids;  /* its children: net->kids[first_kid, +nkids) */
    forward_kind forward;
} container;

struct probe_net {
    arena ar;
    const probe_registry *reg;
    char *name;
    char *text;
    size_t len;
    layer *layers;
    size_t nlayers;
    container *containers;
    size_t ncontainers;
    container root;         /* the net itself: a chain of the top-level children */
    mod_ref *kids;          /* every container's children, each one's in a run */
    size_t nkids;
    bool has_implicit;      /* the implicit flatten: a Flatten() before the */
    layer implicit;         /* first Linear, where forward() flattens */
    bound_arg *args;        /* every layer's written arguments, one array */
    size_t nargs;
    bool has_input;
    int64_t input[4];       /* C and the spatial sizes: L; H, W; or D, H, W */
    int input_rank;         /* how many sizes the input line gives */
    src_span input_span;
    bool invalid;
    diag error;             /* when invalid: where and why (message in ar) */
    int unclosed;           /* containers the end of the file closed */
    src_span unclosed_at;
    /* a model file (src/py/): forward() is Python. The run calls forward
     * on the input, which it replaces by what forward() returned (its
     * first tensor); false when an error stopped it (in res). The front
     * end's state is freed with the net. */
    bool (*forward)(probe_result *res, probe_tensor *x);
    void *front;
    void (*front_free)(void *front);
    /* where --fix writes parameter p of ly, when not at its argument
     * (a model file's literal passed down to a block); NULL: always there */
    bool (*fix_place)(const probe_net *net, const layer *ly, int p, src_span *at);
    vec notes;              /* of diag: what the front end assumed (in ar) */
};

/* The layer a mod_ref names (the implicit node too); NULL for a container. */
const layer *net_layer(const probe_net *net, mod_ref r);
/* The container a mod_ref names; NULL for a layer. */
const container *net_container(const probe_net *net, mod_ref r);
/* The first Linear in source order (the one whose in_features is the
 * answer), or NULL. */
const layer *net_first_linear(const probe_net *net);

/* Where a run with no input line reads the input channels from: each
 * parameter that declares a layer's input channels, in the layers before
 * the first Flatten or Linear, in order. Calls take(ly, p, ud) on each
 * until it returns true; false when none did. The run takes the first
 * written value; --fix asks again with its edits made. */
typedef bool (*net_channel_fn)(const layer *ly, int p, void *ud);
bool net_each_channel_source(const probe_net *net, net_channel_fn take, void *ud);

/* Links the tree once the front end has filled in the layers, the
 * containers (each child knowing its parent and its place, as the file
 * says) and the implicit node: each container's children in order, the
 * implicit node before the layer whose place it takes. False when out of
 * memory. */
bool net_link(probe_net *net, const layer *implicit_before);

/* Binds one layer statement, storing its written arguments in *store (or
 * finding them there) and setting out->first_arg; false with *err when
 * PyTorch would refuse it whatever the input. */
bool bind_layer(probe_net *net, const stmt *st, arg_store *store, layer *out, diag *err);

/* Binds a call of op o made while a net runs (a functional in a Python
 * forward()): its arguments go to ar, shared with nothing; out->args is
 * set. False with *err (in ar) as bind_layer. */
bool bind_call(arena *ar, const op *o, const stmt *st, layer *out, diag *err);

/* What the layer's constructor (and every forward) would refuse, found by
 * calling its op without a tensor; false with *err (message in ar). */
bool layer_construct(const probe_net *net, arena *ar, const layer *ly, diag *err);

/* The parameter index of `name` in o's schema, or -1. */
int bind_param_index(const op *o, const char *name);

/* How Python code names the layer: "model.classifier[1]", "model.fc1".
 * Writes into out (cap bytes). */
void net_python_path(const probe_net *net, const layer *ly, char *out, size_t cap);

/* The C arguments of a layer call, from per-parameter values. */
void bind_c_args(const op *o, const cval *vals, cval *out);

/* Every parameter's value, written or default, into vals (o->nparams
 * slots); each PT_INTS value is copied into ints[] so the caller may
 * change it. With known, also whether each value is known (not a `?` or a
 * Lazy layer's size): one pass, as the run needs both for every layer. */
void layer_values(const layer *ly, cval *vals, probe_ints *ints, bool *known);
/* The argument written for parameter p, or NULL when it is a default. */
const bound_arg *layer_arg(const layer *ly, int p);
infer_kind layer_infer(const layer *ly, int p);
/* The value of i64 parameter p, written or default. */
int64_t layer_int(const layer *ly, int p);
/* Where parameter p's value is written (line and column counted from the
 * layer's name), or the layer's name for a default. */
src_span layer_span(const probe_net *net, const layer *ly, int p);
/* Where --fix changes parameter p of ly: its argument, or (a model file)
 * the literal its value came from. */
src_span net_fix_span(const probe_net *net, const layer *ly, int p);
/* The label as written ("conv1", "(0)"); *len 0 when there is none. */
const char *layer_label(const probe_net *net, const layer *ly, size_t *len);

#endif
