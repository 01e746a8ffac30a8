/* py_zoo.c - torchvision's models, as probe knows them: the classes and
 * builders of the files of src/py/zoo, our own Python after torchvision 0.14's
 * forward() semantics, compiled into the library (tools/embed.c) and run
 * by the evaluator like a file's own code, in a module of their own. A
 * model file reaches them through `torchvision.models`; print(model) text
 * through the class names of its containers (py_print.c). */
#include "py/py_interp.h"
#include "py/py_zoo.h"
#include "py/py_model.h"
#include "zoo_src.h"

#include <string.h>

/* The library's module frame, made once; false after an error. */
static bool zoo_frame(py *P)
{
    if (P->zoo) return true;
    if (!P->building)
        return py_unsupported(P, P->module_at, "torchvision's models are read when the model is built, not in forward()");
    pyframe *lib = py_alloc(P, sizeof *lib, P->module_at);
    if (!lib) return false;
    lib->module = lib;
    P->zoo = lib;
    return true;
}

/* Parses and runs file i of the library into its frame, the files it
 * needs first; each file once. Only what a model uses is read: the whole
 * library is 100 KB of Python. */
static bool load_file(py *P, int i, int depth)
{
    if (P->zoo_loaded & (1ul << i)) return true;
    if (depth > ZOO_FILES) return py_raise(P, P->module_at, "SystemError", "probe's torchvision library's files need each other in a loop");
    P->zoo_loaded |= 1ul << i;
    for (int k = 0; k < ZOO_FILES; k++)
        if ((zoo_files[i].needs & (1ul << k)) && !load_file(P, k, depth + 1)) return false;
    if (!P->building)
        return py_unsupported(P, P->module_at, "torchvision's models are read when the model is built, not in forward()");
    pymodule mod;
    pyparse_error err;
    if (!pyparse(zoo_files[i].text, strlen(zoo_files[i].text), P->ar, &mod, &err, NULL, NULL))
        return py_raise(P, P->module_at, "SystemError", "probe's torchvision library does not parse (%s:%u:%u: %s)",
                        zoo_files[i].name, err.d.at.line, err.d.at.col, diag_message(&err.d));
    /* spans inside the library are the library's: errors there are placed
     * at the module that called into it (py_raise) */
    P->lib_depth++;
    bool ok = py_push_frame(P, P->zoo);
    if (ok) {
        ok = py_exec_block(P, P->zoo, &mod.body) != FLOW_ERROR;
        py_pop_frame(P);
    }
    P->lib_depth--;
    return ok;
}

bool py_zoo_load(py *P)
{
    if (!zoo_frame(P)) return false;
    for (int i = 0; i < ZOO_FILES; i++)
        if (!load_file(P, i, 0)) return false;
    return true;
}

bool py_zoo_get(py *P, const char *name, pyval *out)
{
    if (!zoo_frame(P)) return false;
    for (const zoo_def *d = zoo_defs; d->name; d++)
        if (!strcmp(d->name, name)) {
            if (!load_file(P, d->file, 0)) return false;
            break;
        }
    return py_frame_get(P, P->zoo, name, out);
}

bool py_zoo_class(py *P, const char *name, pyclass **out)
{
    pyval v;
    if (!py_zoo_get(P, name, &v) || v.kind != PV_CLASS) return false;
    *out = v.cls;
    return true;
}

bool py_zoo_has_class(const char *name)
{
    /* from the list tools/embed.c made: the net.cfg front end asks this of
     * every container it opens. A class marked `# printed as a chain`
     * (VGG, AlexNet: forward() runs the children in order, with the
     * flatten probe adds) keeps the net.cfg semantics that
     * shared/corpus/classic pins; its builders serve model files. */
    for (const zoo_def *d = zoo_defs; d->name; d++)
        if (d->is_class == 1 && !strcmp(d->name, name)) return true;
    return false;
}
