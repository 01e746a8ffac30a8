/* net.c - a net.cfg from text to bound layers: parse, follow the
 * containers, bind each layer and let its op check what its constructor
 * would refuse. Everything wrong whatever the input is found here, before
 * anything runs. */
#include "net.h"
#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* torchvision's blocks whose forward() is not their children in a row */
static const char *const branching_blocks[] = {
    "BasicBlock", "Bottleneck", "InvertedResidual", "_InvertedResidual", "Fire",
    "_DenseBlock", "_DenseLayer", "Inception", "InceptionA", "InceptionB", "InceptionC",
    "InceptionD", "InceptionE", "InceptionAux", "CNBlock", "MBConv", "FusedMBConv",
    "SqueezeExcitation", "ResBottleneckBlock", NULL,
};

static bool is_branching(const char *name)
{
    for (const char *const *b = branching_blocks; *b; b++)
        if (!strcmp(*b, name)) return true;
    return false;
}

static bool reg_is_layer(const char *name, void *ud)
{
    return reg_find((const probe_registry *)ud, name) != NULL;
}

static void set_error(probe_net *net, const net_error *e)
{
    net->invalid = true;
    net->error = *e;
}

static void set_error_text(probe_net *net, src_span at, const char *layer, const char *msg)
{
    net_error e;
    memset(&e, 0, sizeof e);
    e.at = at;
    e.layer = layer;
    snprintf(e.message, sizeof e.message, "%s", msg);
    set_error(net, &e);
}

/* What the layer's constructor (and every forward) would refuse: the op
 * is called without a tensor. */
static bool construct(layer *ly, net_error *err)
{
    const op *o = ly->op;
    cval args[64];
    bind_c_args(o, ly->vals, args);
    probe_ctx cx;
    ctx_reset(&cx);
    int rc = reg_call(o, &cx, NULL, args);
    if (rc == 0 && cx.kind == PROBE_OK) return true;
    int i = cx.param[0] ? bind_param_index(o, cx.param) : -1;
    err->at = i >= 0 ? ly->spans[i] : ly->st->name_span;
    err->layer = o->name;
    snprintf(err->message, sizeof err->message, "%s",
             cx.message[0] ? cx.message : "the layer refused its arguments without saying why");
    return false;
}

/* Refuses a container known by its class name to branch. */
static bool check_container(probe_net *net, const stmt *open)
{
    if (is_branching(open->name)) {
        char msg[400];
        snprintf(msg, sizeof msg,
                 "'%s' is a block whose forward() does not run its children one after another (a residual shortcut or parallel branches), so probe cannot follow it as a list of layers",
                 open->name);
        set_error_text(net, open->name_span, open->name, msg);
        return false;
    }
    return true;
}

static bool is_empty_container(const char *name)
{
    return !strcmp(name, "Sequential") || !strcmp(name, "ModuleList") || !strcmp(name, "ModuleDict");
}

static bool is_shortcut_label(const char *label)
{
    return label && (!strcmp(label, "(downsample)") || !strcmp(label, "downsample") ||
                     !strcmp(label, "(shortcut)") || !strcmp(label, "shortcut"));
}

/* A child labelled downsample or shortcut means the enclosing block adds
 * a branch back in: refuse the block. */
static bool refuse_shortcut(probe_net *net, const parse_result *pr, const vec *open, const stmt *st)
{
    if (!open->len || !is_shortcut_label(st->label)) return true;
    const stmt *blk = &pr->stmts[VEC_AT(*open, size_t, open->len - 1)];
    char msg[400];
    snprintf(msg, sizeof msg,
             "'%s' has a child labelled %s: its forward() adds a shortcut branch, which a list of layers cannot follow",
             blk->name, st->label);
    set_error_text(net, blk->name_span, blk->name, msg);
    return false;
}

static bool walk(probe_net *net, const parse_result *pr)
{
    vec layers;
    vec_init(&layers, sizeof(layer));
    vec open;                      /* of size_t: statement index of each open container */
    vec_init(&open, sizeof(size_t));
    bool ok = true;
    for (size_t i = 0; i < pr->n && ok; i++) {
        const stmt *st = &pr->stmts[i];
        switch (st->kind) {
        case STMT_INPUT:
            net->has_input = true;
            memcpy(net->input, st->input, sizeof net->input);
            net->input_span = st->input_span;
            break;
        case STMT_OPEN: {
            if (!refuse_shortcut(net, pr, &open, st) || !check_container(net, st)) { ok = false; break; }
            size_t *slot = vec_push(&open);
            if (!slot) { set_error_text(net, st->span, NULL, "out of memory"); ok = false; break; }
            *slot = i;
            break;
        }
        case STMT_CLOSE:
            if (open.len) open.len--;
            break;
        case STMT_LAYER: {
            if (!refuse_shortcut(net, pr, &open, st)) { ok = false; break; }
            /* print(model) writes an empty container on one line */
            if (st->nargs == 0 && is_empty_container(st->name)) break;
            layer *ly = vec_push(&layers);
            net_error err;
            memset(&err, 0, sizeof err);
            if (!ly) { set_error_text(net, st->span, NULL, "out of memory"); ok = false; break; }
            if (!bind_layer(net, st, ly, &err) || !construct(ly, &err)) {
                set_error(net, &err);
                layers.len--;   /* half bound (maybe without an op): no layer of the net */
                ok = false;
            }
            break;
        }
        }
    }
    net->nlayers = layers.len;
    if (layers.len) {
        /* the arena takes the array as it is: a million layers are not copied */
        net->layers = layers.items;
        layers.items = NULL;
        if (!arena_adopt(&net->ar, net->layers)) {
            net->layers = NULL;
            net->nlayers = 0;
            ok = false;
        }
    }
    vec_free(&layers);
    vec_free(&open);
    return ok;
}

probe_net *probe_net_parse(const probe_registry *reg, const char *name, const char *text, size_t len)
{
    probe_net *net = calloc(1, sizeof *net);
    if (!net) return NULL;
    arena_init(&net->ar);
    net->reg = reg;
    net->name = arena_strndup(&net->ar, name ? name : "<net>", strlen(name ? name : "<net>"));
    /* a text over the limit is refused unread: no copy of it is kept */
    bool too_big = len > PARSE_MAX_TEXT;
    net->text = arena_alloc(&net->ar, too_big ? 1 : len + 1);
    if (!net->name || !net->text) {
        probe_net_free(net);
        return NULL;
    }
    if (!too_big) memcpy(net->text, text, len);
    net->len = too_big ? 0 : len;
    parse_result pr;
    parse_error perr;
    if (!parse_text(&net->ar, too_big ? text : net->text, len, reg_is_layer, (void *)reg, &pr, &perr)) {
        set_error_text(net, perr.at, NULL, perr.message);
        return net;
    }
    net->unclosed = pr.unclosed;
    net->unclosed_at = pr.unclosed_at;
    net->stmts = pr.stmts;
    net->nstmts = pr.n;
    walk(net, &pr);
    if (net->ar.failed) {
        probe_net_free(net);
        return NULL;
    }
    return net;
}

void probe_net_free(probe_net *net)
{
    if (!net) return;
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
static size_t put_accessor(char *out, size_t cap, const char *label)
{
    if (!label || !cap) return 0;
    int n;
    if (label[0] == '(') {
        size_t len = strlen(label);
        bool digits = len > 2;
        for (size_t i = 1; i + 1 < len; i++) digits &= label[i] >= '0' && label[i] <= '9';
        n = snprintf(out, cap, digits ? "[%.*s]" : ".%.*s", (int)(len - 2), label + 1);
    } else {
        n = snprintf(out, cap, ".%s", strncmp(label, "self.", 5) ? label : label + 5);
    }
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void net_python_path(const probe_net *net, const layer *ly, char *out, size_t cap)
{
    /* the open containers' labels, and how many children each has so far:
     * an unlabelled child of a Sequential is model.seq[k] */
    enum { DEPTH = 64 };
    const char *label[DEPTH + 1] = { NULL };
    size_t children[DEPTH + 1] = { 0 };
    size_t depth = 0, own = 0;
    for (size_t i = 0; i < net->nstmts; i++) {
        const stmt *st = &net->stmts[i];
        if (st == ly->st) { own = children[depth < DEPTH ? depth : DEPTH]; break; }
        if (st->kind == STMT_OPEN) {
            if (depth < DEPTH) children[depth]++;
            depth++;
            if (depth <= DEPTH) { label[depth] = st->label; children[depth] = 0; }
        } else if (st->kind == STMT_CLOSE && depth) {
            depth--;
        } else if (st->kind == STMT_LAYER && depth <= DEPTH) {
            children[depth]++;
        }
    }
    size_t len = (size_t)snprintf(out, cap, "model");
    for (size_t d = 1; d <= depth && d <= DEPTH && len < cap; d++) len += put_accessor(out + len, cap - len, label[d]);
    if (ly->st->label) {
        if (len < cap) put_accessor(out + len, cap - len, ly->st->label);
    } else if (len < cap) {
        snprintf(out + len, cap - len, "[%zu]", own);
    }
}
