/*
 * ctx.h - what one shape-function call reports back: the structured error
 * (kind, argument, needed value, PyTorch's message), the parameter count,
 * overflow (prefix: ctx_).
 */
#ifndef PROBE_CTX_H
#define PROBE_CTX_H

#include "probe_plugin.h"
#include "base/util.h"

enum { CTX_MESSAGE = 512, CTX_SCRATCH = 4 };

struct probe_ctx {
    probe_status kind;          /* PROBE_OK until something is raised */
    char param[64];             /* the argument to change, "" for none */
    bool has_need;              /* a mismatch names the value needed */
    bool need_is_ints;
    int64_t need;
    probe_ints need_ints;
    char *message;              /* PyTorch's text: short_message, or in `ar` */
    char short_message[CTX_MESSAGE];
    arena *ar;                  /* where a longer message goes; NULL: it is cut */
    int64_t params;             /* trainable parameters, -1 unknown */
    bool overflow;
    char scratch[CTX_SCRATCH][160];
    int nscratch;
    struct sb *explain;         /* where probe_explain writes, NULL: not asked */
};

/* A context ready for a call: nothing raised, no arena (set cx->ar after
 * it for messages of any length). Safe on an uninitialised context. */
void ctx_reset(probe_ctx *cx);

#endif
