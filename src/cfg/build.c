/* build.c - the net.cfg front end's last stage: statements, as the parser
 * hands them over one by one, become the module tree (model/net.h). It
 * follows the containers, binds each layer and lets its op check what its
 * constructor would refuse: everything wrong whatever the input is found
 * here, before anything runs. Then it adds what forward() would do that
 * a list of layers does not say: the implicit flatten before the first
 * Linear (prefix: cfg_). */
#include "cfg/build.h"
#include "reg/ctx.h"
#include "py/py_model.h"

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


static void set_error(probe_net *net, const diag *e)
{
    net->invalid = true;
    net->error = *e;
    net->error.file = net->name;
}

static void set_error_text(probe_net *net, src_span at, const char *layer, const char *msg)
{
    diag e = { 0 };
    diag_set(&e, &net->ar, at, PROBE_INVALID, layer, "%s", msg);
    set_error(net, &e);
}

/* What the statements build, as the parser hands them over one by one. */
typedef struct builder {
    probe_net *net;
    vec layers;             /* of layer */
    arg_store *args;        /* of bound_arg, shared where they repeat */
    vec containers;         /* of container */
    vec open;               /* of uint32_t: 1 + index of each open container */
    vec children;           /* of uint32_t: children so far, per open level (the top first) */
    bool stopped;           /* the net is invalid: nothing more is bound */
    bool zoo;               /* a container of torchvision's: the net runs through
                             * probe's library (py_print.c) */
} builder;

/* Refuses a container known by its class name to branch. */
static bool is_empty_container(const char *name);

/* Whether a container of torchvision's is open around the next statement. */
static bool inside_library_block(const builder *b)
{
    for (size_t i = 0; i < b->open.len; i++) {
        const container *c = &VEC_AT(b->containers, container, VEC_AT(b->open, uint32_t, i) - 1);
        if (py_zoo_has_class(c->name)) return true;
    }
    return false;
}

static bool check_container(builder *b, const stmt *open)
{
    if (py_zoo_has_class(open->name)) {
        b->zoo = true;      /* torchvision's block: its forward() is probe's library's */
        return true;
    }
    /* inside torchvision's model, a block the library does not know has a
     * forward() probe cannot guess: running its children in a row could
     * give a wrong answer, so it is refused by name */
    const char *why = NULL;
    if (!is_empty_container(open->name) && inside_library_block(b))
        why = "is a block probe's torchvision library does not know, so probe cannot tell what its forward() does";
    else if (is_branching(open->name))
        why = "is a block whose forward() does not run its children one after another (a residual shortcut or parallel branches), so probe cannot follow it as a list of layers";
    if (why) {
        char msg[400];
        snprintf(msg, sizeof msg, "'%s' %s; pass the model's .py file instead", open->name, why);
        set_error_text(b->net, open->name_span, open->name, msg);
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

static uint32_t innermost(const builder *b)
{
    return b->open.len ? VEC_AT(b->open, uint32_t, b->open.len - 1) : 0;
}

/* A child labelled downsample or shortcut means the enclosing block adds
 * a branch back in: refuse the block. */
static bool refuse_shortcut(builder *b, const stmt *st)
{
    if (!b->open.len || !is_shortcut_label(st->label)) return true;
    const container *blk = &VEC_AT(b->containers, container, innermost(b) - 1);
    if (py_zoo_has_class(blk->name)) return true;     /* the library's forward() adds it */
    char msg[400];
    snprintf(msg, sizeof msg,
             "'%s' has a child labelled %s: its forward() adds a shortcut branch, which a list of layers cannot follow; pass the model's .py file instead",
             blk->name, st->label);
    set_error_text(b->net, blk->name_span, blk->name, msg);
    return false;
}

/* The next child's place in the innermost open container, counted. */
static uint32_t next_child(builder *b)
{
    return VEC_AT(b->children, uint32_t, b->children.len - 1)++;
}

static bool open_container(builder *b, const stmt *st)
{
    if (!refuse_shortcut(b, st) || !check_container(b, st)) return false;
    uint32_t parent = innermost(b), child = next_child(b);
    container *c = vec_push(&b->containers);
    if (!c) return false;
    c->name = st->name;
    c->name_span = st->name_span;
    if (st->label) {
        c->label_off = st->label_span.off;
        c->label_len = st->label_span.end - st->label_span.off;
    }
    c->parent = parent;
    c->child = child;
    uint32_t *slot = vec_push(&b->open);
    uint32_t *count = vec_push(&b->children);
    if (!slot || !count) return false;
    *slot = (uint32_t)b->containers.len;
    return true;
}

/* A printed leaf of torchvision's that is no torch.nn layer (Permute(),
 * StochasticDepth(p=0.0, mode=row)): an instance of the library's class
 * without children, whose forward() needs none of the printed arguments. */
static bool add_library_leaf(builder *b, const stmt *st)
{
    if (!open_container(b, st)) return false;
    b->open.len--;
    b->children.len--;
    return true;
}

static bool add_layer(builder *b, const stmt *st)
{
    if (!reg_find(b->net->reg, st->name) && py_zoo_has_class(st->name)) return add_library_leaf(b, st);
    if (!refuse_shortcut(b, st)) return false;
    uint32_t parent = innermost(b), child = next_child(b);
    /* print(model) writes an empty container on one line */
    if (st->nargs == 0 && is_empty_container(st->name)) return true;
    layer *ly = vec_push(&b->layers);
    if (!ly) { set_error_text(b->net, st->span, NULL, "out of memory"); return false; }
    diag err = { 0 };
    bool ok = bind_layer(b->net, st, b->args, ly, &err);
    if (ok) {
        /* the arguments stay where they are until the next layer's */
        size_t first = ly->first_arg;
        ly->args = b->args->args.items ? &VEC_AT(b->args->args, bound_arg, first) : NULL;
        ok = layer_construct(b->net, &b->net->ar, ly, &err);
        ly->first_arg = first;
    }
    if (!ok) {
        set_error(b->net, &err);
        b->layers.len--;    /* half bound (maybe without an op): no layer of the net */
        return false;
    }
    ly->parent = parent;
    ly->child = child;
    return true;
}

static bool is_layer(const char *name, void *ud)
{
    const builder *b = ud;
    return reg_find(b->net->reg, name) != NULL;
}

/* Follows the containers and binds each layer as it is read. After the
 * first error nothing more is bound, but the parse goes on: a syntax error
 * further down is what Python would report first. */
static bool take_stmt(const stmt *st, void *ud)
{
    builder *b = ud;
    probe_net *net = b->net;
    if (b->stopped) return true;
    bool ok = true;
    switch (st->kind) {
    case STMT_INPUT:
        net->has_input = true;
        memcpy(net->input, st->input, sizeof net->input);
        net->input_rank = st->input_rank;
        net->input_span = st->input_span;
        break;
    case STMT_OPEN:
        ok = open_container(b, st);
        break;
    case STMT_CLOSE:
        if (b->open.len) {
            b->open.len--;
            b->children.len--;
        }
        break;
    case STMT_LAYER:
        /* a module of torchvision's that is no torch.nn layer, printed on
         * one line (StochasticDepth(p=0.0, mode=row)): the library's class,
         * with no children */
        if (!is_layer(st->name, b) && py_zoo_has_class(st->name)) {
            if ((ok = open_container(b, st))) {
                b->open.len--;
                b->children.len--;
            }
            break;
        }
        ok = add_layer(b, st);
        break;
    }
    if (!ok && !net->invalid) set_error_text(net, st->span, NULL, "out of memory");
    b->stopped = !ok;
    return true;
}

/* forward()'s x.view(x.size(0), -1) before the classifier: a list of
 * layers does not say it, a model's forward() does, so the net gets a
 * Flatten() node, marked implicit, just before the first Linear that no
 * Flatten precedes. The executor runs it when the input is not flat yet
 * and --strict is not given. Returns the Linear it goes before, or NULL. */
static const layer *add_implicit_flatten(probe_net *net)
{
    const op *flatten = reg_first_with(net->reg, OPF_FLATTEN);
    const layer *ly = net_first_linear(net);
    if (!flatten || !ly) return NULL;
    for (const layer *before = net->layers; before < ly; before++)
        if (before->op->flags & OPF_FLATTEN) return NULL;
    layer *f = &net->implicit;
    memset(f, 0, sizeof *f);
    f->op = flatten;            /* Flatten(): start_dim=1, end_dim=-1 */
    f->name_span = ly->name_span;
    f->end = ly->end;
    f->parent = ly->parent;
    f->child = ly->child;
    net->has_implicit = true;
    return ly;
}

/* __init__ lines pasted (self.conv1 = nn.Conv2d(...)) say what the model
 * has, not what forward() does with it: the note says what probe assumed,
 * once, at the first such line. */
static bool after_self(const probe_net *net, uint32_t off, uint32_t len)
{
    /* the label is the name after `self.` */
    return len && off >= 5 && !strncmp(net->text + off - 5, "self.", 5);
}

/* The place of `self.` before a label, on the line of the name after it. */
static src_span self_at(src_span name, uint32_t label_off)
{
    uint32_t back = name.off - (label_off - 5);
    src_span at = name;
    at.off = label_off - 5;
    at.end = label_off - 1;
    at.col = name.col > back ? name.col - back : 1;
    return at;
}

static void note_init_lines(probe_net *net)
{
    src_span first = { 0, 0, 0, 0 };
    for (size_t i = 0; i < net->nlayers && !first.line; i++) {
        const layer *ly = &net->layers[i];
        if (after_self(net, ly->label_off, ly->label_len)) first = self_at(ly->name_span, ly->label_off);
    }
    for (size_t i = 0; i < net->ncontainers; i++) {
        const container *c = &net->containers[i];
        bool self = after_self(net, c->label_off, c->label_len);
        if (self && (!first.line || c->name_span.off < first.off)) first = self_at(c->name_span, c->label_off);
    }
    if (!first.line) return;
    diag *d = vec_push(&net->notes);
    if (d) diag_set(d, &net->ar, first, PROBE_OK, NULL, "%s",
                    "these are __init__ lines: probe assumed forward() calls each layer once, in the written order; the model's .py file (--net model.py) gives the answer PyTorch gives");
}

void cfg_build(probe_net *net, const char *text, size_t len)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.net = net;
    vec_init(&b.layers, sizeof(layer));
    b.args = calloc(1, sizeof *b.args);   /* the cache is 32 KiB: not on the stack */
    if (b.args) vec_init(&b.args->args, sizeof(bound_arg));
    vec_init(&b.containers, sizeof(container));
    vec_init(&b.open, sizeof(uint32_t));
    vec_init(&b.children, sizeof(uint32_t));
    arena scratch;
    arena_init(&scratch);
    uint32_t *top = vec_push(&b.children);
    parse_result pr;
    diag perr = { 0 };
    parse_hooks hooks = { is_layer, take_stmt, &b };
    if (!top || !b.args) {
        set_error_text(net, (src_span){ 1, 1, 0, 0 }, NULL, "out of memory");
    } else if (!parse_stream(&net->ar, &scratch, text, len, &hooks, &pr, &perr)) {
        /* Python reports a syntax error before anything it would run,
         * and a file it cannot read has no layers */
        set_error_text(net, perr.at, NULL, diag_message(&perr));
        b.layers.len = b.containers.len = b.args->args.len = 0;
    } else {
        net->unclosed = pr.unclosed;
        net->unclosed_at = pr.unclosed_at;
    }
    net->layers = vec_give(&b.layers, &net->ar, &net->nlayers);
    net->args = b.args ? vec_give(&b.args->args, &net->ar, &net->nargs) : NULL;
    /* the array has stopped moving: indexes become pointers */
    for (size_t i = 0; i < net->nlayers; i++)
        net->layers[i].args = net->args ? net->args + net->layers[i].first_arg : NULL;
    net->containers = vec_give(&b.containers, &net->ar, &net->ncontainers);
    /* torchvision's forward() flattens where it means to, and runs Linears
     * on channels-last maps and token sequences: no implicit Flatten */
    if (!net_link(net, b.zoo ? NULL : add_implicit_flatten(net))) net->ar.failed = true;
    if (!net->invalid) note_init_lines(net);
    if (!net->invalid && b.zoo && !net->ar.failed) py_print_attach(net);
    arena_free(&scratch);
    vec_free(&b.layers);
    if (b.args) vec_free(&b.args->args);
    free(b.args);
    vec_free(&b.containers);
    vec_free(&b.open);
    vec_free(&b.children);
}

