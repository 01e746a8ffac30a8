/* net.c - the model: a net's module tree, its text and its name, and the
 * public calls that make and free one (model/net.h says what the tree
 * is). The net.cfg front end (cfg/build.c) fills it in. */
#include "model/net.h"
#include "cfg/build.h"
#include "py/py_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

probe_net *probe_net_parse(const probe_registry *reg, const char *name, const char *text, size_t len)
{
    /* a text over the limit is refused unread: no copy of it is kept */
    bool too_big = len > PARSE_MAX_TEXT;
    char *copy = malloc(too_big ? 1 : len + 1);
    if (!copy) return NULL;
    if (!too_big) memcpy(copy, text, len);
    copy[too_big ? 0 : len] = '\0';
    return probe_net_adopt(reg, name, copy, len);
}

probe_net *probe_net_adopt(const probe_registry *reg, const char *name, char *text, size_t len)
{
    return probe_net_adopt_model(reg, name, text, len, NULL);
}

/* A model file by its name: the front end is chosen as Python chooses a
 * module, by the .py suffix. */
static bool is_python(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 3 && !strcmp(name + n - 3, ".py");
}

probe_net *probe_net_adopt_model(const probe_registry *reg, const char *name, char *text, size_t len, const char *model)
{
    probe_net *net = calloc(1, sizeof *net);
    if (!net) {
        free(text);
        return NULL;
    }
    arena_init(&net->ar);
    net->reg = reg;
    if (!arena_adopt(&net->ar, text)) {
        free(net);
        return NULL;
    }
    net->name = arena_strndup(&net->ar, name ? name : "<net>", strlen(name ? name : "<net>"));
    if (!net->name) {
        probe_net_free(net);
        return NULL;
    }
    net->text = text;
    net->len = len > PARSE_MAX_TEXT ? 0 : len;
    vec_init(&net->notes, sizeof(diag));
    if (is_python(name) || model) py_build(net, text, net->len, model);
    else cfg_build(net, text, len);
    if (net->ar.failed) {
        probe_net_free(net);
        return NULL;
    }
    return net;
}

void probe_net_free(probe_net *net)
{
    if (!net) return;
    if (net->front_free) net->front_free(net->front);
    vec_free(&net->notes);
    arena_free(&net->ar);
    free(net);
}

const char *probe_net_name(const probe_net *net) { return net->name; }

const char *probe_net_text(const probe_net *net, size_t *len)
{
    *len = net->len;
    return net->text;
}
size_t probe_net_layer_count(const probe_net *net) { return net->nlayers; }

/* One label as a Python accessor: "(0)" -> "[0]", "(fc)" or "fc" -> ".fc",
 * "self.fc" -> ".fc". */
static size_t put_accessor(char *out, size_t cap, const char *label, size_t len)
{
    if (!label || !len || !cap) return 0;
    int n;
    if (label[0] == '(' && len >= 2) {
        bool digits = len > 2;
        for (size_t i = 1; i + 1 < len; i++) digits &= label[i] >= '0' && label[i] <= '9';
        n = snprintf(out, cap, digits ? "[%.*s]" : ".%.*s", (int)(len - 2), label + 1);
    } else {
        if (len > 5 && !strncmp(label, "self.", 5)) { label += 5; len -= 5; }
        n = snprintf(out, cap, ".%.*s", (int)len, label);
    }
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void net_python_path(const probe_net *net, const layer *ly, char *out, size_t cap)
{
    /* the containers from the top down to the layer's own */
    enum { DEPTH = 64 };
    const container *chain[DEPTH];
    size_t depth = 0;
    for (uint32_t c = ly->parent; c && depth < DEPTH; c = net->containers[c - 1].parent)
        chain[depth++] = &net->containers[c - 1];
    size_t len = (size_t)snprintf(out, cap, "model");
    for (size_t d = depth; d-- > 0 && len < cap;) {
        const container *c = chain[d];
        if (c->label_len) {
            len += put_accessor(out + len, cap - len, net->text + c->label_off, c->label_len);
        } else if (c->parent) {
            /* nn.Sequential(..., nn.Sequential(a, b)): the inner one by its place */
            int n = snprintf(out + len, cap - len, "[%u]", c->child);
            len += n < 0 ? 0 : (size_t)n;
        }
        /* an unlabelled container at the top is the model itself */
    }
    if (len >= cap) return;
    if (ly->label_len) put_accessor(out + len, cap - len, net->text + ly->label_off, ly->label_len);
    else snprintf(out + len, cap - len, "[%u]", ly->child);
}

src_span net_fix_span(const probe_net *net, const layer *ly, int p)
{
    src_span at;
    if (net->fix_place && net->fix_place(net, ly, p, &at)) return at;
    return layer_span(net, ly, p);
}

const layer *net_first_linear(const probe_net *net)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (net->layers[i].op->flags & OPF_LINEAR) return &net->layers[i];
    return NULL;
}

bool net_each_channel_source(const probe_net *net, net_channel_fn take, void *ud)
{
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        if (ly->op->flags & (OPF_LINEAR | OPF_FLATTEN)) return false;
        for (int k = 0; k < ly->op->nparams; k++)
            if (ly->op->params[k].declares_input && take(ly, k, ud)) return true;
    }
    return false;
}

/* ---- the tree ------------------------------------------------------------ */

const layer *net_layer(const probe_net *net, mod_ref r)
{
    if (r & MOD_LAYER) return &net->layers[MOD_INDEX(r)];
    if (r & MOD_IMPLICIT) return net->has_implicit ? &net->implicit : NULL;
    return NULL;
}

const container *net_container(const probe_net *net, mod_ref r)
{
    if (r & (MOD_LAYER | MOD_IMPLICIT) || !r || r > net->ncontainers) return NULL;
    return &net->containers[r - 1];
}

static container *parent_of(probe_net *net, uint32_t parent)
{
    return parent ? &net->containers[parent - 1] : &net->root;
}

/* Puts r in its parent's run of children, at the next free place. */
static void place(probe_net *net, uint32_t parent, mod_ref r)
{
    container *c = parent_of(net, parent);
    net->kids[c->first_kid + c->nkids++] = r;
}

bool net_link(probe_net *net, const layer *implicit_before)
{
    size_t n = net->nlayers + net->ncontainers + (net->has_implicit ? 1 : 0);
    net->root.forward = FORWARD_CHAIN;
    net->kids = n ? arena_alloc(&net->ar, n * sizeof *net->kids) : NULL;
    if (n && !net->kids) return false;
    /* each container's run of children starts where the counts say */
    for (size_t i = 0; i < net->ncontainers; i++) parent_of(net, net->containers[i].parent)->nkids++;
    for (size_t i = 0; i < net->nlayers; i++) parent_of(net, net->layers[i].parent)->nkids++;
    if (net->has_implicit) parent_of(net, net->implicit.parent)->nkids++;
    uint32_t next = net->root.nkids;
    net->root.nkids = 0;
    for (size_t i = 0; i < net->ncontainers; i++) {
        container *c = &net->containers[i];
        c->first_kid = next;
        next += c->nkids;
        c->nkids = 0;
        c->forward = FORWARD_CHAIN;
    }
    /* layers and containers are each in source order: merged by where
     * they start, every container's children come out in order */
    size_t li = 0, ci = 0;
    while (li < net->nlayers || ci < net->ncontainers) {
        bool take_layer = ci == net->ncontainers ||
            (li < net->nlayers && net->layers[li].name_span.off < net->containers[ci].name_span.off);
        if (take_layer) {
            const layer *ly = &net->layers[li];
            if (ly == implicit_before && net->has_implicit) place(net, ly->parent, MOD_IMPLICIT);
            place(net, ly->parent, MOD_LAYER | (mod_ref)li);
            li++;
        } else {
            place(net, net->containers[ci].parent, (mod_ref)(ci + 1));
            ci++;
        }
    }
    return true;
}
