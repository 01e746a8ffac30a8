/* py_tree.c - the module tree a model file's __init__ builds: each
 * instance of a module class of the file, each nn.Sequential, ModuleList
 * and ModuleDict is a container; each torch.nn layer a leaf. A module
 * becomes a child where it is first registered (assigned to an attribute
 * of a module, or put in a container), in that order, as nn.Module keeps
 * its _modules. */
#include "py/py_interp.h"

#include <string.h>


bool py_new_container(py *P, const char *name, forward_kind fw, src_span at, uint32_t *index)
{
    container *c = vec_push(&P->containers);
    uint32_t *count = vec_push(&P->kid_counts);
    if (!c || !count) return py_raise(P, at, "MemoryError", "out of memory");
    c->name = name;
    c->name_span = at;
    c->forward = fw;
    *index = (uint32_t)P->containers.len;   /* 1 + its index */
    return true;
}

bool py_new_module_object(py *P, pyobj *obj)
{
    return py_new_container(P, obj->cls->name, FORWARD_PYTHON, obj->made_at, &obj->container);
}

/* The mod_ref of a module value; 0 for one that is no node (a slice of a
 * Sequential). */
static mod_ref ref_of(const pyval *v)
{
    if (v->kind == PV_LAYER || v->kind == PV_SEQ) return v->mod->index;
    if (v->kind == PV_OBJECT) return v->obj->container;
    return 0;
}

/* The parent, child index and label of a node, wherever it is kept. */
static void node_slots(py *P, mod_ref r, uint32_t **parent, uint32_t **child, uint32_t **label_off, uint32_t **label_len)
{
    if ((r & MOD_RUN) == MOD_LAYER) {
        layer *ly = &VEC_AT(P->layers, layer, MOD_INDEX(r));
        *parent = &ly->parent;
        *child = &ly->child;
        *label_off = &ly->label_off;
        *label_len = &ly->label_len;
        return;
    }
    container *c = &VEC_AT(P->containers, container, r - 1);
    *parent = &c->parent;
    *child = &c->child;
    *label_off = &c->label_off;
    *label_len = &c->label_len;
}

bool py_adopt(py *P, uint32_t container, const pyval *child, src_span label)
{
    mod_ref r = ref_of(child);
    if (!r || (r & MOD_RUN) == MOD_RUN || !container) return true;
    if (r == container) return py_raise(P, label, "RuntimeError", "a module cannot be its own child");
    uint32_t *parent, *index, *loff, *llen;
    node_slots(P, r, &parent, &index, &loff, &llen);
    if (*parent) return true;      /* registered already: shared, it stays where it was first */
    *parent = container;
    uint32_t *count = &VEC_AT(P->kid_counts, uint32_t, container - 1);
    *index = (*count)++;
    if (label.end > label.off) {
        *loff = label.off;
        *llen = label.end - label.off;
    }
    kid_event *e = vec_push(&P->kid_events);
    if (!e) return py_raise(P, label, "MemoryError", "out of memory");
    e->parent = container;
    e->child = r;
    return true;
}

bool py_register_child(py *P, pyobj *parent, const char *name, const pyval *child, src_span at)
{
    /* the label is the attribute's name where the file writes it
     * (self.conv1 = ...); setattr(self, 'conv' + str(i), ...) writes none */
    size_t n = strlen(name);
    bool written = !P->lib_depth && at.end - at.off == n && at.end <= P->len && !memcmp(P->text + at.off, name, n);
    return py_adopt(P, parent->container, child, written ? at : (src_span){ 0, 0, 0, 0 });
}

/* Every container's children in one array, each run in the order they
 * were registered; the root holds the model. */
bool py_link_tree(py *P, probe_net *net, const pyval *model)
{
    size_t nc = net->ncontainers, ne = P->kid_events.len;
    net->kids = arena_alloc(&net->ar, (ne + 1) * sizeof *net->kids);
    if (!net->kids) return false;
    for (size_t i = 0; i < ne; i++) net->containers[VEC_AT(P->kid_events, kid_event, i).parent - 1].nkids++;
    uint32_t next = 1;
    for (size_t c = 0; c < nc; c++) {
        net->containers[c].first_kid = next;
        next += net->containers[c].nkids;
        net->containers[c].nkids = 0;
    }
    for (size_t i = 0; i < ne; i++) {
        const kid_event *e = &VEC_AT(P->kid_events, kid_event, i);
        container *c = &net->containers[e->parent - 1];
        net->kids[c->first_kid + c->nkids++] = e->child;
    }
    net->root.forward = FORWARD_PYTHON;
    net->root.first_kid = 0;
    net->root.nkids = 0;
    mod_ref r = ref_of(model);
    if (r && (r & MOD_RUN) != MOD_RUN) {
        net->kids[0] = r;
        net->root.nkids = 1;
    }
    net->nkids = ne + 1;
    return true;
}
