/*
 * registry.h - op name -> schema + typed C shape function, called through
 * libffi (prefix: reg_). Built-in layers and plugins register the same way.
 */
#ifndef PROBE_REGISTRY_H
#define PROBE_REGISTRY_H

#include <ffi.h>
#include "probe.h"
#include "cfg/parse.h"
#include "base/hash.h"

typedef enum ptype {
    PT_I64, PT_F64, PT_BOOL, PT_STR, PT_PAIR, PT_FPAIR, PT_PAD, PT_INTS,
    PT_SIZE, PT_PSIZE,      /* the op's rank of ints, as _pair/_triple make */
    PT_TENSOR,              /* another input: no net.cfg can write one */
    PT_ANY,
    PT_COUNT
} ptype;

/* The types whose C value is a const probe_ints *, copied per call. */
static inline bool ptype_is_ints(ptype t) { return t == PT_INTS || t == PT_SIZE || t == PT_PSIZE; }

/* One C argument slot. */
typedef union cval {
    int64_t i;
    double f;
    int b;
    const char *s;
    probe_pair pair;
    probe_fpair fpair;
    const probe_ints *ints;
    const probe_tensor *tensor;
} cval;

/* How a size is to be found instead of read. */
typedef enum infer_kind {
    INFER_NONE = 0,
    INFER_QUESTION,         /* `?` in the file: reported as a fix to fill in */
    INFER_LAZY              /* a Lazy layer: inferred, nothing to change */
} infer_kind;

typedef struct param {
    const char *name;
    ptype type;
    bool inferable;         /* '?': may be `?`, found by the forum trick */
    bool declares_input;    /* 'in': declares the layer's input channels */
    bool repr_only;         /* '~': printed, not taken: must equal default */
    bool keyword_only;
    bool required;
    uint8_t rank;           /* the op's spatial rank: how many values a
                             * size or psize holds */
    value def;              /* when !required */
    cval cdef;              /* def as the C value (ints: registry-owned) */
    infer_kind infer_def;   /* a Lazy layer's size: '?' by default */
} param;

/* What the run, the size search and the reports need to know of an op
 * beyond its shape function: properties, so that no code outside the op
 * table and the binder looks at an op's name. */
enum op_flag {
    OPF_LINEAR = 1u << 0,       /* a classifier Linear: its in_features is the
                                 * answer, an implicit flatten may come before
                                 * it, the forum trick plants a wrong size */
    OPF_FLATTEN = 1u << 1,      /* a Flatten: no implicit flatten after it */
    OPF_NOT_MONOTONE = 1u << 2, /* its verdict is not monotone in the input
                                 * size (divisibility, a size it must equal):
                                 * the size search tries every size */
    OPF_CONV_MACS = 1u << 3,    /* mult-adds as torchinfo counts a ConvNd:
                                 * parameters x output positions */
    OPF_PLUGIN = 1u << 4        /* registered by a plugin, not built in */
};

typedef struct op {
    const char *name;
    const char *schema_text;
    param *params;
    int nparams;
    int npositional;        /* parameters that may be given by position */
    int ncargs;             /* C arguments after (ctx, tensor) */
    int rank;               /* the spatial rank it works on: Conv2d[2](...)
                             * in its schema; 0 for a rank-agnostic op */
    bool varargs;           /* '...': anything accepted, nothing passed */
    unsigned flags;         /* enum op_flag */
    int features;           /* OPF_LINEAR: the parameter the input's features
                             * must equal (in_features), -1 for other ops */
    probe_shape_fn fn;
    ffi_cif cif;
    ffi_type **atypes;
} op;

struct probe_registry {
    arena ar;
    vec ops;                /* of op *, in registration order */
    hash_table index;       /* ops by name: indexes ops */
    /* the structs passed by value, as libffi sees them: it writes their
     * size and alignment, so each registry has its own */
    ffi_type ffi_pair, ffi_fpair;
    ffi_type *pair_members[3], *fpair_members[3];
    void **plugins;         /* dlopen handles */
    int nplugins;
    diag error;             /* the last failure (probe_registry_error); message in ar */
};

/* The op of that name, or NULL. */
const op *reg_find(const probe_registry *reg, const char *name);
/* The first op registered with all of `flags` (the built-in Flatten for
 * OPF_FLATTEN), or NULL. */
const op *reg_first_with(const probe_registry *reg, unsigned flags);
/* A registered name that `name` was probably meant to be, or NULL. */
const char *reg_suggest(const probe_registry *reg, const char *name);
/* Registers with the op table's flags (built-ins); probe_register() is
 * this for a plugin's layer, with OPF_PLUGIN. */
int reg_add(probe_registry *reg, const char *schema, probe_shape_fn fn, unsigned flags);
/* Parses a schema into *out (arena-owned); false with a message in err. */
bool reg_parse_schema(arena *ar, const char *schema, op *out, char *err, size_t errlen);
/* Converts v to the C value of a parameter; ptype_is_ints values go to *store.
 * On failure *why says what went wrong beyond a plain type error (NULL:
 * the type is wrong). */
bool schema_convert(const param *pm, const value *v, cval *out, probe_ints *store, const char **why);
/* The integer in v (or its items) that the C side would read as None or
 * 'same' (PROBE_NONE, PROBE_SAME) for a parameter of pm's type, or NULL. */
const value *schema_reserved_int(const param *pm, const value *v);
/* The C type of a schema type, as a generated prototype spells it. */
const char *reg_ctype(ptype t);
const char *reg_type_name(ptype t);


/* Calls op->fn(cx, x, args...) through libffi; args has op->ncargs slots. */
int reg_call(const op *o, probe_ctx *cx, probe_tensor *x, cval *args);

/* Registers every built-in layer (ops_table.c). */
int reg_add_builtins(probe_registry *reg);

#endif
