/* py_print.c - print(model) text of torchvision's models: the module tree
 * cfg/build.c made from the printed lines becomes the evaluator's values
 * (each printed block an instance of probe's torchvision class of that
 * name, its children its attributes, by their printed labels), and the net
 * runs the top module's forward(). Layers stay the net's, bound from the
 * printed constructor lines, so every error is at a printed line: a
 * layer's own, or that of the innermost printed block running. */
#include "py/py_model.h"
#include "py/py_zoo.h"

#include <stdlib.h>
#include <string.h>

/* "(conv1)" -> "conv1", "(0)" -> "0"; NULL when there is no label. */
static const char *label_name(py *P, uint32_t off, uint32_t len)
{
    if (!len) return NULL;
    const char *t = P->text + off;
    if (len >= 2 && t[0] == '(' && t[len - 1] == ')') t++, len -= 2;
    pystr *s = py_str_new(P, t, len, (src_span){ 0, 0, 0, 0 });
    return s ? s->s : NULL;
}

static pyval layer_value(py *P, mod_ref r)
{
    pyval v = pv_none();
    pymod *m = py_alloc(P, sizeof *m, (src_span){ 0, 0, 0, 0 });
    if (!m) return v;
    m->kind = PM_LAYER;
    m->index = r;
    v.kind = PV_LAYER;
    v.mod = m;
    return v;
}

/* An empty value for container i: an instance of the library's class of
 * its name, or a Sequential (a chain: what an unknown container does). */
static pyval container_value(py *P, const probe_net *net, size_t i)
{
    const container *c = &net->containers[i];
    pyval v = pv_none();
    pyclass *cls;
    if (c->name && py_zoo_class(P, c->name, &cls)) {
        pyobj *o = py_alloc(P, sizeof *o, c->name_span);
        if (!o) return v;
        o->cls = cls;
        o->container = (uint32_t)i + 1;
        o->made_at = c->name_span;
        o->in_file = true;
        v.kind = PV_OBJECT;
        v.obj = o;
        return v;
    }
    P->failed = false;
    pymod *m = py_alloc(P, sizeof *m, c->name_span);
    if (!m) return v;
    m->kind = c->name && !strcmp(c->name, "ModuleList") ? PM_MODULELIST
            : c->name && !strcmp(c->name, "ModuleDict") ? PM_MODULEDICT : PM_SEQUENTIAL;
    m->index = (uint32_t)i + 1;
    m->made_at = c->name_span;
    v.kind = PV_SEQ;
    v.mod = m;
    return v;
}

/* The value of a child of the tree. */
static pyval kid_value(py *P, const pyval *containers, mod_ref r)
{
    if (r & (MOD_LAYER | MOD_IMPLICIT)) return layer_value(P, r);
    return containers[r - 1];
}

/* Puts a container's children into its value: attributes by label for a
 * block, items (and names) for a Sequential. */
static bool fill(py *P, const probe_net *net, const pyval *containers, const container *c, pyval *v)
{
    for (uint32_t k = 0; k < c->nkids; k++) {
        mod_ref r = net->kids[c->first_kid + k];
        pyval kid = kid_value(P, containers, r);
        if (P->failed || kid.kind == PV_NONE) return false;
        const layer *ly = (r & MOD_LAYER) ? net_layer(net, r) : NULL;
        const container *sub = net_container(net, r);
        uint32_t off = ly ? ly->label_off : sub ? sub->label_off : 0;
        uint32_t len = ly ? ly->label_len : sub ? sub->label_len : 0;
        const char *name = label_name(P, off, len);
        if (v->kind == PV_OBJECT) {
            if (!name) continue;    /* the implicit flatten: a block's forward() flattens itself */
            pyval key = pv_str(P, name, c->name_span);
            if (P->failed || !py_dict_set(P, &v->obj->attrs, key, kid, c->name_span)) return false;
            continue;
        }
        if (!py_seq_push(P, &v->mod->items, kid, c->name_span)) return false;
        if (name && (name[0] < '0' || name[0] > '9')) {
            pyval key = pv_str(P, name, c->name_span);
            if (P->failed || !py_dict_set(P, &v->mod->named, key, kid, c->name_span)) return false;
        }
    }
    return true;
}

static bool attach(py_front *F, probe_net *net)
{
    py *P = &F->P;
    /* each container's class loads the library's files it needs */
    pyval *values = net->ncontainers ? py_alloc(P, net->ncontainers * sizeof *values, (src_span){ 0, 0, 0, 0 }) : NULL;
    if (net->ncontainers && !values) return false;
    for (size_t i = 0; i < net->ncontainers; i++)
        if ((values[i] = container_value(P, net, i)).kind == PV_NONE) return false;
    for (size_t i = 0; i < net->ncontainers; i++)
        if (!fill(P, net, values, &net->containers[i], &values[i])) return false;
    /* the model: the one printed top module, or the top lines as a chain */
    const container *root = &net->root;
    if (root->nkids == 1 && !(net->kids[root->first_kid] & (MOD_LAYER | MOD_IMPLICIT))) {
        F->model = values[net->kids[root->first_kid] - 1];
        return true;
    }
    pymod *m = py_alloc(P, sizeof *m, (src_span){ 0, 0, 0, 0 });
    if (!m) return false;
    m->kind = PM_SEQUENTIAL;
    F->model.kind = PV_SEQ;
    F->model.mod = m;
    pyval top = F->model;
    return fill(P, net, values, root, &top);
}

void py_print_attach(probe_net *net)
{
    py_front *F = py_front_new(net, net->text, net->len);
    if (!F) return;
    py *P = &F->P;
    if (!attach(F, net)) {
        net->invalid = true;
        net->error = P->err;
        net->error.file = net->name;
        py_front_free(F);
        return;
    }
    P->building = false;
    net->forward = py_forward;
    net->front = F;
    net->front_free = py_front_free;
}
