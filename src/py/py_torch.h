/*
 * py_torch.h - what the torch side of the evaluator shares (prefix: py_):
 * the namespaces a model file imports (torch, torch.nn, F, math), the
 * functionals and tensor methods (py_tensor.c, py_functional.c) and
 * torch.nn's classes (py_nn.c).
 */
#ifndef PROBE_PY_TORCH_H
#define PROBE_PY_TORCH_H

#include "py/py_interp.h"

/* A native function's definition: fn(P, self, a, out). */
#define NATIVE(name) static bool name(py *P, const pyval *self, const pycall_args *a, pyval *out)

typedef enum pyns_id {
    NS_TORCH, NS_NN, NS_F, NS_MATH, NS_INIT, NS_CUDA, NS_TV, NS_TV_MODELS, NS_OPAQUE
} pyns_id;

/* A namespace: a module a model file imports. An opaque one is a module
 * probe does not know (torchvision.transforms, numpy...): naming it is
 * fine, using it is an error at that line. */
struct pyns {
    pyns_id id;
    const char *name;       /* as imported: "torch.optim" */
};

/* The call as the binder reads a layer statement (py_nn.c); `skip`
 * leading positionals are not the layer's (a functional's input). */
bool py_call_stmt(py *P, const op *o, const pycall_args *a, size_t skip, stmt *st);
/* A tensor argument, or a TypeError naming `what`. */
bool py_tensor_arg(py *P, const pyval *v, src_span at, const char *what, probe_tensor *out);
/* Runs a layer (of the net or of this run) on *in through run_call(),
 * its row marked with the call at `at`; the output into *out. */
bool py_run_node(py *P, mod_ref node, const probe_tensor *in, uint32_t from, src_span at, pyval *out);

/* nn.X (py_nn.c), nn.init.X, and the members of the other namespaces. */
bool py_nn_attr(py *P, const char *name, src_span at, pyval *out, bool *found);
bool py_init_attr(py *P, const char *name, pyval *out);
const pynative *py_nn_module_native(void);
/* torch.X and F.X (py_functional.c). */
bool py_torch_attr(py *P, const char *name, pyval *out, bool *found);
bool py_functional_attr(py *P, const char *name, pyval *out, bool *found);
/* A tensor's attribute or method (py_tensor.c). */
bool py_tensor_attr(py *P, const pyval *t, const char *name, src_span at, pyval *out, bool *found);
/* A module's attribute: nn.Module's methods, a layer's constructor values. */
bool py_module_attr(py *P, const pyval *self, const char *name, src_span at, pyval *out, bool *found);
/* The methods of lists, tuples, dicts and strings (py_methods.c). */
bool py_builtin_method(py *P, const pyval *obj, const char *name, src_span at, pyval *out, bool *found);
/* Adds a child module to a Sequential / ModuleList (py_nn.c). */
bool py_seq_add(py *P, pymod *m, const pyval *child, src_span at);

/* Calls a tensor shape function's result into the run: false after
 * recording its error (PyTorch's message) at `at`. */
bool py_shape_result(py *P, int rc, probe_ctx *cx, src_span at);

#endif
