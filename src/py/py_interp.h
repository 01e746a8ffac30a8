/*
 * py_interp.h - the evaluator of model files (prefix: py_), the last
 * stage of the Python front end: the tree (py_ast.h) in, the module tree
 * (model/net.h) out, and forward() run on meta tensors through the one
 * call path (run/result.h).
 *
 * Values are small structs passed by value; what they point to (strings,
 * lists, dicts, functions, classes, instances, tensors) lives in an
 * arena: the net's for what __init__ builds, a run's for what forward()
 * makes. There is no garbage collector: the limits (steps, calls, sizes,
 * bytes) bound what a file can make. What __init__ built is frozen before
 * forward() runs: a run may read it, never change it, so runs of one net
 * may go on at once and none sees another's values.
 *
 * Errors are Python's (NameError, TypeError, ...) or PyTorch's, located
 * at the expression that raised them; one error stops the evaluation
 * (there is no `except`: a try block's handlers never run).
 */
#ifndef PROBE_PY_INTERP_H
#define PROBE_PY_INTERP_H

#include "py/py_parse.h"
#include "model/net.h"
#include "run/result.h"

/* ---- values ------------------------------------------------------------ */

typedef enum pv_kind {
    PV_NONE, PV_BOOL, PV_INT, PV_FLOAT, PV_STR, PV_ELLIPSIS,
    PV_TUPLE, PV_LIST, PV_DICT, PV_SLICE, PV_RANGE,
    PV_FUNC,        /* a def or lambda of the file (with its closure) */
    PV_METHOD,      /* a function bound to an instance (or class, for super) */
    PV_CLASS,       /* a class of the file */
    PV_OBJECT,      /* an instance of a class of the file */
    PV_NATIVE,      /* a function probe provides: builtins, torch.*, F.*,
                     * methods of values (bound to self) */
    PV_NS,          /* a namespace: torch, torch.nn, F, math, a skipped import */
    PV_NNCLASS,     /* a torch.nn layer class: nn.Conv2d before it is called */
    PV_LAYER,       /* a torch.nn layer: a layer of the net */
    PV_SEQ,         /* nn.Sequential, nn.ModuleList, nn.ModuleDict */
    PV_TENSOR,      /* a meta tensor */
    PV_SUPER,       /* super(): the instance, and the class to look above */
    PV_KIND_COUNT
} pv_kind;

typedef struct pystr { size_t n; char s[]; } pystr;
typedef struct pyval pyval;
typedef struct pyseq pyseq;
typedef struct pydict pydict;
typedef struct pyfunc pyfunc;
typedef struct pyclass pyclass;
typedef struct pyobj pyobj;
typedef struct pymod pymod;
typedef struct py py;

/* A native function: args[0, nargs) positional, then the keywords. */
typedef struct pycall_args {
    const pyval *pos;
    size_t npos;
    const char **kwnames;
    const pyval *kw;
    size_t nkw;
    src_span at;            /* the call expression */
    const pyx *call;        /* the call's tree (spans of each argument), or NULL */
} pycall_args;
typedef bool (*py_native_fn)(py *P, const pyval *self, const pycall_args *a, pyval *out);

typedef struct pynative {
    const char *name;       /* as Python names it: "len", "torch.cat", "Tensor.view" */
    py_native_fn fn;
    const void *data;       /* for the function: an op, a namespace table... */
} pynative;

struct pyval {
    pv_kind kind;
    uint32_t aux;           /* PV_NATIVE: 1 when bound to self; PV_INT: 1 + the
                             * offset of the literal it was written as, 0: computed */
    union {
        bool b;
        int64_t i;
        double f;
        const pystr *s;
        pyseq *seq;                 /* TUPLE, LIST */
        pydict *dict;
        pyfunc *fn;
        pyclass *cls;
        pyobj *obj;                 /* OBJECT, SUPER (obj + super_cls) */
        pymod *mod;                 /* LAYER, SEQ */
        const probe_tensor *t;
        const op *op;               /* NNCLASS */
        const struct pyns *ns;      /* NS */
        struct { const pynative *nat; struct pyboxed *self; } native;
        struct { pyfunc *fn; struct pyboxed *self; } method;
        struct { int64_t lo, hi, step; } range;
        struct { struct pyboxed *parts; } slice;  /* lo, hi, step */
        struct { pyobj *obj; pyclass *cls; } super;
    };
};

/* A value kept behind a pointer (a method's self, a slice's parts). */
typedef struct pyboxed { pyval v[3]; } pyboxed;

struct pyseq {
    size_t n, cap;
    pyval *v;
    bool frozen;            /* made while the model was built: a run may not change it */
};

struct pydict {
    size_t n, cap;
    pyval *keys, *vals;
    bool frozen;
};

struct pyfunc {
    const char *name;
    const pyparams *params;
    const pys_list *body;   /* a def */
    const pyx *expr;        /* a lambda */
    struct pyframe *closure;/* the frame it was defined in (NULL: module level) */
    pyval *defaults;        /* evaluated when defined, one per params->v (NONE-kind
                             * placeholders where there is none) */
    pyval *kwdefaults;
    pyclass *owner;         /* the class it was defined in, for super() */
    struct pyframe *module; /* the module it was defined in (NULL: the file) */
    bool is_static;         /* @staticmethod: never bound */
    bool is_classmethod;    /* @classmethod: bound to the class */
    src_span span;
};

struct pyclass {
    const char *name;
    pyclass *base;          /* a class of the file, or NULL */
    bool is_module;         /* derives from nn.Module (directly or not) */
    bool library;           /* one of probe's torchvision classes */
    int seq_kind;           /* 1 + pymod_kind when it derives from nn.Sequential,
                             * nn.ModuleList or nn.ModuleDict (0: none) */
    pydict attrs;           /* class attributes and methods, in order */
    const pys *def;
};

/* An instance of a class of the file. As nn.Module does, it keeps its
 * attributes in order; the modules among them are its children. */
struct pyobj {
    pyclass *cls;
    pydict attrs;
    uint32_t container;     /* 1 + its container in the net; 0: not a module */
    src_span made_at;       /* where it was constructed (or printed) */
    bool in_file;           /* made_at is in the file (not in the library) */
};

/* A torch.nn module that is not of the file: a layer, or a Sequential /
 * ModuleList / ModuleDict. */
typedef enum pymod_kind { PM_LAYER, PM_SEQUENTIAL, PM_MODULELIST, PM_MODULEDICT } pymod_kind;
struct pymod {
    pymod_kind kind;
    uint32_t index;         /* PM_LAYER: its layer; else 1 + its container */
    pyseq items;            /* the children, in order (SEQ) */
    pydict named;           /* MODULEDICT: name -> module; SEQUENTIAL from an OrderedDict */
    src_span made_at;
};

/* ---- the interpreter's state ------------------------------------------- */

/* The limits, each reported at the line that reaches it (README: Limits). */
enum {
    PY_MAX_STEPS = 5000000,         /* statements and calls of one evaluation */
    PY_MAX_CALLS = 200,             /* nested calls */
    PY_MAX_ITEMS = 1000000,         /* items of one list, tuple, dict or string */
    PY_MAX_BYTES = 256u << 20       /* what one evaluation may allocate */
};

typedef struct pyvar { const char *name; pyval v; } pyvar;

/* A layer argument whose value is a literal written elsewhere (a block's
 * nn.Conv2d(inp, ...) built by conv_block(1, 12, 2)): --fix edits it there. */
typedef struct py_origin {
    uint32_t layer;         /* index in the net's layers */
    uint32_t value_off;     /* where the argument is written in the call */
    uint32_t off, len;      /* the literal */
} py_origin;

/* A module registered as a child (py_tree.c). */
typedef struct kid_event { uint32_t parent; mod_ref child; } kid_event;

/* A function's local names (or the module's), in one small array. */
typedef struct pyframe {
    pyvar *vars;
    size_t n, cap;
    struct pyframe *up;     /* the enclosing function's frame (closures) */
    pyfunc *fn;             /* NULL at module level */
    pyval self;             /* the first argument, for super() */
    struct pyframe *caller; /* the frame that was current before it */
    struct pyframe *module; /* the module's names it sees: the library's
                             * (torchvision, built in) or NULL, the file's */
    const char **globals;   /* names a `global` statement sent to the module */
    size_t nglobals;
} pyframe;

/* How a statement ended. */
typedef enum py_flow { FLOW_NEXT, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN, FLOW_ERROR } py_flow;

struct py {
    const probe_registry *reg;
    probe_net *net;             /* the net being built, or the one a run reads */
    arena *ar;                  /* where values go: the net's while building, a run's after */
    const char *text;
    size_t len;
    pymodule mod;
    pyframe globals;
    pyframe *frame;             /* the current frame */
    pyframe *zoo;               /* torchvision's models, once loaded (py_zoo.c) */
    unsigned long zoo_loaded;   /* which of the library's files are in it */
    int lib_depth;              /* > 0: running the library's code, whose spans are
                                 * not the file's: errors go to module_at */
    src_span module_at;         /* the file's module (or call) that ran into it */
    /* building */
    bool building;
    vec layers;                 /* of layer, while building */
    vec containers;             /* of container */
    vec kid_counts;             /* of uint32_t: children so far, per container */
    vec kid_events;             /* each registration (py_tree.c), in order */
    vec origins;                /* of py_origin: where a layer's size is written */
    arg_store *store;
    const char *input_comment;  /* `# input: CxHxW` seen before the first class */
    int64_t input_chw[4];       /* C and 1 to 3 sizes */
    int input_rank;
    bool has_input;
    src_span input_span;
    src_span first_class;
    /* running */
    probe_result *res;          /* NULL while building */
    pyval retval;               /* a return statement's value */
    src_span site;              /* the callee of the layer call being made, for its row */
    uint32_t flow;              /* the producer (run/result.h FLOW_*) a new tensor takes:
                                 * that of the tensor the native call at hand reads */
    uint64_t steps;
    int depth;
    size_t bytes;
    /* the first error: a Python error, or a shape error already in res */
    bool failed;
    bool shape_error;           /* the error is in res (PyTorch's), not err */
    diag err;
    probe_status err_kind;
    arena *err_ar;              /* where its message goes: the net's, or the run's */
    /* notes for the user (skipped top-level code, the model chosen) */
    vec notes;                  /* of diag */
    int nskipped;               /* top-level statements skipped, from: */
    src_span first_skipped;
};

/* ---- the evaluator (py_eval.c, py_exec.c) ------------------------------ */

/* Evaluates e into *out; false after an error (P->failed). */
bool py_eval(py *P, const pyx *e, pyval *out);
/* Runs a block of statements in the current frame. */
py_flow py_exec_block(py *P, pyframe *f, const pys_list *body);
/* Calls fn on the arguments; false after an error. */
bool py_call(py *P, const pyval *fn, const pycall_args *a, pyval *out);
/* Python truth of v; false after an error (a tensor's truth needs data). */
bool py_truth(py *P, const pyval *v, src_span at, bool *out);
/* Binds name in frame f; false when out of memory. */
bool py_frame_set(py *P, pyframe *f, const char *name, pyval v);
/* The value of name in frame f (then its closures, the globals, the
 * builtins); false when none has it. */
bool py_frame_get(py *P, pyframe *f, const char *name, pyval *out);
/* The current frame of the evaluation. */
pyframe *py_current_frame(py *P);
/* Attribute lookup and assignment as Python (and nn.Module) do them. */
bool py_getattr(py *P, const pyval *obj, const char *name, src_span at, pyval *out);
bool py_setattr(py *P, const pyval *obj, const char *name, pyval v, src_span at);
/* Frames: a function's or a comprehension's, made current and left. */
bool py_push_frame(py *P, pyframe *f);
void py_pop_frame(py *P);
/* Binds a value to an assignment target (a name, attribute, subscript,
 * or a tuple/list of them to unpack into). */
bool py_assign_target(py *P, pyframe *f, const pyx *target, pyval v);
/* The items of an iterable, in order (a range or a dict's keys made into
 * a list); the caller must not change them. */
bool py_iter_items(py *P, const pyval *v, src_span at, pyseq **out);
/* v[index], for every value that has one. */
bool py_subscript(py *P, const pyval *v, const pyval *index, src_span at, pyval *out);
/* A binary operator as Python applies it (numbers never wrap). */
bool py_binop(py *P, pyop op, const pyval *a, const pyval *b, bool inplace, src_span at, pyval *out);
/* `needle in hay`. */
bool py_contains(py *P, const pyval *hay, const pyval *needle, src_span at, bool *out);
/* A call expression: the callee, the arguments (*args and **kw spread). */
bool py_eval_call(py *P, const pyx *e, pyval *out);
/* A function value for a def (body) or lambda (expr), its defaults
 * evaluated now, closing over the current frame. */
bool py_make_function(py *P, const char *name, const pyparams *params, const pys_list *body, const pyx *expr,
                      src_span at, pyval *out);
/* Runs a class statement's body and binds the class. */
bool py_make_class(py *P, const pys *st, pyval *out);
/* Calls the instance's forward() (a module's __call__). */
bool py_call_module(py *P, const pyval *mod, const pycall_args *a, pyval *out);

/* ---- errors and memory (py_value.c) ------------------------------------ */

/* Raises Python's error `cls: message` at `at` (invalid: the file cannot
 * run). Returns false, to be returned. */
bool py_raise(py *P, src_span at, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A construct probe does not follow, at `at`: invalid, with what to do. */
bool py_unsupported(py *P, src_span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Counts one step; false (after the error) past the limit. */
bool py_step(py *P, src_span at);
/* Memory for values, counted against PY_MAX_BYTES; NULL after an error. */
void *py_alloc(py *P, size_t size, src_span at);
pystr *py_str_new(py *P, const char *s, size_t n, src_span at);
pyseq *py_seq_new(py *P, size_t cap, src_span at);
bool py_seq_push(py *P, pyseq *s, pyval v, src_span at);
pydict *py_dict_new(py *P, src_span at);
/* Sets key to v (replacing an equal key's value, else appending). */
bool py_dict_set(py *P, pydict *d, pyval key, pyval v, src_span at);
/* The value of key, NULL when absent. */
pyval *py_dict_get(const pydict *d, const pyval *key);
/* An attribute dict keyed by names: the value of name, or NULL. */
pyval *py_attrs_get(const pydict *d, const char *name);

static inline pyval pv_none(void) { pyval v = { .kind = PV_NONE }; return v; }
static inline pyval pv_int(int64_t i) { pyval v = { .kind = PV_INT, .i = i }; return v; }
static inline pyval pv_bool(bool b) { pyval v = { .kind = PV_BOOL, .b = b }; return v; }
static inline pyval pv_float(double f) { pyval v = { .kind = PV_FLOAT, .f = f }; return v; }
pyval pv_str(py *P, const char *s, src_span at);    /* PV_NONE kind after an error */
pyval pv_native(const pynative *nat);
/* A native bound to self (a method of a value). */
bool pv_native_bound(py *P, const pynative *nat, const pyval *self, src_span at, pyval *out);

/* Python's type name of v: "int", "Tensor", "Net", "Conv2d". */
const char *py_type_name(const pyval *v);
/* Python's equality and the order of numbers and strings. */
bool py_equal(const pyval *a, const pyval *b);
/* repr(v) into out, cut at cap bytes. */
void py_repr(const pyval *v, sb *out);
/* An int from v (int or bool); false when it is not one. */
bool py_as_int(const pyval *v, int64_t *out);
bool py_is_module(const pyval *v);

/* The module tree (py_tree.c): a container for a new module, a child
 * registered in its parent, the tree linked into the net at the end. */
bool py_new_container(py *P, const char *name, forward_kind fw, src_span at, uint32_t *index);
bool py_new_module_object(py *P, pyobj *obj);
bool py_adopt(py *P, uint32_t container, const pyval *child, src_span label);
bool py_register_child(py *P, pyobj *parent, const char *name, const pyval *child, src_span at);
bool py_link_tree(py *P, probe_net *net, const pyval *model);

/* ---- builtins (py_builtins.c) and torch (py_torch.c, py_tensor.c) ------ */

/* The builtin of that name (len, range, ...), or NULL. */
const pynative *py_builtin(const char *name);
/* Attribute `name` of a value that is not an instance of the file: a
 * method of a str, list, dict or tensor, a namespace's member. False with
 * no error set when there is none (the caller raises AttributeError). */
bool py_value_attr(py *P, const pyval *obj, const char *name, src_span at, pyval *out, bool *found);
/* An import: the namespace it binds (torch, torch.nn, F, math, ...), or a
 * namespace that refuses every use (a module probe does not know). */
pyval py_import(py *P, const char *dotted, const char *member);
/* A binary operator with a tensor on one side. */
bool py_tensor_binop(py *P, pyop op, const pyval *a, const pyval *b, bool inplace, src_span at, pyval *out);
/* Constructs a torch.nn layer from a call of the class. */
bool py_make_layer(py *P, const op *o, const pycall_args *a, pyval *out);
/* A layer called on its input in forward(). */
bool py_run_layer(py *P, const pymod *m, const pycall_args *a, pyval *out);
/* A new tensor value of shape t (copied into the run's memory), made by
 * P->flow: a tensor value's aux is the id of the flow node that made it. */
bool py_tensor_new(py *P, const probe_tensor *t, src_span at, pyval *out);
/* The tensor *out (just made) comes from the tensors among ins[0, n)
 * joined by `kind` (a static string: "add", "cat"): one of them passes its
 * producer on; two or more make a join node of the trace. False when out
 * of memory. */
bool py_flow_join(py *P, const char *kind, const pyval *ins, size_t n, pyval *out);

#endif
