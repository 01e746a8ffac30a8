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

bool py_zoo_load(py *P)
{
    if (P->zoo) return true;
    if (!P->building)
        return py_unsupported(P, P->module_at, "torchvision's models are read when the model is built, not in forward()");
    pyframe *lib = py_alloc(P, sizeof *lib, P->module_at);
    if (!lib) return false;
    lib->module = lib;
    pyparse_error err;
    if (!pyparse(zoo_source, sizeof zoo_source - 1, P->ar, &P->zoo_mod, &err, NULL, NULL))
        return py_raise(P, P->module_at, "SystemError", "probe's torchvision library does not parse (%u:%u: %s)",
                        err.d.at.line, err.d.at.col, diag_message(&err.d));
    P->zoo = lib;
    const char *text = P->text;
    size_t len = P->len;
    /* spans inside the library are the library's: errors there are placed
     * at the module that called into it (py_raise) */
    P->lib_depth++;
    bool ok = py_push_frame(P, lib);
    if (ok) ok = py_exec_block(P, lib, &P->zoo_mod.body) != FLOW_ERROR;
    if (ok) py_pop_frame(P);
    P->lib_depth--;
    P->text = text;
    P->len = len;
    return ok;
}

bool py_zoo_get(py *P, const char *name, pyval *out)
{
    if (!py_zoo_load(P)) return false;
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
    /* VGG and AlexNet print as plain chains that forward() runs in order,
     * with the flatten before the classifier that probe adds: their text
     * keeps the net.cfg semantics that shared/corpus/classic pins (the
     * implicit flatten's note and line); their builders serve model files */
    if (!strcmp(name, "VGG") || !strcmp(name, "AlexNet")) return false;
    /* from the list tools/embed.c made of the library's classes: the net.cfg
     * front end asks this of every container it opens */
    for (const char *const *c = zoo_classes; *c; c++)
        if (!strcmp(*c, name)) return true;
    return false;
}
